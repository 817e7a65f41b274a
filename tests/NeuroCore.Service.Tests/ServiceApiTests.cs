using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace NeuroCore.Service.Tests;

/// <summary>The HTTP API against a real <c>neurocore serve</c> process on 127.0.0.1: runs, renders, jobs, downloads.</summary>
public sealed class ServiceApiTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private HttpClient Client => fixture.Client;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> UploadAsync(byte[] archive, string? id = null)
    {
        using var response = await Client.PostAsync(id is null ? "/api/runs" : $"/api/runs?id={id}", new ByteArrayContent(archive), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private async Task<string> RenderAsync(string runId, object request)
    {
        using var response = await Client.PostAsJsonAsync($"/api/runs/{runId}/renders", request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return response.Headers.Location!.ToString();
    }

    [Fact]
    public async Task Health_ready_openapi_and_dashboard_answer()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health", Ct)).StatusCode);
        var ready = await Client.GetFromJsonAsync<JsonElement>("/health/ready", Ct);
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        var openapi = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        var paths = openapi.GetProperty("paths");
        foreach (var p in new[] { "/api/runs", "/api/runs/{id}", "/api/runs/{id}/renders", "/api/jobs/{id}", "/api/jobs/{id}/result", "/api/jobs/{id}/events", "/api/runs/{id}/live/snapshots/{step}" })
            Assert.True(paths.TryGetProperty(p, out _), $"OpenAPI lacks {p}");
        using var anonymous = fixture.Service.Client();
        var dashboard = await anonymous.GetAsync("/jobs-dashboard", Ct);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        // Read-only without the key: dashboard commands (requeue, delete) are refused; with the key they work.
        var form = new FormUrlEncodedContent([new("jobs[]", "0")]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/jobs-dashboard/jobs/succeeded/requeue", form, Ct)).StatusCode);
        Assert.True((await Client.PostAsync("/jobs-dashboard/jobs/succeeded/requeue", new FormUrlEncodedContent([new("jobs[]", "0")]), Ct)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Upload_list_inspect_delete()
    {
        string id = await UploadAsync(TestRuns.Zip(TestRuns.SpiralFolder));
        var list = await Client.GetFromJsonAsync<JsonElement>("/api/runs", Ct);
        Assert.Contains(list.EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        var run = await Client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}", Ct);
        Assert.Equal("finished", run.GetProperty("status").GetString());
        Assert.Equal(Directory.GetFiles(Path.Combine(TestRuns.SpiralFolder, "snapshots")).Length, run.GetProperty("snapshotCount").GetInt32());
        Assert.Equal("Sequential", run.GetProperty("architecture").GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/runs/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/runs/{id}", Ct)).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(fixture.Data, "runs", id)));
    }

    [Fact]
    public async Task A_tar_with_its_folder_name_uploads_too()
    {
        string id = await UploadAsync(TestRuns.Tar(TestRuns.SpiralFolder), "tar-with-folder");
        Assert.Equal("tar-with-folder", id);
        Assert.True(File.Exists(Path.Combine(fixture.Data, "runs", id, "manifest.json")));
    }

    [Fact]
    public async Task Video_renders_in_segments_and_downloads_with_etag_and_range()
    {
        Media.RequireFfmpeg();
        string id = await UploadAsync(TestRuns.TarGz(TestRuns.SpiralFolder));
        // 2 s at 12 fps = 24 frames in segments of 8 (the fixture's --segment-frames): three segments and a stitch.
        string job = await RenderAsync(id, new { kind = "video", format = "mp4", width = 96, height = 64, fps = 12, duration = 2 });
        var status = await Media.WaitForJobAsync(Client, job, TimeSpan.FromMinutes(3));
        Assert.True(status.GetProperty("state").GetString() == "succeeded", status.ToString());
        Assert.Equal(1.0, status.GetProperty("progress").GetDouble());
        Assert.Equal(3, status.GetProperty("segments").GetArrayLength());

        var result = status.GetProperty("resultUrl").GetString()!;
        using var response = await Client.GetAsync(result, Ct);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType!.MediaType);
        var etag = response.Headers.ETag!;
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var file = Path.Combine(Temp.NewFolder("video"), "v.mp4");
        await File.WriteAllBytesAsync(file, bytes, Ct);
        var probe = Media.Probe(file);
        Assert.Equal((24, "h264", 96, 64), probe);

        using var range = new HttpRequestMessage(HttpMethod.Get, result);
        range.Headers.Range = new RangeHeaderValue(10, 109);
        using var partial = await Client.SendAsync(range, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes.AsSpan(10, 100).ToArray(), await partial.Content.ReadAsByteArrayAsync(Ct));

        using var conditional = new HttpRequestMessage(HttpMethod.Get, result);
        conditional.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await Client.SendAsync(conditional, Ct)).StatusCode);
    }

    [Fact]
    public async Task Stitched_segments_equal_a_one_segment_render_frame_for_frame()
    {
        Media.RequireFfmpeg();
        string id = await UploadAsync(TestRuns.TarGz(TestRuns.SpiralFolder));
        var request = new { kind = "video", format = "mp4", width = 96, height = 64, fps = 10, duration = 3, camera = "orbit" };
        string one = await RenderAsync(id, new { request.kind, request.format, request.width, request.height, request.fps, request.duration, request.camera, segmentFrames = 1000 });
        string many = await RenderAsync(id, new { request.kind, request.format, request.width, request.height, request.fps, request.duration, request.camera, segmentFrames = 7 });
        var folder = Temp.NewFolder("stitch");
        var files = new List<string>();
        foreach (var (job, name) in new[] { (one, "one.mp4"), (many, "many.mp4") })
        {
            var s = await Media.WaitForJobAsync(Client, job, TimeSpan.FromMinutes(3));
            Assert.True(s.GetProperty("state").GetString() == "succeeded", s.ToString());
            var path = Path.Combine(folder, name);
            await File.WriteAllBytesAsync(path, await Client.GetByteArrayAsync(s.GetProperty("resultUrl").GetString(), Ct), Ct);
            files.Add(path);
        }
        Assert.Equal(30, Media.Probe(files[0]).Frames);
        Assert.Equal(30, Media.Probe(files[1]).Frames);
        var a = Media.Thumbnails(files[0]);
        var b = Media.Thumbnails(files[1]);
        Assert.Equal(a.Count, b.Count);
        // Same frame at the same index (only encoder noise apart), and each frame of the stitched video is nearer to
        // its own counterpart than to the neighbours: the order is right.
        for (int i = 0; i < a.Count; i++)
        {
            double same = Media.Difference(a[i], b[i]);
            Assert.True(same < 3, $"frame {i} differs by {same:F2} grey levels");
        }
        double change = Enumerable.Range(0, a.Count).Max(i => Media.Difference(a[0], a[i]));
        Assert.True(change > 1.5, $"the video barely changes ({change:F2} grey levels); the order check would be empty");
        for (int i = 0; i < a.Count; i++)
        {
            double own = Media.Difference(a[i], b[i]);
            for (int j = 0; j < a.Count; j++)
                if (Media.Difference(a[i], a[j]) > 2 * own + 0.5)
                    Assert.True(Media.Difference(a[i], b[j]) > own, $"stitched frame {j} looks more like frame {i} than frame {i} does: out of order");
        }
    }

    [Fact]
    public async Task Gltf_step_and_timeline_pass_the_khronos_validator()
    {
        GltfValidator.Require();
        string id = await UploadAsync(TestRuns.TarGz(TestRuns.SpiralFolder));
        var run = await Client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}", Ct);
        int step = run.GetProperty("steps")[1].GetInt32();
        var folder = Temp.NewFolder("gltf");
        foreach (var request in new object[] { new { kind = "gltf-step", step }, new { kind = "gltf-timeline", format = "glb" } })
        {
            var status = await Media.WaitForJobAsync(Client, await RenderAsync(id, request), TimeSpan.FromMinutes(2));
            Assert.True(status.GetProperty("state").GetString() == "succeeded", status.ToString());
            using var response = await Client.GetAsync(status.GetProperty("resultUrl").GetString(), Ct);
            Assert.Equal("model/gltf-binary", response.Content.Headers.ContentType!.MediaType);
            var file = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".glb");
            await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync(Ct), Ct);
            var report = GltfValidator.Validate(file);
            Assert.True(report.GetProperty("errors").GetInt32() == 0, report.ToString());
        }
    }

    [Fact]
    public async Task Frames_render_as_a_zip_of_pngs()
    {
        string id = await UploadAsync(TestRuns.TarGz(TestRuns.SpiralFolder));
        var status = await Media.WaitForJobAsync(Client, await RenderAsync(id, new { kind = "frames", width = 64, height = 48, fps = 5, duration = 1 }), TimeSpan.FromMinutes(2));
        Assert.True(status.GetProperty("state").GetString() == "succeeded", status.ToString());
        var bytes = await Client.GetByteArrayAsync(status.GetProperty("resultUrl").GetString(), Ct);
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        Assert.Equal(5, zip.Entries.Count(e => e.Name.EndsWith(".png")));
    }

    [Fact]
    public async Task Job_events_stream_progress_until_the_end()
    {
        string id = await UploadAsync(TestRuns.TarGz(TestRuns.SpiralFolder));
        string job = await RenderAsync(id, new { kind = "video", format = "png", width = 64, height = 48, fps = 10, duration = 2 });
        using var response = await Client.GetAsync(job + "/events", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var states = new List<string>();
        string? line;
        while ((line = await reader.ReadLineAsync(Ct)) is not null)
            if (line.StartsWith("data: ")) states.Add(JsonDocument.Parse(line[6..]).RootElement.GetProperty("state").GetString()!);
        Assert.NotEmpty(states);
        Assert.Equal("succeeded", states[^1]);
    }

    [Fact]
    public async Task A_canceled_job_stops_and_serves_nothing()
    {
        string id = await UploadAsync(TestRuns.TarGz(TestRuns.SpiralFolder));
        // Long enough (600 frames, one thread) that it is still running when canceled.
        string job = await RenderAsync(id, new { kind = "video", format = "webp", width = 320, height = 240, fps = 30, duration = 20 });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement running;
        do
        {
            await Task.Delay(100, Ct);
            running = await Client.GetFromJsonAsync<JsonElement>(job, Ct);
        }
        while (running.GetProperty("progress").GetDouble() < 0.03 && DateTime.UtcNow < deadline);
        Assert.Equal("running", running.GetProperty("state").GetString());
        Assert.True(running.GetProperty("etaSeconds").GetDouble() > 0, running.ToString());
        var canceled = await (await Client.DeleteAsync(job, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("canceled", canceled.GetProperty("state").GetString());
        await Task.Delay(1500, Ct);
        Assert.Equal("canceled", (await Client.GetFromJsonAsync<JsonElement>(job, Ct)).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await Client.GetAsync(job + "/result", Ct)).StatusCode);
        string jobId = job.Split('/')[^1];
        var resultDir = Path.Combine(fixture.Data, "jobs", jobId, "result");
        Assert.True(!Directory.Exists(resultDir) || Directory.GetFiles(resultDir).All(f => Path.GetFileName(f).StartsWith('.')), "a canceled job left a result");
    }
}
