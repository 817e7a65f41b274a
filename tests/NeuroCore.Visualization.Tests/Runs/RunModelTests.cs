using NeuroCore.NN;
using NeuroCore.Snapshots;
using NeuroCore.Visualization.Gltf;
using NeuroCore.Visualization.Model;
using NeuroCore.Visualization.Runs;
using SharpGLTF.Schema2;

namespace NeuroCore.Visualization.Tests.Runs;

/// <summary>The run model over a recorded run: drawn layers, activations, weights, step lookup, the rebuilt network, and valid scenes.</summary>
public class RunModelTests
{
    private static string RecordConvRun(TempDir dir, int snapshots)
    {
        var g = new Generator(7);
        // input [1, 8, 8] -> conv [3, 6, 6] -> relu -> pool [3, 3, 3] -> flatten 27 -> linear 4
        var model = new Sequential(new Conv2d(1, 3, 3, generator: g), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(27, 4, generator: g));
        var probe = new ProbeBatch(Tensor.Rand([2, 1, 8, 8], g), Tensor.FromArray([0L, 1L], 2));
        var folder = dir.File("conv-run");
        var recorder = new SnapshotRecorder(folder, new SnapshotRecorderOptions { Probe = probe });
        for (var s = 0; s < snapshots; s++)
        {
            recorder.Capture(model, s * 10, 0, loss: 1.0 / (s + 1));
            // Move every weight a little so snapshots differ (no optimizer needed).
            model.LoadStateDict(model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Detach() * 0.9f + 0.01f));
        }
        recorder.Complete();
        return folder;
    }

    [Fact]
    public void ConvRunMapsToInputConvPoolDenseWithPostActivationValues()
    {
        using var dir = new TempDir();
        var folder = RecordConvRun(dir, 3);
        var source = RunModel.Open(folder);
        var layers = source.Architecture.Layers;
        Assert.Equal(["input", "conv_1", "pool_1", "dense_1"], layers.Select(l => l.Name));
        Assert.Equal([LayerKind.Input, LayerKind.Conv2d, LayerKind.Pool2d, LayerKind.Dense], layers.Select(l => l.Kind));
        Assert.Equal([3, 6, 6], layers[1].Shape);
        Assert.Equal([0L, 10L, 20L], source.Steps);
        Assert.Equal(2, source.ProbeCount);

        var snap = source.Load(1, probe: 1);
        var run = TrainingRun.Open(folder);
        var raw = run.LoadSnapshot(10);
        Assert.Equal(raw.Parameters["0.weight"].ToArray(), snap.Weights[1]!.Values);
        Assert.Equal([3, 1, 3, 3], snap.Weights[1]!.Shape);
        Assert.Equal(raw.Parameters["4.weight"].ToArray(), snap.Weights[3]!.Values);
        // conv_1's drawn activations are after its ReLU (module "1"), probe row 1.
        var relu = raw.Activations["1"].ToArray();
        Assert.Equal(relu.AsSpan(108, 108).ToArray(), snap.Activations![1]);
        Assert.All(snap.Activations[1]!, v => Assert.True(v >= 0));
        Assert.Equal(run.LoadProbe()!.Inputs.ToArray().AsSpan(64, 64).ToArray(), snap.Activations[0]);
        Assert.Equal(0.5, snap.Metrics!["loss"], 6);
    }

    [Fact]
    public void ConvRunTimelinePassesTheValidatorAndHasTheExpectedMeshes()
    {
        using var dir = new TempDir();
        var source = RunModel.Open(RecordConvRun(dir, 3));
        var path = dir.File("conv.glb");
        GltfExporter.ExportTimeline(source, path);
        var m = ModelRoot.Load(path);
        // Per snapshot: 4 neuron meshes (the input's shared) and 2 connection meshes (conv planes, dense).
        Assert.Equal(3 * 6, m.LogicalNodes.Count(n => n.Mesh is not null));
        var conv = m.LogicalNodes.Single(n => n.Name?.StartsWith("step_20/conv_1/connections") == true);
        Assert.Equal("step_20/conv_1/connections (3 of 3 shown)", conv.Name);
        Assert.Equal(3 * 6, conv.Mesh.Primitives[0].GetVertexAccessor("POSITION").Count);
        Assert.Equal(3 * 36 + 3 * 9, m.LogicalNodes.Count(n => n.Name?.Contains("/neuron_") == true) - 64 - 4);
        JsHarness.RequireValidator();
        var report = Assert.Single(JsHarness.Validate(path));
        Assert.Equal(0, report.GetProperty("errors").GetInt32());
        Assert.Equal(0, report.GetProperty("warnings").GetInt32());
    }
}
