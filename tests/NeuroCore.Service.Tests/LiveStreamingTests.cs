using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NeuroCore.Snapshots;

namespace NeuroCore.Service.Tests;

/// <summary>A training process streams its run to the service while it records, through a connection that drops in the middle.</summary>
public sealed class LiveStreamingTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_recorder_in_another_process_streams_through_a_dropped_connection_without_loss_or_duplicates()
    {
        using var proxy = new DroppingProxy(fixture.Service.Url);
        var local = Path.Combine(Temp.NewFolder("live"), "run");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "NeuroCore.Samples.LiveRecording.dll"), proxy.Url.ToString(), "live-spiral", ServiceFixture.Key,
                     "--epochs", "40", "--pause-ms", "60", "--folder", local })
            info.ArgumentList.Add(a);
        using var trainer = Process.Start(info)!;
        var stdout = trainer.StandardOutput.ReadToEndAsync(Ct);
        var stderr = trainer.StandardError.ReadToEndAsync(Ct);
        try
        {
            // Once a few snapshots are on the server, cut the network for 1.5 s.
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (DateTime.UtcNow < deadline)
            {
                using var r = await fixture.Client.GetAsync("/api/runs/live-spiral/live", Ct);
                if (r.StatusCode == HttpStatusCode.OK && (await r.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("steps").GetArrayLength() >= 4) break;
                await Task.Delay(50, Ct);
            }
            Assert.False(trainer.HasExited, "training finished before the connection could be dropped; slow it down");
            proxy.Drop(TimeSpan.FromSeconds(1.5));
            Assert.True(trainer.WaitForExit(TimeSpan.FromMinutes(3)), "the recorder did not finish");
        }
        finally { if (!trainer.HasExited) trainer.Kill(true); }
        string output = await stdout + await stderr;
        Assert.True(trainer.ExitCode == 0, output);
        Assert.True(proxy.Dropped > 0);
        Assert.Matches(@"[1-9]\d* retries", output);

        // The service's folder is what a local recorder writes: same index steps, byte-identical files, finished.
        var localRun = TrainingRun.Open(local);
        var remoteFolder = Path.Combine(fixture.Data, "runs", "live-spiral");
        var remoteRun = TrainingRun.Open(remoteFolder);
        Assert.Empty(remoteRun.Warnings);
        Assert.False(remoteRun.HasIncompleteIndexLine);
        Assert.True(remoteRun.IsFinished);
        Assert.Equal(localRun.Snapshots.Select(s => s.Step), remoteRun.Snapshots.Select(s => s.Step));
        int lines = File.ReadAllLines(Path.Combine(remoteFolder, "index.jsonl")).Count(l => l.Trim().Length > 0);
        Assert.Equal(localRun.Snapshots.Count, lines);
        foreach (var s in localRun.Snapshots)
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, s.File)), File.ReadAllBytes(Path.Combine(remoteFolder, s.File)));
        foreach (var f in new[] { "manifest.json", "probe.safetensors", "summary.json" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, f)), File.ReadAllBytes(Path.Combine(remoteFolder, f)));
        var summary = await fixture.Client.GetFromJsonAsync<JsonElement>("/api/runs/live-spiral", Ct);
        Assert.Equal("finished", summary.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Sending_a_snapshot_twice_is_a_no_op_and_a_different_one_a_conflict()
    {
        var folder = TestRuns.SpiralFolder;
        var run = TrainingRun.Open(folder);
        var client = fixture.Client;
        using (var m = await client.PutAsync("/api/runs/idem/live/manifest", new ByteArrayContent(File.ReadAllBytes(Path.Combine(folder, "manifest.json"))), Ct))
            Assert.Equal(HttpStatusCode.Created, m.StatusCode);
        using (var m = await client.PutAsync("/api/runs/idem/live/manifest", new ByteArrayContent(File.ReadAllBytes(Path.Combine(folder, "manifest.json"))), Ct))
            Assert.Equal(HttpStatusCode.OK, m.StatusCode);
        var entry = run.Snapshots[0];
        var line = File.ReadLines(Path.Combine(folder, "index.jsonl")).First();
        var bytes = File.ReadAllBytes(Path.Combine(folder, entry.File));
        async Task<HttpStatusCode> Put(byte[] body, string indexLine)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/runs/idem/live/snapshots/{entry.Step}") { Content = new ByteArrayContent(body) };
            request.Headers.Add("NeuroCore-Index-Line", Convert.ToBase64String(Encoding.UTF8.GetBytes(indexLine)));
            using var r = await client.SendAsync(request, Ct);
            return r.StatusCode;
        }
        Assert.Equal(HttpStatusCode.Created, await Put(bytes, line));
        Assert.Equal(HttpStatusCode.OK, await Put(bytes, line));
        var other = (byte[])bytes.Clone();
        other[^1] ^= 0xFF;
        Assert.Equal(HttpStatusCode.Conflict, await Put(other, line));
        Assert.Equal(HttpStatusCode.BadRequest, await Put(bytes[..^1], line)); // the index line's size does not match
        Assert.Single(File.ReadAllLines(Path.Combine(fixture.Data, "runs", "idem", "index.jsonl")));
        var remote = TrainingRun.Open(Path.Combine(fixture.Data, "runs", "idem"));
        Assert.Equal([entry.Step], remote.Snapshots.Select(s => s.Step));
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(fixture.Data, "runs", "idem", entry.File)));
    }
}
