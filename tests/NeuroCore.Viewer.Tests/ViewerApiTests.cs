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
        var layout = NetworkLayout.Compute(new TrainingRunSource(run).Architecture);
        var layers = view.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(4, layers.Count);
        Assert.Equal(["input", "dense_1", "dense_2", "dense_3"], layers.Select(l => l.GetProperty("name").GetString()));
        var positions = Floats(layers[1].GetProperty("positions"));
        Assert.Equal(layout.Layers[1].Positions[5].Y, positions[3 * 5 + 1]);
        Assert.Equal(layout.Layers[1].Positions[5].Z, positions[3 * 5 + 2]);
        Assert.Equal(run.Snapshots.Select(s => s.Step), view.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("step").GetInt32()));
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
