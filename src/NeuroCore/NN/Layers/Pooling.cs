using F = NeuroCore.NN.Functional;

namespace NeuroCore.NN;

/// <summary>2-D max pooling over NCHW input, like <c>torch.nn.MaxPool2d</c> (stride defaults to the kernel size).</summary>
public sealed class MaxPool2d : Module
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    /// <summary>Creates a pooling layer with a square window.</summary>
    public MaxPool2d(int kernelSize, int? stride = null)
    {
        LayerChecks.Positive(kernelSize, nameof(kernelSize), "MaxPool2d");
        if (stride is int s) LayerChecks.Positive(s, nameof(stride), "MaxPool2d");
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
    }

    /// <summary>Window height and width.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => F.MaxPool2d(input, KernelSize, Stride);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Config => new Dictionary<string, object>
    {
        ["kernel_size"] = KernelSize,
        ["stride"] = Stride,
    };
}

/// <summary>2-D average pooling over NCHW input, like <c>torch.nn.AvgPool2d</c> (stride defaults to the kernel size).</summary>
public sealed class AvgPool2d : Module
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    /// <summary>Creates a pooling layer with a square window.</summary>
    public AvgPool2d(int kernelSize, int? stride = null)
    {
        LayerChecks.Positive(kernelSize, nameof(kernelSize), "AvgPool2d");
        if (stride is int s) LayerChecks.Positive(s, nameof(stride), "AvgPool2d");
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
    }

    /// <summary>Window height and width.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => F.AvgPool2d(input, KernelSize, Stride);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Config => new Dictionary<string, object>
    {
        ["kernel_size"] = KernelSize,
        ["stride"] = Stride,
    };
}
