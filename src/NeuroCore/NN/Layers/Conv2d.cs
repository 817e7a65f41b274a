using F = NeuroCore.NN.Functional;

namespace NeuroCore.NN;

/// <summary>
/// A 2-D convolution over NCHW input, like <c>torch.nn.Conv2d</c> (square kernel, equal stride and
/// zero padding on both axes). Parameters are <c>weight</c> [out, in, k, k] and <c>bias</c> [out], drawn
/// from U(−1/√fan_in, 1/√fan_in) with fan_in = in·k·k, as PyTorch does.
/// </summary>
public sealed class Conv2d : Module
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    /// <summary>Creates a convolution layer.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels of the output (number of filters).</param>
    /// <param name="kernelSize">Height and width of each filter.</param>
    /// <param name="stride">Step between filter positions.</param>
    /// <param name="padding">Zero padding added on every side.</param>
    /// <param name="bias">Whether to learn an additive bias per output channel.</param>
    /// <param name="generator">Source of the initial values; <see cref="Generator.Default"/> when null.</param>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, bool bias = true, Generator? generator = null)
    {
        LayerChecks.Positive(inChannels, nameof(inChannels), "Conv2d");
        LayerChecks.Positive(outChannels, nameof(outChannels), "Conv2d");
        LayerChecks.Positive(kernelSize, nameof(kernelSize), "Conv2d");
        LayerChecks.Positive(stride, nameof(stride), "Conv2d");
        LayerChecks.NonNegative(padding, nameof(padding), "Conv2d");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Weight = RegisterParameter("weight",
            Init.KaimingUniform(Tensor.Zeros(outChannels, inChannels, kernelSize, kernelSize), Math.Sqrt(5), generator: generator));
        if (bias)
        {
            double bound = 1 / Math.Sqrt(inChannels * kernelSize * kernelSize);
            Bias = RegisterParameter("bias", Init.Uniform(Tensor.Zeros(outChannels), -bound, bound, generator));
        }
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height and width.</summary>
    public int KernelSize { get; }

    /// <summary>Stride on both axes.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on every side.</summary>
    public int Padding { get; }

    /// <summary>The filters, [out, in, k, k].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, [out], or null when created without one.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => F.Conv2d(input, Weight, Bias, Stride, Padding);

    internal override Tensor? ForwardThenRelu(Tensor input) => F.Conv2d(input, Weight, Bias, Stride, Padding, relu: true);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Config => new Dictionary<string, object>
    {
        ["in_channels"] = InChannels,
        ["out_channels"] = OutChannels,
        ["kernel_size"] = KernelSize,
        ["stride"] = Stride,
        ["padding"] = Padding,
        ["bias"] = Bias is not null,
    };
}
