using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using NeuroCore.Snapshots;
using NeuroCore.Visualization.Layout;
using NeuroCore.Visualization.Model;

namespace NeuroCore.Viewer.Tests;

/// <summary>The viewer's data API over HTTP on a real Kestrel: what the pages read must be the stored values.</summary>
public sealed class ViewerApiTests
{
    private static float[] Floats(JsonElement e) => MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(e.GetString()!)).ToArray();

    [Fact]
    public async Task View_has_the_layout_of_NetworkLayout_and_every_snapshot()
    {
        await using var server = await ViewerServer.StartAsync(seed: s => DemoRun.Record(Path.Combine(s.Root, "demo")));
        var view = JsonDocument.Parse(await server.Client.GetStringAsync("/api/runs/demo/view?budget=100")).RootElement;

        var run = TrainingRun.Open(Path.Combine(server.Root, "demo"));
        var layout = NetworkLayout.Compute(new NeuroCore.Visualization.Runs.RunModel(run).Architecture);
        var layers = view.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(4, layers.Count);
        Assert.Equal(["input", "dense_1", "dense_2", "dense_3"], layers.Select(l => l.GetProperty("name").GetString()));
        var positions = Floats(layers[1].GetProperty("positions"));
        Assert.Equal(layout.Layers[1].Positions[5].Y, positions[3 * 5 + 1]);
        Assert.Equal(layout.Layers[1].Positions[5].Z, positions[3 * 5 + 2]);
        Assert.Equal(run.Snapshots.Select(s => s.Step), view.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("step").GetInt64()));
        Assert.Equal(["arm 0", "arm 1", "arm 2"], view.GetProperty("classNames").EnumerateArray().Select(c => c.GetString()));

        var conn = view.GetProperty("connections");
        Assert.Equal(100, conn.GetProperty("shown").GetInt64());
        Assert.Equal(2 * 16 + 16 * 16 + 16 * 3, conn.GetProperty("total").GetInt64());
        Assert.Equal(65, view.GetProperty("colors").GetProperty("sequential").GetArrayLength());
    }

    [Fact]
    public async Task Step_payload_holds_the_stored_weights_activations_and_gradients()
    {
        await using var server = await ViewerServer.StartAsync(seed: s => DemoRun.Record(Path.Combine(s.Root, "demo")));
        var run = TrainingRun.Open(Path.Combine(server.Root, "demo"));
        var entry = run.Snapshots[3];
        var snap = run.LoadSnapshot(entry);
        var step = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/runs/demo/view/steps/{entry.Step}?probe=2")).RootElement;
        var layers = step.GetProperty("layers").EnumerateArray().ToList();

        Assert.Equal(snap.Parameters["2.weight"].ToArray(), Floats(layers[2].GetProperty("connections")));
        Assert.Equal(snap.Parameters["2.bias"].ToArray(), Floats(layers[2].GetProperty("bias")));
        Assert.Equal(snap.Gradients["2.weight"].ToArray(), Floats(layers[2].GetProperty("gradients")));
        // dense_1's drawn activations are those after its tanh (module "1"), probe row 2.
        var acts = snap.Activations["1"].ToArray().AsSpan(2 * 16, 16).ToArray();
        Assert.Equal(acts, Floats(layers[1].GetProperty("activations")));
        var probe = run.LoadProbe()!.Inputs.ToArray().AsSpan(4, 2).ToArray();
        Assert.Equal(probe, Floats(layers[0].GetProperty("activations")));
    }

    [Fact]
    public async Task Unknown_runs_steps_and_probes_are_problem_details()
    {
        await using var server = await ViewerServer.StartAsync(seed: s => DemoRun.Record(Path.Combine(s.Root, "demo"), epochs: 2));
        var missing = await server.Client.GetAsync("/api/runs/nope/view");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/api/runs/demo/view/steps/7")).StatusCode);
        var badProbe = await server.Client.GetAsync("/api/runs/demo/view/steps/0?probe=99");
        Assert.Equal(HttpStatusCode.BadRequest, badProbe.StatusCode);
        Assert.Contains("probe 99", await badProbe.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/api/runs/..%2F..%2Fetc/view")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/viewer/../../NeuroCore.Viewer.dll")).StatusCode);
    }

    [Fact]
    public async Task Pages_and_vendored_three_are_served_from_the_assembly()
    {
        await using var server = await ViewerServer.StartAsync();
        foreach (var path in new[] { "/", "/runs/x", "/playground", "/viewer/vendor/three/three.module.js", "/viewer/vendor/three/three.core.js", "/viewer/js/viewer.js" })
        {
            var r = await server.Client.GetAsync(path);
            Assert.True(r.IsSuccessStatusCode, $"{path}: {r.StatusCode}");
        }
        var three = await server.Client.GetStringAsync("/viewer/vendor/three/three.core.js");
        Assert.Contains("const REVISION = '187'", three);
        Assert.Equal("text/javascript", (await server.Client.GetAsync("/viewer/js/scene.js")).Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Events_stream_announces_a_snapshot_written_while_watching()
    {
        await using var server = await ViewerServer.StartAsync();
        var folder = server.Store.CreateRunFolder("live");
        var data = SyntheticData();
        var model = DemoRun.Spiral(1);
        var recorder = new SnapshotRecorder(folder, DemoRun.Options(data));
        recorder.Capture(model, 0, 0);

        using var response = await server.Client.GetAsync("/api/runs/live/events?after=0", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        recorder.Capture(model, 5, 0, loss: 1.25);
        var written = DateTime.UtcNow;
        string? line;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while ((line = await reader.ReadLineAsync(cts.Token)) is not null && !line.StartsWith("data: {\"step\":5", StringComparison.Ordinal)) { }
        Assert.NotNull(line);
        Assert.True(DateTime.UtcNow - written < TimeSpan.FromSeconds(1), $"the snapshot took {(DateTime.UtcNow - written).TotalMilliseconds:0} ms to arrive");
        Assert.Contains("\"loss\":1.25", line);
    }

    private static NeuroCore.Data.TensorDataset SyntheticData() => NeuroCore.Data.SyntheticData.Spiral(20, 3, 0.1f);
}

/// <summary>Convolution layers: feature-map planes, kernel-mean connections, stored activations per map pixel.</summary>
public sealed class ConvViewTests
{
    private static float[] Floats(JsonElement e) => MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(e.GetString()!)).ToArray();

    [Fact]
    public async Task Conv_run_has_planes_and_kernel_mean_connections()
    {
        await using var server = await ViewerServer.StartAsync(seed: s => ConvRun.Record(Path.Combine(s.Root, "conv")));
        var view = JsonDocument.Parse(await server.Client.GetStringAsync("/api/runs/conv/view")).RootElement;
        var layers = view.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(["Input", "Conv2d", "Pool2d", "Dense"], layers.Select(l => l.GetProperty("kind").GetString()));
        Assert.Equal(4, layers[1].GetProperty("planes").GetInt32());
        Assert.Equal(8, layers[1].GetProperty("rows").GetInt32());

        var run = TrainingRun.Open(Path.Combine(server.Root, "conv"));
        var entry = run.Snapshots[^1];
        var snap = run.LoadSnapshot(entry);
        var step = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/runs/conv/view/steps/{entry.Step}")).RootElement;
        var conv = step.GetProperty("layers")[1];
        var kernels = snap.Parameters["0.weight"].ToArray(); // [4, 1, 3, 3]
        var means = Floats(conv.GetProperty("connections"));
        Assert.Equal(4, means.Length);
        Assert.Equal(kernels.AsSpan(9, 9).ToArray().Average(), means[1], 1e-5f);
        var acts = Floats(conv.GetProperty("activations"));
        Assert.Equal(snap.Activations["1"].ToArray().AsSpan(0, 256).ToArray(), acts); // after the ReLU, probe 0
    }

    [Fact]
    public async Task Viewer_draws_feature_maps_and_picks_a_pixel_of_one()
    {
        Browser.Require();
        await using var server = await ViewerServer.StartAsync(seed: s => ConvRun.Record(Path.Combine(s.Root, "conv")));
        Directory.CreateDirectory(Browser.ImagesDir);
        // Neuron 2*64 + 3*8 + 5: feature map 2, row 3, column 5 of conv_1.
        var result = Browser.Run("viewer", new Dictionary<string, string>
        {
            ["url"] = server.Url, ["run"] = "conv", ["neuron"] = "1,157", ["budget2"] = "10", ["shots"] = Browser.ImagesDir, ["prefix"] = "viewer-conv",
        }, TimeSpan.FromMinutes(3));
        Assert.True(result.GetProperty("nonBackground").GetDouble() > 0.01);
        var info = result.GetProperty("info").GetString()!;
        Assert.Contains("conv_1/neuron_157  (map 2, row 3, col 5)", info);
        var run = TrainingRun.Open(Path.Combine(server.Root, "conv"));
        var stored = run.LoadSnapshot(run.Snapshots[0]).Activations["1"].ToArray()[157];
        Assert.Contains($"activation: {stored.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)}", info);
        // 4 kernels (1 input plane → 4 maps) + 3 × 64 dense weights from the pooled maps.
        Assert.Equal("10 of 196 connections drawn", result.GetProperty("count2").GetString());
    }
}
