namespace NeuroCore;

/// <summary>How <see cref="Tensor.Gelu"/> computes the Gaussian CDF.</summary>
public enum GeluApproximation
{
    /// <summary>Exact, with the error function.</summary>
    None,
    /// <summary>The tanh approximation.</summary>
    Tanh,
}

public sealed partial class Tensor
{
    /// <summary>Element-wise xᵉ for a constant exponent.</summary>
    public Tensor Pow(float exponent) => throw new NotImplementedException("Pow");
    /// <summary>Element-wise natural logarithm.</summary>
    public Tensor Log() => throw new NotImplementedException("Log");
    /// <summary>Element-wise square root.</summary>
    public Tensor Sqrt() => throw new NotImplementedException("Sqrt");
    /// <summary>Element-wise absolute value.</summary>
    public Tensor Abs() => throw new NotImplementedException("Abs");
    /// <summary>Element-wise hyperbolic tangent.</summary>
    public Tensor Tanh() => throw new NotImplementedException("Tanh");
    /// <summary>Element-wise logistic sigmoid.</summary>
    public Tensor Sigmoid() => throw new NotImplementedException("Sigmoid");
    /// <summary>Element-wise max(x, 0).</summary>
    public Tensor Relu() => throw new NotImplementedException("Relu");
    /// <summary>Element-wise log(1 + eˣ).</summary>
    public Tensor Softplus() => throw new NotImplementedException("Softplus");
    /// <summary>Element-wise x for x ≥ 0, slope·x otherwise.</summary>
    public Tensor LeakyRelu(float negativeSlope = 0.01f) => throw new NotImplementedException("LeakyRelu");
    /// <summary>Element-wise Gaussian error linear unit.</summary>
    public Tensor Gelu(GeluApproximation approximate = GeluApproximation.None) => throw new NotImplementedException("Gelu");
}
