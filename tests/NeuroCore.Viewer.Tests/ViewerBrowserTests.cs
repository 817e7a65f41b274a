using System.Globalization;
using NeuroCore.Snapshots;

namespace NeuroCore.Viewer.Tests;

/// <summary>The viewer in a real headless Chromium against a real Kestrel: loads, scrubs, picks, counts, follows live.</summary>
public sealed class ViewerBrowserTests
{
    [Fact]
    public async Task Viewer_loads_scrubs_picks_a_neuron_and_counts_connections()
    {
        Browser.Require();
        await using var server = await ViewerServer.StartAsync(seed: s => DemoRun.Record(Path.Combine(s.Root, "demo"), epochs: 20));
        Directory.CreateDirectory(Browser.ImagesDir);
        var result = Browser.Run("viewer", new Dictionary<string, string>
        {
            ["url"] = server.Url, ["run"] = "demo", ["budget"] = "150", ["budget2"] = "40", ["neuron"] = "1,3", ["shots"] = Browser.ImagesDir,
        }, TimeSpan.FromMinutes(3));

        Assert.True(result.GetProperty("nonBackground").GetDouble() > 0.01, $"the canvas is (nearly) blank: {result}");
        Assert.True(result.GetProperty("scrubChange").GetDouble() > 0.002, $"scrubbing to the first step did not change the picture: {result}");
        Assert.Equal("150 of 336 connections drawn", result.GetProperty("count").GetString());
        Assert.Equal("40 of 336 connections drawn", result.GetProperty("count2").GetString());

        // The info panel shows dense_1/neuron_3's stored activation (after tanh) of probe 0 at the first step.
        var run = TrainingRun.Open(Path.Combine(server.Root, "demo"));
        var first = run.LoadSnapshot(run.Snapshots[0]);
        var stored = first.Activations["1"].ToArray()[3];
        var bias = first.Parameters["0.bias"].ToArray()[3];
        var info = result.GetProperty("info").GetString()!;
        Assert.Contains("dense_1/neuron_3", info);
        Assert.Contains($"activation: {stored.ToString("F4", CultureInfo.InvariantCulture)}", info);
        Assert.Contains($"bias: {bias.ToString("F4", CultureInfo.InvariantCulture)}", info);

        // Hovering a connection of the last layer at the latest snapshot shows its stored weight and gradient.
        var hover = result.GetProperty("hover");
        var id = hover.GetProperty("id").GetInt32();
        var latest = run.LoadSnapshot(run.Snapshots[^1]);
        var hoverInfo = hover.GetProperty("info").GetString()!;
        Assert.Contains($"dense_2/neuron_{id % 16} → dense_3/neuron_{id / 16}", hoverInfo);
        Assert.Contains($"weight: {latest.Parameters["4.weight"].ToArray()[id].ToString("F4", CultureInfo.InvariantCulture)}", hoverInfo);
        Assert.Contains($"gradient: {Format(latest.Gradients["4.weight"].ToArray()[id])}", hoverInfo);
    }

    /// <summary>The page's number format (picking.js fmt): 4 decimals, exponential below 1e-3.</summary>
    private static string Format(float v) =>
        Math.Abs(v) >= 1e4 || (Math.Abs(v) < 1e-3 && v != 0) ? v.ToString("0.000e+0", CultureInfo.InvariantCulture) : v.ToString("F4", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Live_mode_shows_each_new_snapshot_within_two_seconds()
    {
        Browser.Require();
        await using var server = await ViewerServer.StartAsync();
        var folder = server.Store.CreateRunFolder("live");
        var data = NeuroCore.Data.SyntheticData.Spiral(50, 3, 0.1f);
        var model = DemoRun.Spiral(3);
        var recorder = new SnapshotRecorder(folder, DemoRun.Options(data));
        var optimizer = new NeuroCore.Optim.Adam(model.Parameters(), 0.03f);
        recorder.Begin(model); // the page opens the run before its first snapshot

        var written = new List<(int Step, long At)>();
        Thread? writer = null;
        Directory.CreateDirectory(Browser.ImagesDir);
        var result = Browser.Run("live", new Dictionary<string, string>
        {
            ["url"] = server.Url, ["run"] = "live", ["expect"] = "3", ["timeout"] = "20000", ["shots"] = Browser.ImagesDir,
        }, TimeSpan.FromMinutes(2), line =>
        {
            // The page is up: train in another thread, writing a snapshot every 0.8 s like a live recorder.
            writer = new Thread(() =>
            {
                var x = data.Inputs; var y = data.Targets;
                for (int s = 1; s <= 3; s++)
                {
                    Thread.Sleep(800);
                    for (int k = 0; k < 20; k++)
                    {
                        optimizer.ZeroGrad();
                        NeuroCore.NN.Functional.CrossEntropy(model.Call(x), y).Backward();
                        optimizer.Step();
                    }
                    recorder.Capture(model, s * 20, 0, loss: 1.0 / s);
                    lock (written) written.Add((s * 20, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
                }
            });
            writer.Start();
        });
        writer?.Join();

        var seen = result.GetProperty("seen").EnumerateArray().Select(e => (Step: e.GetProperty("step").GetInt32(), At: e.GetProperty("at").GetInt64())).ToList();
        Assert.Equal([20, 40, 60], seen.Select(s => s.Step));
        foreach (var (step, at) in written)
        {
            var shown = seen.First(s => s.Step == step).At;
            Assert.True(shown - at < 2000, $"step {step} appeared {shown - at} ms after it was written");
        }
        Assert.True(result.GetProperty("follow").GetBoolean());
        // Opened with no snapshot, the page picked its connections once the first one arrived.
        Assert.Equal("336 of 336 connections drawn", result.GetProperty("count").GetString());
    }
}
