using System.Numerics.Tensors;
using NeuroCore.Autograd;
using NeuroCore.Kernels;

namespace NeuroCore;

/// <summary>Computes dst[i] = f(src[i]) over dense spans.</summary>
internal delegate void UnaryKernel(ReadOnlySpan<float> src, Span<float> dst);

/// <summary>Computes dst[i] = f(a[i], b[i]) over dense spans of equal length.</summary>
internal delegate void BinarySpanKernel(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst);

// Element-wise math (negation, powers, logarithms, roots, absolute value) and the span helpers every
// element-wise op and activation uses. Each op sits beside its local derivative.
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

    /// <summary>
    /// Element-wise xᵉ for a constant exponent, like <c>torch.pow(x, e)</c>. The gradient is
    /// e·xᵉ⁻¹ (infinite at 0 for 0 &lt; e &lt; 1, as in PyTorch), and 0 everywhere when e = 0.
    /// </summary>
    public Tensor Pow(float exponent)
    {
        var y = Map(this, "pow", (s, d) => ActivationKernels.Pow(s, exponent, d));
        if (!GradMode.ShouldRecord(this)) return y;
        return GradMode.Record(y, "pow", [this], g =>
        {
            if (exponent == 0f) return [ZerosLike(g)];
            // d/dx xᵉ = e·xᵉ⁻¹
            return [Zip(this, g, "pow_backward", (x, gs, d) =>
            {
                ActivationKernels.Pow(x, exponent - 1f, d);
                TensorPrimitives.Multiply(d, gs, d);
                TensorPrimitives.Multiply(d, exponent, d);
            })];
        });
    }

    /// <summary>Element-wise x² (the same as <c>Pow(2)</c>; gradient 2x).</summary>
    public Tensor Square()
    {
        var y = Map(this, "square", static (s, d) => TensorPrimitives.Multiply(s, s, d));
        // d/dx x² = 2x
        return GradMode.ShouldRecord(this)
            ? GradMode.Record(y, "square", [this], g => [Zip(this, g, "square_backward", static (x, gs, d) =>
            {
                TensorPrimitives.Multiply(x, gs, d);
                TensorPrimitives.Multiply(d, 2f, d);
            })])
            : y;
    }

    /// <summary>Element-wise natural logarithm (−∞ at 0, NaN below).</summary>
    public Tensor Log()
    {
        var y = Map(this, "log", static (s, d) => TensorPrimitives.Log(s, d));
        // d/dx log x = 1/x
        return GradMode.ShouldRecord(this) ? GradMode.Record(y, "log", [this], g => [g / this]) : y;
    }

    /// <summary>Element-wise square root.</summary>
    public Tensor Sqrt()
    {
        var y = Map(this, "sqrt", static (s, d) => TensorPrimitives.Sqrt(s, d));
        // d/dx √x = 1/(2√x) = 1/(2y)
        return GradMode.ShouldRecord(this)
            ? GradMode.Record(y, "sqrt", [this], g => [Zip(y, g, "sqrt_backward", static (ys, gs, d) =>
            {
                TensorPrimitives.Divide(gs, ys, d);
                TensorPrimitives.Multiply(d, 0.5f, d);
            })])
            : y;
    }

    /// <summary>Element-wise absolute value; the gradient is sign(x), 0 at 0.</summary>
    public Tensor Abs()
    {
        var y = Map(this, "abs", static (s, d) => TensorPrimitives.Abs(s, d));
        return GradMode.ShouldRecord(this) ? GradMode.Record(y, "abs", [this], g => [Zip(this, g, "abs_backward", ActivationKernels.AbsBackward)]) : y;
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

    /// <summary>
    /// Applies a span kernel to two float tensors of the same shape (made contiguous), producing a
    /// new tensor of that shape. Backward passes use it with the saved tensor and the upstream gradient.
    /// </summary>
    internal static Tensor Zip(Tensor a, Tensor b, string op, BinarySpanKernel kernel)
    {
        a.RequireFloat(op);
        b.RequireFloat(op);
        if (!Layout.ShapeUtil.SameShape(a._shape, b._shape))
            throw new InvalidOperationException($"Internal: {op} got shapes {Layout.ShapeUtil.Format(a._shape)} and {Layout.ShapeUtil.Format(b._shape)}.");
        var sa = a.IsContiguous ? a.Span : a.ToArray();
        var sb = b.IsContiguous ? b.Span : b.ToArray();
        var data = TensorMemory.Rent(a._numel); // the kernel writes every element
        if (a._numel > 0) kernel(sa, sb, data); // as in Map: some TensorPrimitives functions reject empty spans
        return Wrap(data, (int[])a._shape.Clone());
    }
}
