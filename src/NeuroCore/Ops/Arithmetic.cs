using NeuroCore.Autograd;
using NeuroCore.Kernels;
using NeuroCore.Layout;

namespace NeuroCore;

// Binary arithmetic with NumPy broadcasting. Each backward returns gradients in the broadcast
// output shape; Engine.ReduceToShape sums them back to each input's shape.
public sealed partial class Tensor
{
    /// <summary>Element-wise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b)
    {
        var y = Binary<AddOp>(a, b, "add");
        return GradMode.ShouldRecord(a, b) ? GradMode.Record(y, "add", [a, b], g => [g, g]) : y;
    }

    /// <summary>Element-wise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b)
    {
        var y = Binary<SubOp>(a, b, "sub");
        return GradMode.ShouldRecord(a, b) ? GradMode.Record(y, "sub", [a, b], g => [g, b.RequiresGrad ? -g : null]) : y;
    }

    /// <summary>Element-wise product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b)
    {
        var y = Binary<MulOp>(a, b, "mul");
        // d(ab)/da = b, d(ab)/db = a
        return GradMode.ShouldRecord(a, b)
            ? GradMode.Record(y, "mul", [a, b], g => [a.RequiresGrad ? g * b : null, b.RequiresGrad ? g * a : null])
            : y;
    }

    /// <summary>Element-wise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b)
    {
        var y = Binary<DivOp>(a, b, "div");
        // d(a/b)/da = 1/b, d(a/b)/db = -a/b² = -y/b
        return GradMode.ShouldRecord(a, b)
            ? GradMode.Record(y, "div", [a, b], g => [a.RequiresGrad ? g / b : null, b.RequiresGrad ? -(g * y / b) : null])
            : y;
    }

    /// <summary>Element-wise negation.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();

    /// <summary>Element-wise sum with broadcasting (same as <c>+</c>).</summary>
    public Tensor Add(Tensor other) => this + other;

    /// <summary>Element-wise difference with broadcasting (same as <c>-</c>).</summary>
    public Tensor Sub(Tensor other) => this - other;

    /// <summary>Element-wise product with broadcasting (same as <c>*</c>).</summary>
    public Tensor Mul(Tensor other) => this * other;

    /// <summary>Element-wise quotient with broadcasting (same as <c>/</c>).</summary>
    public Tensor Div(Tensor other) => this / other;

    /// <summary>Computes op(a, b) into a new dense tensor of the broadcast shape.</summary>
    internal static Tensor Binary<TOp>(Tensor a, Tensor b, string op) where TOp : IBinaryOp
    {
        a.RequireFloat(op);
        b.RequireFloat(op);
        if (a.IsContiguous && b.IsContiguous && ShapeUtil.SameShape(a._shape, b._shape))
        {
            // Every element is written below, so skip the zeroing a fresh array would get (for large
            // outputs the runtime may then hand back reused memory without clearing it first).
            var data = TensorMemory.Rent(a._numel);
            ElementwiseKernels.BinaryDense<TOp>(a.Storage, a._offset, b.Storage, b._offset, data, 0, a._numel);
            return Wrap(data, (int[])a._shape.Clone());
        }
        var shape = ShapeUtil.Broadcast(a._shape, b._shape, op);
        var result = TensorMemory.Rent(ShapeUtil.Numel(shape)); // every element is written
        ElementwiseKernels.Binary<TOp>(
            a.Storage, ShapeUtil.BroadcastStrides(a._shape, a._strides, shape), a._offset,
            b.Storage, ShapeUtil.BroadcastStrides(b._shape, b._strides, shape), b._offset,
            shape, result);
        return Wrap(result, shape);
    }
}
