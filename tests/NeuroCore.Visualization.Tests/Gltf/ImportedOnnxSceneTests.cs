using NeuroCore.Onnx;
using NeuroCore.Snapshots;
using NeuroCore.Visualization.Gltf;
using NeuroCore.Visualization.Model;

namespace NeuroCore.Visualization.Tests.Gltf;

/// <summary>A PyTorch model brought in through ONNX records probe activations and becomes a 3D scene like a native one.</summary>
public class ImportedOnnxSceneTests
{
    [Fact]
    public void PyTorchCnnFromOnnxBecomesAConvScene()
    {
        using var dir = new TempDir();
        var model = OnnxModel.Load(Path.Combine(RepoPaths.Root, "tests", "NeuroCore.Onnx.Tests", "Fixtures", "fashion_cnn.onnx"));
        var probe = new ProbeBatch(Tensor.Rand([2, 1, 28, 28], new Generator(3)), Tensor.FromArray([0L, 1L], 2));
        var folder = dir.File("imported-run");
        var recorder = new SnapshotRecorder(folder, new SnapshotRecorderOptions { Probe = probe });
        recorder.Capture(model, 0, 0);
        recorder.Complete();
        var source = NeuroCore.Visualization.Runs.RunModel.Open(folder);
        Assert.Equal([LayerKind.Input, LayerKind.Conv2d, LayerKind.Pool2d, LayerKind.Conv2d, LayerKind.Pool2d, LayerKind.Dense],
            source.Architecture.Layers.Select(l => l.Kind));
        var files = GltfExporter.ExportStep(source, source.Steps[0], dir.File("imported.glb"));
        Assert.True(new FileInfo(files[0]).Length > 10_000);
        // …and its filters and attributions can be opened like a native model's.
        var explained = NeuroCore.Visualization.Explain.ExplainReport.Write(model, probe.Inputs, dir.File("explain"), new() { Top = 2 });
        Assert.All(explained.Files.Values, f => Assert.True(File.Exists(Path.Combine(dir.File("explain"), f)), f));
    }
}
