using System.Numerics.Tensors;
using NeuroCore.Autograd;

namespace NeuroCore;

/// <summary>Computes dst[i] = f(src[i]) over dense spans.</summary>
internal delegate void UnaryKernel(ReadOnlySpan<float> src, Span<float> dst);

// Element-wise math. Each op sits beside its local derivative.
public sealed partial class Tensor
{
    /// <summary>Element-wise negation.</summary>
    public Tensor Neg()
    {
        var y = Map(this, "neg", static (s, d) => TensorPrimitives.Negate(s, d));
        return GradMode.ShouldRecord(this) ? GradMode.Record(y, "neg", [this], g => [-g]) : y;
    }

    /// <summary>Element-wise eˣ.</summary>
    public Tensor Exp()
    {
        var y = Map(this, "exp", static (s, d) => TensorPrimitives.Exp(s, d));
        // d/dx eˣ = eˣ = y
        return GradMode.ShouldRecord(this) ? GradMode.Record(y, "exp", [this], g => [g * y]) : y;
    }

    /// <summary>Applies a span kernel to a (made contiguous) float tensor, producing a new tensor of the same shape.</summary>
    internal static Tensor Map(Tensor x, string op, UnaryKernel kernel)
    {
        x.RequireFloat(op);
        var src = x.IsContiguous ? x : new Tensor(x.ToArray(), (int[])x._shape.Clone());
        var data = TensorMemory.Rent(x._numel); // the kernel writes every element
        // Some TensorPrimitives functions (Sigmoid, SoftMax, Max) throw on empty spans.
        if (x._numel > 0) kernel(src.Span, data);
        return Wrap(data, (int[])x._shape.Clone());
    }
}
