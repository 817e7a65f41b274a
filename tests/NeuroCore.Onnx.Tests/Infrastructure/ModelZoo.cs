using NeuroCore.NN;

namespace NeuroCore.Onnx.Tests.Infrastructure;

/// <summary>Seeded models covering every exported layer, with a matching random input.</summary>
public static class ModelZoo
{
    public static TheoryData<string> Names => new(Cases.Keys);

    public static IEnumerable<string> AllNames => Cases.Keys;

    public static (Sequential Model, Tensor Input) Create(string name)
    {
        var g = new Generator(42);
        var (model, input) = Cases[name](g);
        using var noGrad = NeuroCore.Autograd.GradMode.NoGrad();
        foreach (var bn in model.NamedModules().Select(m => m.Module).OfType<BatchNormBase>())
        {
            // Non-trivial running statistics, so eval-mode BatchNorm is really exercised.
            bn.RunningMean.CopyInPlace(Tensor.Uniform([bn.NumFeatures], -0.5f, 0.5f, g));
            bn.RunningVar.CopyInPlace(Tensor.Uniform([bn.NumFeatures], 0.5f, 2f, g));
            bn.Weight!.CopyInPlace(Tensor.Uniform([bn.NumFeatures], 0.5f, 1.5f, g));
            bn.Bias!.CopyInPlace(Tensor.Uniform([bn.NumFeatures], -0.5f, 0.5f, g));
        }
        model.Eval();
        return (model, input);
    }

    /// <summary>Export options declaring <paramref name="input"/>'s per-example shape.</summary>
    public static OnnxExportOptions OptionsFor(Tensor input) => new() { InputShape = input.Shape[1..] };

    /// <summary>The Fashion-MNIST CNN of samples/FashionMnist.</summary>
    public static Sequential FashionCnn(Generator g) => new(
        new Conv2d(1, 16, 3, generator: g), new ReLU(), new MaxPool2d(2),
        new Conv2d(16, 32, 3, generator: g), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(32 * 5 * 5, 10, generator: g));

    private static readonly Dictionary<string, Func<Generator, (Sequential, Tensor)>> Cases = new()
    {
        ["linear"] = g => (new(new Linear(7, 5, generator: g)), Tensor.Randn([3, 7], g)),
        ["linear_no_bias"] = g => (new(new Linear(7, 5, bias: false, generator: g)), Tensor.Randn([3, 7], g)),
        ["linear_rank3"] = g => (new(new Linear(7, 5, generator: g)), Tensor.Randn([2, 3, 7], g)),
        ["conv2d"] = g => (new(new Conv2d(3, 4, 3, generator: g)), Tensor.Randn([2, 3, 9, 9], g)),
        ["conv2d_stride_pad_no_bias"] = g => (new(new Conv2d(2, 3, 5, stride: 2, padding: 2, bias: false, generator: g)), Tensor.Randn([1, 2, 11, 10], g)),
        ["maxpool2d"] = g => (new(new MaxPool2d(2)), Tensor.Randn([2, 3, 9, 8], g)),
        ["maxpool2d_stride"] = g => (new(new MaxPool2d(3, stride: 2)), Tensor.Randn([2, 2, 11, 11], g)),
        ["avgpool2d"] = g => (new(new AvgPool2d(2)), Tensor.Randn([2, 3, 8, 9], g)),
        ["flatten"] = g => (new(new Flatten()), Tensor.Randn([2, 3, 4, 5], g)),
        ["flatten_from_2"] = g => (new(new Flatten(2)), Tensor.Randn([2, 3, 4, 5], g)),
        ["relu"] = g => (new(new ReLU()), Tensor.Randn([4, 6], g)),
        ["leaky_relu"] = g => (new(new LeakyReLU(0.2f)), Tensor.Randn([4, 6], g)),
        ["tanh"] = g => (new(new Tanh()), Tensor.Randn([4, 6], g)),
        ["sigmoid"] = g => (new(new Sigmoid()), Tensor.Randn([4, 6], g)),
        ["gelu"] = g => (new(new GELU()), Tensor.Randn([4, 6], g) * 3f),
        ["gelu_tanh"] = g => (new(new GELU(GeluApproximation.Tanh)), Tensor.Randn([4, 6], g) * 3f),
        ["softmax"] = g => (new(new Softmax(1)), Tensor.Randn([4, 6], g)),
        ["softmax_last_rank3"] = g => (new(new Softmax(-1)), Tensor.Randn([2, 4, 6], g)),
        ["log_softmax"] = g => (new(new LogSoftmax(1)), Tensor.Randn([4, 6], g)),
        ["layer_norm"] = g => (new(new Linear(6, 6, generator: g), new LayerNorm(6)), Tensor.Randn([4, 6], g)),
        ["layer_norm_no_affine"] = g => (new(new LayerNorm(6, eps: 1e-3f, elementwiseAffine: false)), Tensor.Randn([2, 3, 6], g)),
        ["batch_norm1d"] = g => (new(new Linear(5, 6, generator: g), new BatchNorm1d(6)), Tensor.Randn([4, 5], g)),
        ["batch_norm2d"] = g => (new(new Conv2d(2, 3, 3, generator: g), new BatchNorm2d(3, eps: 1e-3f)), Tensor.Randn([2, 2, 7, 7], g)),
        ["dropout"] = g => (new(new Linear(5, 6, generator: g), new Dropout(0.5f), new ReLU()), Tensor.Randn([4, 5], g)),
        ["embedding"] = g => (new(new Embedding(11, 4, g), new Flatten(), new Linear(12, 3, generator: g)),
            Tensor.FromArray(new long[] { 0, 3, 10, 7, 7, 1 }, 2, 3)),
        ["nested_mlp"] = g => (new(new Sequential(new Linear(4, 8, generator: g), new Tanh()), new Linear(8, 3, generator: g), new Softmax()), Tensor.Randn([5, 4], g)),
        ["fashion_cnn"] = g => (FashionCnn(g), Tensor.Rand([3, 1, 28, 28], g)),
    };
}
