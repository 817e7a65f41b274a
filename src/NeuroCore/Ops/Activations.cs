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

// Activations. Each forward sits beside its local derivative; backward
// kernels are fused (one pass over the saved tensor and the gradient) in Kernels/ActivationKernels.
public sealed partial class Tensor
{
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

}
