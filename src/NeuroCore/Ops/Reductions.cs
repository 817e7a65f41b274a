using System.Numerics.Tensors;
using NeuroCore.Autograd;
using NeuroCore.Kernels;
using NeuroCore.Layout;

namespace NeuroCore;

public sealed partial class Tensor
{
    /// <summary>The sum of all elements, as a scalar tensor.</summary>
    public Tensor Sum()
    {
        RequireFloat("sum");
        var c = Contiguous().Detach();
        var y = Scalar(TensorPrimitives.Sum(c.Span));
        var shape = _shape;
        // d(Σx)/dx = 1 everywhere
        return GradMode.ShouldRecord(this) ? GradMode.Record(y, "sum", [this], g => [g.Expand(shape)]) : y;
    }

    /// <summary>The sum over dimension <paramref name="dim"/>; keeps it with size 1 when <paramref name="keepDim"/>.</summary>
    public Tensor Sum(int dim, bool keepDim = false)
    {
        RequireFloat("sum");
        int d = ShapeUtil.NormalizeDim(dim, Rank, "sum");
        var y = ReduceAxis(this, d, keepDim, mean: false);
        var shape = _shape;
        return GradMode.ShouldRecord(this)
            ? GradMode.Record(y, "sum", [this], g => [(keepDim || shape.Length == 0 ? g : g.Unsqueeze(d)).Expand(shape)])
            : y;
    }

    /// <summary>The mean of all elements, as a scalar tensor.</summary>
    public Tensor Mean()
    {
        RequireFloat("mean");
        var c = Contiguous().Detach();
        int n = _numel;
        var y = Scalar(n == 0 ? float.NaN : TensorPrimitives.Sum(c.Span) / n);
        var shape = _shape;
        // d(mean x)/dx = 1/n
        return GradMode.ShouldRecord(this) ? GradMode.Record(y, "mean", [this], g => [(g / n).Expand(shape)]) : y;
    }

    /// <summary>The mean over dimension <paramref name="dim"/>; keeps it with size 1 when <paramref name="keepDim"/>.</summary>
    public Tensor Mean(int dim, bool keepDim = false)
    {
        RequireFloat("mean");
        int d = ShapeUtil.NormalizeDim(dim, Rank, "mean");
        var y = ReduceAxis(this, d, keepDim, mean: true);
        var shape = _shape;
        int n = Rank == 0 ? 1 : _shape[d];
        return GradMode.ShouldRecord(this)
            ? GradMode.Record(y, "mean", [this], g => [((keepDim || shape.Length == 0 ? g : g.Unsqueeze(d)) / n).Expand(shape)])
            : y;
    }

    private static Tensor ReduceAxis(Tensor x, int dim, bool keepDim, bool mean)
    {
        var c = x.Contiguous().Detach();
        var (outer, n, inner) = AxisShape.Split(x._shape, dim);
        var data = TensorMemory.Rent(outer * inner); // SumAxis writes every output
        ReductionKernels.SumAxis(c.Span, outer, n, inner, data);
        if (mean) TensorPrimitives.Divide(data, n, data);
        return Wrap(data, AxisShape.Reduced(x._shape, dim, keepDim));
    }
}
