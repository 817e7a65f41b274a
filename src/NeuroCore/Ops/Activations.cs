using System.Numerics.Tensors;
using NeuroCore.Autograd;
using NeuroCore.Kernels;

namespace NeuroCore;

/// <summary>How <see cref="Tensor.Gelu"/> computes the Gaussian CDF.</summary>
public enum GeluApproximation
{
    /// <summary>Exact, with the error function.</summary>
    None,
    /// <summary>The tanh approximation.</summary>
    Tanh,
}

/// <summary>Computes dst[i] = f(a[i], b[i]) over dense spans of equal length.</summary>
internal delegate void BinarySpanKernel(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst);

// Element-wise math and activations. Each forward sits beside its local derivative; backward
// kernels are fused (one pass over the saved tensor and the gradient) in Kernels/ActivationKernels.
public sealed partial class Tensor
{
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

    /// <summary>Element-wise hyperbolic tangent; gradient 1 − tanh²(x).</summary>
    public Tensor Tanh()
    {
        var y = Map(this, "tanh", static (s, d) => TensorPrimitives.Tanh(s, d));
        return GradMode.ShouldRecord(this) ? GradMode.Record(y, "tanh", [this], g => [Zip(y, g, "tanh_backward", ActivationKernels.TanhBackward)]) : y;
    }

    /// <summary>Element-wise logistic sigmoid 1/(1 + e⁻ˣ); gradient y(1 − y).</summary>
    public Tensor Sigmoid()
    {
        var y = Map(this, "sigmoid", static (s, d) => TensorPrimitives.Sigmoid(s, d));
        return GradMode.ShouldRecord(this) ? GradMode.Record(y, "sigmoid", [this], g => [Zip(y, g, "sigmoid_backward", ActivationKernels.SigmoidBackward)]) : y;
    }

    /// <summary>Element-wise max(x, 0); the gradient is 1 for x &gt; 0 and 0 otherwise (0 at 0, as in PyTorch).</summary>
    public Tensor Relu()
    {
        var y = Map(this, "relu", static (s, d) => ActivationKernels.Relu(s, d));
        return GradMode.ShouldRecord(this) ? GradMode.Record(y, "relu", [this], g => [Zip(y, g, "relu_backward", ActivationKernels.ReluBackward)]) : y;
    }

    /// <summary>
    /// Element-wise log(1 + eˣ) with PyTorch's defaults (beta 1, threshold 20: x itself above 20);
    /// the gradient is sigmoid(x).
    /// </summary>
    public Tensor Softplus()
    {
        var y = Map(this, "softplus", ActivationKernels.Softplus);
        return GradMode.ShouldRecord(this) ? GradMode.Record(y, "softplus", [this], g => [Zip(this, g, "softplus_backward", ActivationKernels.SoftplusBackward)]) : y;
    }

    /// <summary>Element-wise x for x &gt; 0, slope·x otherwise.</summary>
    public Tensor LeakyRelu(float negativeSlope = 0.01f)
    {
        var y = Map(this, "leaky_relu", (s, d) => ActivationKernels.LeakyRelu(s, negativeSlope, d));
        return GradMode.ShouldRecord(this)
            ? GradMode.Record(y, "leaky_relu", [this], g => [Zip(this, g, "leaky_relu_backward", (x, gs, d) => ActivationKernels.LeakyReluBackward(x, gs, negativeSlope, d))])
            : y;
    }

    /// <summary>
    /// Element-wise Gaussian error linear unit x·Φ(x): exact (with erf) by default, or with PyTorch's
    /// tanh approximation x/2·(1 + tanh(√(2/π)(x + 0.044715x³))).
    /// </summary>
    public Tensor Gelu(GeluApproximation approximate = GeluApproximation.None)
    {
        bool exact = approximate switch
        {
            GeluApproximation.None => true,
            GeluApproximation.Tanh => false,
            _ => throw new ArgumentOutOfRangeException(nameof(approximate), $"gelu: unknown approximation {approximate}."),
        };
        var y = Map(this, "gelu", exact ? ActivationKernels.GeluErf : ActivationKernels.GeluTanh);
        return GradMode.ShouldRecord(this)
            ? GradMode.Record(y, "gelu", [this], g => [Zip(this, g, "gelu_backward", exact ? ActivationKernels.GeluErfBackward : ActivationKernels.GeluTanhBackward)])
            : y;
    }

    /// <summary>
    /// Element-wise min(max(x, min), max), like <c>torch.clamp</c>; either bound may be omitted. When
    /// min &gt; max every element becomes max (as in PyTorch). The gradient passes where
    /// min ≤ x ≤ max (bounds included) and is 0 elsewhere.
    /// </summary>
    public Tensor Clamp(float? min = null, float? max = null)
    {
        if (min is null && max is null) throw new ArgumentException("clamp: at least one of min and max must be given.");
        if (min is float a && float.IsNaN(a) || max is float b && float.IsNaN(b))
            throw new ArgumentException($"clamp: bounds must not be NaN (min {min}, max {max}).");
        float lo = min ?? float.NegativeInfinity, hi = max ?? float.PositiveInfinity;
        var y = Map(this, "clamp", (s, d) =>
        {
            TensorPrimitives.Max(s, lo, d);
            TensorPrimitives.Min(d, hi, d);
        });
        return GradMode.ShouldRecord(this)
            ? GradMode.Record(y, "clamp", [this], g => [Zip(this, g, "clamp_backward", (x, gs, d) => ActivationKernels.ClampBackward(x, gs, lo, hi, d))])
            : y;
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
