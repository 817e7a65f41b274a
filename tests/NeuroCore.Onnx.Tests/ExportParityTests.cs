using NeuroCore.Autograd;
using NeuroCore.NN;
using NeuroCore.Onnx.Tests.Infrastructure;

namespace NeuroCore.Onnx.Tests;

/// <summary>Exported models give ONNX Runtime's outputs equal to NeuroCore's, layer by layer and for the Fashion-MNIST CNN.</summary>
public class ExportParityTests
{
    // float32 kernels differ in summation order (ORT's GEMM/conv vs NeuroCore's): 1e-5 absolute on O(1) outputs.
    private const float Tolerance = 1e-5f;

    [Theory]
    [MemberData(nameof(ModelZoo.Names), MemberType = typeof(ModelZoo))]
    public void OnnxRuntimeMatchesNeuroCore(string name)
    {
        var (model, input) = ModelZoo.Create(name);
        var expected = Forward(model, input);
        var (actual, shape) = OnnxRuntimeRunner.Run(model.ToOnnx(ModelZoo.OptionsFor(input)), input);
        Assert.Equal(expected.Shape, shape);
        AssertClose(expected.ToArray(), actual, Tolerance, name);
    }

    [Fact]
    public void FashionCnnMatchesOnSeveralRandomInputs()
    {
        var g = new Generator(7);
        var model = ModelZoo.FashionCnn(g);
        model.Eval();
        var bytes = model.ToOnnx(new OnnxExportOptions { InputShape = [1, 28, 28] });
        for (int trial = 0; trial < 3; trial++)
        {
            var x = Tensor.Rand([4, 1, 28, 28], g);
            var (actual, shape) = OnnxRuntimeRunner.Run(bytes, x);
            Assert.Equal([4, 10], shape);
            AssertClose(Forward(model, x).ToArray(), actual, Tolerance, $"trial {trial}");
        }
    }

    [Fact]
    public void InitializersCarryStateDictNames()
    {
        var (model, _) = ModelZoo.Create("batch_norm2d");
        var proto = OnnxExporter.BuildModel(model, null);
        var names = proto.Graph.Initializer.Select(i => i.Name).ToHashSet();
        foreach (var key in new[] { "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var" })
            Assert.Contains(key, names);
        Assert.Equal(OnnxFormat.IrVersion, proto.IrVersion);
        Assert.Equal(17, proto.OpsetImport.Single().Version);
        Assert.DoesNotContain(proto.Graph.Node, n => n.OpType == "Gelu");
    }

    [Fact]
    public void ExactGeluIsItsErfSubgraph()
    {
        var proto = OnnxExporter.BuildModel(new Sequential(new Linear(3, 3), new GELU()), null);
        Assert.Equal(["Gemm", "Div", "Erf", "Add", "Mul", "Mul"], proto.Graph.Node.Select(n => n.OpType));
    }

    [Fact]
    public void UnsupportedLayerIsNamed()
    {
        var model = new Sequential(new Linear(3, 3), new Custom());
        var e = Assert.Throws<NotSupportedException>(() => model.ToOnnx());
        Assert.Contains("'1'", e.Message);
        Assert.Contains("Custom", e.Message);
    }

    [Fact]
    public void SaveOnnxWritesTheFileAtomically()
    {
        using var dir = new NeuroCore.Tests.Infrastructure.TempDirectory();
        var (model, input) = ModelZoo.Create("fashion_cnn");
        var path = dir.File("sub/model.onnx");
        model.SaveOnnx(path);
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        var (actual, _) = OnnxRuntimeRunner.Run(File.ReadAllBytes(path), input);
        AssertClose(Forward(model, input).ToArray(), actual, Tolerance, "file");
    }

    internal static Tensor Forward(Sequential model, Tensor input)
    {
        using var _ = GradMode.NoGrad();
        return model.Call(input);
    }

    internal static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            float d = MathF.Abs(expected[i] - actual[i]);
            if (!(d <= worst)) { worst = d; at = i; }
        }
        Assert.True(worst <= tolerance, $"{what}: max |difference| {worst:G4} at {at} (expected {(at >= 0 ? expected[at] : 0)}, got {(at >= 0 ? actual[at] : 0)}) exceeds {tolerance:G2}");
    }

    private sealed class Custom : Module
    {
        public override Tensor Forward(Tensor input) => input;
    }
}
