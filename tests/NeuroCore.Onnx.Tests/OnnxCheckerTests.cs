using NeuroCore.Onnx.Tests.Infrastructure;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Onnx.Tests;

/// <summary>Exported files pass the official checker of an older tool, Debian's onnx 1.12 (full check, with shape inference).</summary>
public class OnnxCheckerTests
{
    [Fact]
    public void EveryExportPassesOnnx112Checker()
    {
        OnnxChecker.RequireAvailable();
        using var dir = new TempDirectory();
        var failures = new List<string>();
        foreach (var name in ModelZoo.AllNames)
        {
            var (model, input) = ModelZoo.Create(name);
            var path = dir.File(name + ".onnx");
            model.SaveOnnx(path, ModelZoo.OptionsFor(input));
            if (OnnxChecker.Check(path) is { } error) failures.Add($"{name}: {error}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void CheckerRejectsABrokenFile()
    {
        // The checker really checks: a node reading an undefined value fails it.
        OnnxChecker.RequireAvailable();
        using var dir = new TempDirectory();
        var proto = OnnxExporter.BuildModel(ModelZoo.Create("relu").Model, new OnnxExportOptions { InputShape = [6] });
        proto.Graph.Node[0].Input[0] = "nowhere";
        var path = dir.File("broken.onnx");
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(proto));
        Assert.NotNull(OnnxChecker.Check(path));
    }
}
