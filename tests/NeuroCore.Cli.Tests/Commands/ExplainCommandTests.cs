using NeuroCore.NN;
using NeuroCore.Onnx;
using NeuroCore.Snapshots;
using NeuroCore.Visualization.Explain;
using NeuroCore.Cli.Tests.Infrastructure;
using NeuroCore.Visualization.Tests.Explain;
using NeuroCore.Visualization.Tests.Infrastructure;
using SkiaSharp;

namespace NeuroCore.Cli.Tests.Commands;

/// <summary><c>neurocore explain</c> and <c>neurocore export onnx</c> on a recorded convolutional run.</summary>
[Collection(SquareImages.Collection)]
public class ExplainCommandTests
{
    /// <summary>Records the trained square-finding convnet as a run with a probe of square images.</summary>
    private static string RecordRun(TempFolder dir, Sequential model)
    {
        var (images, labels) = SquareImages.Dataset(6, seed: 3);
        var folder = dir.Sub("square-run");
        var recorder = new SnapshotRecorder(folder, new SnapshotRecorderOptions { Probe = new ProbeBatch(images, labels) });
        recorder.Capture(model, 100, 1, loss: 0.1);
        recorder.Complete();
        return folder;
    }

    [Fact]
    public void TheRunsModelIsRebuiltWithTheSnapshotsWeights()
    {
        using var dir = new TempFolder();
        var model = SquareImages.Model.Model;
        var run = TrainingRun.Open(RecordRun(dir, model));
        var (rebuilt, snapshot) = RunSequential.Load(run, 100);
        Assert.Equal(100, snapshot.Step);
        Assert.Equal(model.Layers.Select(l => l.TypeName), rebuilt.Layers.Select(l => l.TypeName));
        var x = SquareImages.Dataset(4, seed: 11).Images;
        using var _ = Autograd.GradMode.NoGrad();
        Assert.Equal(model.Call(x).ToArray(), rebuilt.Call(x).ToArray());
    }

    [Fact]
    public void ExplainWritesEveryAnalysisAndAnIndexPage()
    {
        using var dir = new TempFolder();
        var folder = RecordRun(dir, SquareImages.Model.Model);
        var output = dir.Sub("explain");
        var result = CliRunner.Run("explain", folder, "--step", "100", "--input", "0", "-o", output);
        Assert.True(result.ExitCode == 0, result.Err);
        var html = File.ReadAllText(Path.Combine(output, "index.html"));
        foreach (var png in new[] { "filters.png", "top-first-conv.png", "top-last-conv.png", "input.png", "occlusion.png", "saliency.png", "gradcam.png" })
        {
            Assert.Contains($"src=\"{png}\"", html);
            using var bitmap = SKBitmap.Decode(Path.Combine(output, png));
            Assert.NotNull(bitmap);
            Assert.True(bitmap.Width > 16 && bitmap.Height > 16, $"{png}: {bitmap.Width}×{bitmap.Height}");
        }
        // The glTF scene holds every image as a textured plane and passes SharpGLTF's validation on load.
        var scene = SharpGLTF.Schema2.ModelRoot.Load(Path.Combine(output, "explain.glb"));
        Assert.Equal(7, scene.LogicalImages.Count);
        Assert.Equal(7, scene.LogicalMeshes.Count);
        Assert.All(scene.LogicalMaterials, m => Assert.NotNull(m.FindChannel("BaseColor")!.Value.Texture));
        Assert.Contains(scene.LogicalNodes, n => n.Name == "gradcam");
        Assert.Contains("href=\"explain.glb\"", html);
        // Probe image 0 has a square (class 1): predicted and explained as such.
        Assert.Contains("predicted 1", html);
        using var filters = SKBitmap.Decode(Path.Combine(output, "filters.png"));
        Assert.Equal(3 * 42 + 2, filters.Width); // 8 filters in a 3-column grid of 40-pixel cells
    }

    [Fact]
    public void ExplainSceneIsValidGltf()
    {
        JsHarness.RequireValidator();
        using var dir = new TempFolder();
        var path = dir.Sub("explain.glb");
        var model = SquareImages.Model.Model;
        var (images, _) = SquareImages.Dataset(4, seed: 21);
        ExplainReport.Write(model, images, dir.Sub("out"), new ExplainOptions { InputIndex = 0, Top = 2 });
        var report = JsHarness.Validate(Path.Combine(dir.Sub("out"), "explain.glb")).Single();
        var messages = string.Join("\n", report.GetProperty("messages").EnumerateArray().Select(m => m.GetString()));
        Assert.True(report.GetProperty("errors").GetInt32() == 0, messages);
        Assert.True(report.GetProperty("warnings").GetInt32() == 0, messages);
    }

    [Fact]
    public void ExplainErrorsAreOneLine()
    {
        using var dir = new TempFolder();
        var folder = RecordRun(dir, SquareImages.Model.Model);
        var badInput = CliRunner.Run("explain", folder, "--input", "99", "-o", dir.Sub("x"));
        Assert.Equal(1, badInput.ExitCode);
        Assert.Equal("error: --input 99 is not a probe image; the run has 6 (0..5).", Assert.Single(badInput.ErrLines));
        var badStep = CliRunner.Run("explain", folder, "--step", "7", "-o", dir.Sub("x"));
        Assert.Equal(1, badStep.ExitCode);
        Assert.Contains("no snapshot at step 7", Assert.Single(badStep.ErrLines));
        var missing = CliRunner.Run("explain", dir.Sub("nothing-here"), "-o", dir.Sub("x"));
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: ", Assert.Single(missing.ErrLines));
        Assert.Equal(2, CliRunner.Run("explain", folder).ExitCode); // -o is required: a usage error
    }

    [Fact]
    public void ExportOnnxWritesAModelThatComputesTheSameOutputs()
    {
        using var dir = new TempFolder();
        var model = SquareImages.Model.Model;
        var folder = RecordRun(dir, model);
        var path = dir.Sub("model.onnx");
        var result = CliRunner.Run("export", "onnx", folder, "-o", path);
        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Contains("model.onnx", result.Out);
        var imported = OnnxModel.Load(path);
        var x = SquareImages.Dataset(3, seed: 12).Images;
        using var _ = Autograd.GradMode.NoGrad();
        Assert.Equal(model.Call(x).ToArray(), imported.Call(x).ToArray());
        var bad = CliRunner.Run("export", "onnx", folder, "--step", "5", "-o", path);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("no snapshot at step 5", Assert.Single(bad.ErrLines));
    }
}
