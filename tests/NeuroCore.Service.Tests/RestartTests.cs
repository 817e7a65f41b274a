using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace NeuroCore.Service.Tests;

/// <summary>kill -9 of the service during a render: started again on the same data folder, the job completes, and nothing half-written is ever served.</summary>
public sealed class RestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_render_interrupted_by_kill_9_completes_after_a_restart()
    {
        Media.RequireFfmpeg();
        var data = Temp.NewFolder("restart");
        string[] args = ["--workers", "1", "--requeue-after", "3", "--segment-frames", "40"];
        string job;
        using (var first = await ServiceProcess.StartServeAsync(data, args))
        {
            using var client = first.Client();
            using (var up = await client.PostAsync("/api/runs?id=spiral", new ByteArrayContent(TestRuns.TarGz(TestRuns.SpiralFolder)), Ct))
                Assert.Equal(HttpStatusCode.Created, up.StatusCode);
            using var render = await client.PostAsJsonAsync("/api/runs/spiral/renders",
                new { kind = "video", format = "mp4", width = 320, height = 240, fps = 20, duration = 8 }, Ct);
            Assert.Equal(HttpStatusCode.Accepted, render.StatusCode);
            job = render.Headers.Location!.ToString();
            // Kill once the second segment is being rendered: one segment done, one half-done.
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (DateTime.UtcNow < deadline)
            {
                var s = await client.GetFromJsonAsync<JsonElement>(job, Ct);
                var segments = s.GetProperty("segments").EnumerateArray().ToList();
                if (segments.Any(x => x.GetProperty("state").GetString() == "running" && x.GetProperty("index").GetInt32() >= 1)) break;
                Assert.NotEqual("succeeded", s.GetProperty("state").GetString());
                await Task.Delay(50, Ct);
            }
            first.Kill();
        }
        string jobId = job.Split('/')[^1];
        Assert.False(Directory.Exists(Path.Combine(data, "jobs", jobId, "result")) && Directory.GetFiles(Path.Combine(data, "jobs", jobId, "result")).Any(f => !Path.GetFileName(f).StartsWith('.')),
            "a result appeared although the job was interrupted");

        using var second = await ServiceProcess.StartServeAsync(data, args);
        using var again = second.Client();
        // While it finishes, the result is never served half-written: either 409 (not yet) or the whole, valid file.
        var until = DateTime.UtcNow.AddMinutes(3);
        JsonElement status = default;
        while (DateTime.UtcNow < until)
        {
            status = await again.GetFromJsonAsync<JsonElement>(job, Ct);
            using var result = await again.GetAsync(job + "/result", Ct);
            if (status.GetProperty("state").GetString() != "succeeded") Assert.True(result.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.OK, result.StatusCode.ToString());
            if (result.StatusCode == HttpStatusCode.OK)
            {
                var file = Path.Combine(Temp.NewFolder("restarted"), "v.mp4");
                await File.WriteAllBytesAsync(file, await result.Content.ReadAsByteArrayAsync(Ct), Ct);
                Assert.Equal((160, "h264", 320, 240), Media.Probe(file));
                Assert.Equal("succeeded", (await again.GetFromJsonAsync<JsonElement>(job, Ct)).GetProperty("state").GetString());
                var leftovers = Directory.GetFiles(Path.Combine(data, "jobs", jobId, "result"));
                Assert.Single(leftovers);
                return;
            }
            Assert.NotEqual("failed", status.GetProperty("state").GetString());
            await Task.Delay(250, Ct);
        }
        Assert.Fail($"the job did not complete after the restart: {status}\n{second.Output}");
    }
}
