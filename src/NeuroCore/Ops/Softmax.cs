using NeuroCore.Autograd;
using NeuroCore.Kernels;
using NeuroCore.Layout;

namespace NeuroCore;

public sealed partial class Tensor
{
    /// <summary>
    /// Softmax over <paramref name="dim"/>: exp(x − max) / Σ exp(x − max), so large inputs do not
    /// overflow. The gradient is y·(g − Σ g·y) along <paramref name="dim"/>.
    /// </summary>
    public Tensor Softmax(int dim)
    {
        RequireFloat("softmax");
        int d = ShapeUtil.NormalizeDim(dim, Rank, "softmax");
        var (outer, n, inner) = AxisShape.Split(_shape, d);
        var x = Contiguous().Detach();
        var data = TensorMemory.Rent(_numel); // the kernel writes every output
        SoftmaxKernels.Softmax(x.Span, outer, n, inner, data, new float[inner]);
        var y = Wrap(data, (int[])_shape.Clone());
        return GradMode.ShouldRecord(this)
            ? GradMode.Record(y, "softmax", [this], g => [AxisBackward(y, g, outer, n, inner, SoftmaxKernels.SoftmaxBackward)])
            : y;
    }

    /// <summary>
    /// Log-softmax over <paramref name="dim"/>: x − max − log Σ exp(x − max), stable for any input
    /// magnitude (prefer it to <c>Softmax(dim).Log()</c>). The gradient is g − softmax·Σ g.
    /// </summary>
    public Tensor LogSoftmax(int dim)
    {
        RequireFloat("log_softmax");
        int d = ShapeUtil.NormalizeDim(dim, Rank, "log_softmax");
        var (outer, n, inner) = AxisShape.Split(_shape, d);
        var x = Contiguous().Detach();
        var data = TensorMemory.Rent(_numel); // the kernel writes every output
        SoftmaxKernels.LogSoftmax(x.Span, outer, n, inner, data, new float[2 * inner]);
        var y = Wrap(data, (int[])_shape.Clone());
        return GradMode.ShouldRecord(this)
            ? GradMode.Record(y, "log_softmax", [this], g => [AxisBackward(y, g, outer, n, inner, SoftmaxKernels.LogSoftmaxBackward)])
            : y;
    }

    private delegate void AxisBackwardKernel(ReadOnlySpan<float> y, ReadOnlySpan<float> g, int outer, int n, int inner, Span<float> dst, Span<float> scratch);

    private static Tensor AxisBackward(Tensor y, Tensor g, int outer, int n, int inner, AxisBackwardKernel kernel)
    {
        var gc = g.IsContiguous ? g.Span : g.ToArray();
        var data = TensorMemory.Rent(y._numel); // the kernel writes every output
        kernel(y.Span, gc, outer, n, inner, data, new float[inner]);
        return Wrap(data, (int[])y._shape.Clone());
    }
}
