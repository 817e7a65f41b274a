using NeuroCore.Layout;

namespace NeuroCore.NN;

/// <summary>How <see cref="Init.KaimingUniform"/> picks the fan that scales the bound.</summary>
public enum FanMode
{
    /// <summary>Preserve the variance of activations in the forward pass (PyTorch's default).</summary>
    FanIn,
    /// <summary>Preserve the variance of gradients in the backward pass.</summary>
    FanOut,
}

/// <summary>
/// Parameter initialization in place, like <c>torch.nn.init</c>. Every function overwrites the tensor's
/// values (without recording an autograd operation), draws from <c>generator</c> or
/// <see cref="Generator.Default"/>, and returns the same tensor.
/// </summary>
public static class Init
{
    /// <summary>
    /// Fills with U(−bound, bound), bound = gain·√(3 / fan), gain = √(2 / (1 + a²)) (leaky-ReLU gain),
    /// like <c>kaiming_uniform_(tensor, a, mode, nonlinearity='leaky_relu')</c>. PyTorch initializes
    /// Linear and Conv weights with a = √5, which gives bound = 1/√fan_in.
    /// </summary>
    public static Tensor KaimingUniform(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFans(tensor, nameof(KaimingUniform));
        int fan = mode == FanMode.FanIn ? fanIn : fanOut;
        double gain = Math.Sqrt(2.0 / (1 + a * a));
        double bound = Math.Sqrt(3.0) * gain / Math.Sqrt(fan);
        return Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>Fills with U(−b, b), b = gain·√(6 / (fan_in + fan_out)), like <c>xavier_uniform_</c>.</summary>
    public static Tensor XavierUniform(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFans(tensor, nameof(XavierUniform));
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>Fills with U(<paramref name="low"/>, <paramref name="high"/>), like <c>uniform_</c>.</summary>
    public static Tensor Uniform(Tensor tensor, double low, double high, Generator? generator = null)
    {
        if (!(low <= high)) throw new ArgumentException($"Init.Uniform: low ({low}) must not exceed high ({high}).");
        var g = generator ?? Generator.Default;
        var span = Target(tensor, nameof(Uniform));
        for (int i = 0; i < span.Length; i++) span[i] = (float)(low + (high - low) * g.NextDouble());
        return tensor;
    }

    /// <summary>Fills with N(<paramref name="mean"/>, <paramref name="std"/>²), like <c>normal_</c>.</summary>
    public static Tensor Normal(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        if (!(std >= 0)) throw new ArgumentException($"Init.Normal: std must be non-negative, got {std}.");
        var g = generator ?? Generator.Default;
        var span = Target(tensor, nameof(Normal));
        for (int i = 0; i < span.Length; i++) span[i] = (float)(mean + std * g.NextGaussian());
        return tensor;
    }

    /// <summary>Fills with <paramref name="value"/>, like <c>constant_</c>.</summary>
    public static Tensor Constant(Tensor tensor, float value)
    {
        Target(tensor, nameof(Constant)).Fill(value);
        return tensor;
    }

    /// <summary>Fills with zeros, like <c>zeros_</c>.</summary>
    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0f);

    /// <summary>Fills with ones, like <c>ones_</c>.</summary>
    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1f);

    /// <summary>
    /// (fan_in, fan_out) of a weight as PyTorch computes them: dimension 1 and dimension 0, each times
    /// the receptive field (the product of the remaining dimensions, e.g. kH·kW for a convolution).
    /// </summary>
    public static (int FanIn, int FanOut) CalculateFans(Tensor tensor, string caller = nameof(CalculateFans))
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
            throw new ArgumentException(
                $"Init.{caller}: fan in and fan out need a tensor with at least 2 dimensions, got shape {ShapeUtil.Format(tensor.ShapeRef)}.");
        int receptive = 1;
        for (int d = 2; d < tensor.Rank; d++) receptive *= tensor.ShapeRef[d];
        return (tensor.ShapeRef[1] * receptive, tensor.ShapeRef[0] * receptive);
    }

    private static Span<float> Target(Tensor tensor, string caller)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.RequireFloat($"Init.{caller}");
        if (!tensor.IsContiguous)
            throw new ArgumentException($"Init.{caller}: the tensor must be contiguous (parameters are); call Contiguous() on a copy first.");
        return tensor.Span;
    }
}
