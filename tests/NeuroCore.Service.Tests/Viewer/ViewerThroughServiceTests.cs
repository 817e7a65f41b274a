using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NeuroCore.Viewer.Tests.Infrastructure;

namespace NeuroCore.Service.Tests.Viewer;

/// <summary>
/// The viewer page served by a real <c>neurocore serve</c> process (no API key, loopback, as a newcomer starts it) in
/// Debian's headless Chromium: an uploaded run draws, the video button runs a real render job to a downloadable file,
/// and a recorder in another process streaming to the service is followed live.
/// </summary>
public sealed class ViewerThroughServiceTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private ServiceProcess _service = null!;
    private HttpClient _client = null!;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        _service = await ServiceProcess.StartServeAsync(Temp.NewFolder("viewer-data"), "--workers", "2");
        _client = _service.Client();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _service.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task UploadAsync(string id)
    {
        using var body = new ByteArrayContent(TestRuns.TarGz(TestRuns.SpiralFolder));
        using var r = await _client.PostAsync($"/api/runs?id={id}", body, Ct);
        Assert.True(r.StatusCode == HttpStatusCode.Created, $"upload: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync(Ct)}");
    }

    [Fact]
    public async Task An_uploaded_run_draws_and_picks_in_the_browser()
    {
        Browser.Require();
        await UploadAsync("demo");
        var result = Browser.Run("viewer", new Dictionary<string, string>
        {
            ["url"] = _service.Url.ToString().TrimEnd('/'), ["run"] = "demo", ["budget"] = "20", ["budget2"] = "10", ["neuron"] = "1,3",
        }, TimeSpan.FromMinutes(3));
        Assert.True(result.GetProperty("nonBackground").GetDouble() > 0.01, $"the canvas is (nearly) blank: {result}");
        Assert.True(result.GetProperty("scrubChange").GetDouble() > 0.002, $"scrubbing did not change the picture: {result}");
        Assert.Equal("20 of 40 connections drawn", result.GetProperty("count").GetString()); // 2·8 + 8·3
        Assert.Equal("10 of 40 connections drawn", result.GetProperty("count2").GetString());
        Assert.Contains("dense_1/neuron_3", result.GetProperty("info").GetString());
    }

    [Fact]
    public async Task The_video_button_runs_a_render_job_with_progress_to_a_downloadable_mp4()
    {
        Browser.Require();
        Media.RequireFfmpeg();
        await UploadAsync("video-run");
        var result = Browser.Run("exports", new Dictionary<string, string>
        {
            ["url"] = _service.Url.ToString().TrimEnd('/'), ["run"] = "video-run", ["button"] = "video", ["wait"] = "300000",
        }, TimeSpan.FromMinutes(6));
        var messages = result.GetProperty("messages").EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.True(result.GetProperty("message").GetString()!.Contains("download video"), string.Join(" / ", messages));
        Assert.Contains(messages, m => m.StartsWith("video: running") && m.Contains('%')); // progress shown while it ran
        var href = result.GetProperty("href").GetString()!;
        Assert.Matches("^/api/jobs/[^/]+/result$", href);

        // The link downloads a real mp4 of the page's default size.
        var file = Path.Combine(Temp.NewFolder("viewer-video"), "v.mp4");
        using (var response = await _client.GetAsync(href, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("video/mp4", response.Content.Headers.ContentType!.MediaType);
            await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync(Ct), Ct);
        }
        var (frames, codec, width, height) = Media.Probe(file);
        Assert.Equal("h264", codec);
        Assert.Equal((1280, 720), (width, height));
        Assert.True(frames >= 250, $"{frames} frames");
    }

    [Fact]
    public async Task A_recorder_in_another_process_is_followed_live_within_two_seconds()
    {
        Browser.Require();
        const string id = "live-page";
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "NeuroCore.Samples.LiveRecording.dll"), _service.Url.ToString(), id,
                     "--epochs", "30", "--pause-ms", "400", "--folder", Path.Combine(Temp.NewFolder("live-local"), "run") })
            info.ArgumentList.Add(a);
        using var trainer = Process.Start(info)!;
        var stdout = trainer.StandardOutput.ReadToEndAsync(Ct);
        var stderr = trainer.StandardError.ReadToEndAsync(Ct);
        var arrived = new Dictionary<int, long>(); // step → when the service first listed it (Unix ms, the machine's clock)
        try
        {
            // The page opens once the service knows the run (its manifest), possibly before the first snapshot.
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (!await PollAsync(id, arrived) && DateTime.UtcNow < deadline) await Task.Delay(50, Ct);
            Assert.True(DateTime.UtcNow < deadline, "the run never reached the service");
            using var stop = new CancellationTokenSource();
            var watcher = Task.Run(async () => { while (!stop.IsCancellationRequested) { await PollAsync(id, arrived); await Task.Delay(25, Ct); } }, Ct);
            var result = await Task.Run(() => Browser.Run("live", new Dictionary<string, string>
            {
                ["url"] = _service.Url.ToString().TrimEnd('/'), ["run"] = id, ["expect"] = "4", ["timeout"] = "30000",
            }, TimeSpan.FromMinutes(2)), Ct);
            stop.Cancel();
            await watcher;

            var seen = result.GetProperty("seen").EnumerateArray().Select(e => (Step: e.GetProperty("step").GetInt32(), At: e.GetProperty("at").GetInt64())).ToList();
            Assert.True(seen.Count >= 4, $"the page showed {seen.Count} new steps: {result}");
            lock (arrived)
                foreach (var (step, at) in seen)
                {
                    Assert.True(arrived.TryGetValue(step, out var on), $"the page showed step {step}, which the service never listed");
                    Assert.True(at - on < 2000, $"step {step} appeared {at - on} ms after it reached the service");
                }
            Assert.True(result.GetProperty("follow").GetBoolean());
        }
        finally { if (!trainer.HasExited) trainer.Kill(true); }
        Assert.True(trainer.WaitForExit(TimeSpan.FromMinutes(2)));
    }

    /// <summary>Notes when each step of the live run first appears on the service; false while the run is unknown.</summary>
    private async Task<bool> PollAsync(string id, Dictionary<int, long> arrived)
    {
        using var r = await _client.GetAsync($"/api/runs/{id}/live", Ct);
        if (r.StatusCode != HttpStatusCode.OK) return false;
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var steps = (await r.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("steps");
        lock (arrived)
            foreach (var s in steps.EnumerateArray())
                arrived.TryAdd(s.GetInt32(), now);
        return true;
    }
}
