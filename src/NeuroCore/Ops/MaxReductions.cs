using System.Numerics.Tensors;
using NeuroCore.Autograd;
using NeuroCore.Kernels;
using NeuroCore.Layout;

namespace NeuroCore;

// Value-selecting reductions. Over a dimension, the gradient flows only to the selected element
// (the first maximum/minimum, the one ArgMax reports); over all elements it is shared evenly by all
// tied extremes — both exactly as PyTorch's max/min backward.
public sealed partial class Tensor
{
    /// <summary>
    /// The maximum over <paramref name="dim"/>, like <c>torch.max(x, dim).values</c>; keeps the
    /// dimension with size 1 when <paramref name="keepDim"/>. NaN wins (propagates). The gradient
    /// flows to the first arg max only.
    /// </summary>
    public Tensor Max(int dim, bool keepDim = false) => SelectAlong(dim, keepDim, isMax: true);

    /// <summary>
    /// The minimum over <paramref name="dim"/>, like <c>torch.min(x, dim).values</c>; the gradient
    /// flows to the first arg min only.
    /// </summary>
    public Tensor Min(int dim, bool keepDim = false) => SelectAlong(dim, keepDim, isMax: false);

    /// <summary>
    /// The maximum of all elements, as a scalar tensor (NaN if any element is NaN). The gradient is
    /// split evenly among all elements equal to the maximum.
    /// </summary>
    public Tensor Max() => SelectAll(isMax: true);

    /// <summary>The minimum of all elements, as a scalar tensor; the gradient is split evenly among ties.</summary>
    public Tensor Min() => SelectAll(isMax: false);

    /// <summary>
    /// The index of the maximum over <paramref name="dim"/> (the first one when tied), as an int64
    /// tensor, like <c>torch.argmax(x, dim)</c>. Not differentiable.
    /// </summary>
    public Tensor ArgMax(int dim, bool keepDim = false)
    {
        var (_, index, shape) = ReduceSelect("argmax", dim, keepDim, isMax: true);
        return new Tensor(Array.ConvertAll(index.Data, i => (long)i), shape);
    }

    private Tensor SelectAlong(int dim, bool keepDim, bool isMax)
    {
        string op = isMax ? "max" : "min";
        var (values, index, shape) = ReduceSelect(op, dim, keepDim, isMax);
        var y = new Tensor(values, shape);
        if (!GradMode.ShouldRecord(this)) return y;
        var from = _shape;
        return GradMode.Record(y, op, [this], g =>
        {
            var gc = g.IsContiguous ? g.Span : g.ToArray();
            var full = new float[ShapeUtil.Numel(from)];
            ReductionKernels.ScatterAxis(gc, index.Data, index.Outer, index.N, index.Inner, full);
            return [new Tensor(full, (int[])from.Clone())];
        });
    }

    private sealed record AxisIndex(int[] Data, int Outer, int N, int Inner);

    private (float[] values, AxisIndex index, int[] shape) ReduceSelect(string op, int dim, bool keepDim, bool isMax)
    {
        RequireFloat(op);
        int d = ShapeUtil.NormalizeDim(dim, Rank, op);
        var (outer, n, inner) = AxisShape.Split(_shape, d);
        if (n == 0)
            throw new ArgumentException($"{op}: cannot reduce dimension {dim} of size 0 (shape {ShapeUtil.Format(_shape)}): there is no {(isMax ? "maximum" : "minimum")} of nothing.");
        var x = Contiguous().Detach();
        var values = new float[outer * inner];
        var index = new int[outer * inner];
        if (isMax) ReductionKernels.MaxAxis(x.Span, outer, n, inner, values, index);
        else ReductionKernels.MinAxis(x.Span, outer, n, inner, values, index);
        return (values, new AxisIndex(index, outer, n, inner), AxisShape.Reduced(_shape, d, keepDim));
    }

    private Tensor SelectAll(bool isMax)
    {
        string op = isMax ? "max" : "min";
        RequireFloat(op);
        if (_numel == 0)
            throw new ArgumentException($"{op}: the tensor of shape {ShapeUtil.Format(_shape)} is empty; give a dimension to reduce over instead.");
        var x = Contiguous().Detach();
        float m = isMax ? TensorPrimitives.Max(x.Span) : TensorPrimitives.Min(x.Span);
        var y = Scalar(m);
        if (!GradMode.ShouldRecord(this)) return y;
        var shape = _shape;
        return GradMode.Record(y, op, [this], g =>
        {
            // Evenly distributed among the elements equal to the extreme (NaN matches NaN).
            var xs = x.Span;
            var data = new float[xs.Length];
            int count = 0;
            for (int i = 0; i < xs.Length; i++)
                if (xs[i] == m || (float.IsNaN(m) && float.IsNaN(xs[i]))) { data[i] = 1f; count++; }
            TensorPrimitives.Multiply(data, g.Item() / count, data);
            return [new Tensor(data, (int[])shape.Clone())];
        });
    }
}
