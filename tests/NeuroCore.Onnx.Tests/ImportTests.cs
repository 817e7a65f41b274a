using System.Text.Json;
using NeuroCore.NN;
using NeuroCore.Onnx.Tests.Infrastructure;

namespace NeuroCore.Onnx.Tests;

/// <summary>ONNX files from PyTorch, and NeuroCore's own exports, load into a Sequential that computes the same outputs.</summary>
public class ImportTests
{
    public static TheoryData<string> Fixtures => new("fashion_cnn", "mlp_norms", "conv_bn_avgpool", "embedding_linear", "gelu_tanh");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void PyTorchExportLoadsWithItsWeights(string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        var model = OnnxModel.Load(Path.Combine(dir, name + ".onnx"));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, name + ".json")));
        var root = json.RootElement;
        int[] inShape = [.. root.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt32())];
        var input = root.GetProperty("input_dtype").GetString() == "int64"
            ? Tensor.FromArray(root.GetProperty("input").EnumerateArray().Select(e => e.GetInt64()).ToArray(), inShape)
            : Tensor.FromArray(root.GetProperty("input").EnumerateArray().Select(e => e.GetSingle()).ToArray(), inShape);
        int[] outShape = [.. root.GetProperty("output_shape").EnumerateArray().Select(e => e.GetInt32())];
        float[] expected = [.. root.GetProperty("output").EnumerateArray().Select(e => e.GetSingle())];

        var actual = ExportParityTests.Forward(model, input);
        Assert.Equal(outShape, actual.Shape);
        ExportParityTests.AssertClose(expected, actual.ToArray(), 1e-5f, name);
        Assert.False(model.IsTraining);
    }

    [Fact]
    public void PyTorchFashionCnnBecomesTheSameLayers()
    {
        var model = OnnxModel.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion_cnn.onnx"));
        Assert.Equal(["Conv2d", "ReLU", "MaxPool2d", "Conv2d", "ReLU", "MaxPool2d", "Flatten", "Linear"], model.Layers.Select(l => l.TypeName));
        var conv = (Conv2d)model[3];
        Assert.Equal((16, 32, 3), (conv.InChannels, conv.OutChannels, conv.KernelSize));
        var mlp = OnnxModel.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlp_norms.onnx"));
        Assert.Contains(mlp.Layers, l => l is GELU { Approximate: GeluApproximation.None });
        Assert.Contains(mlp.Layers, l => l is BatchNorm1d);
        Assert.Contains(mlp.Layers, l => l is LayerNorm);
    }

    [Theory]
    [MemberData(nameof(ModelZoo.Names), MemberType = typeof(ModelZoo))]
    public void RoundTripGivesIdenticalOutputs(string name)
    {
        var (model, input) = ModelZoo.Create(name);
        var imported = OnnxModel.Load(model.ToOnnx(ModelZoo.OptionsFor(input)));
        var expected = ExportParityTests.Forward(model, input).ToArray();
        var actual = ExportParityTests.Forward(imported, input).ToArray();
        Assert.Equal(expected, actual); // bit for bit: the same layers with the same weights
    }

    [Fact]
    public void RoundTripOfAnImportedPyTorchModelRunsInOnnxRuntime()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        var model = OnnxModel.Load(Path.Combine(dir, "mlp_norms.onnx"));
        var x = Tensor.Randn([5, 8], new Generator(3));
        var (actual, _) = OnnxRuntimeRunner.Run(model.ToOnnx(), x);
        ExportParityTests.AssertClose(ExportParityTests.Forward(model, x).ToArray(), actual, 1e-5f, "re-export");
    }
}
