namespace NeuroCore.NN;

/// <summary>max(x, 0) element-wise, like <c>torch.nn.ReLU</c>.</summary>
public sealed class ReLU : Module
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Relu();
}

/// <summary>x for x ≥ 0, slope·x otherwise, like <c>torch.nn.LeakyReLU</c>.</summary>
/// <param name="negativeSlope">Slope for negative inputs.</param>
public sealed class LeakyReLU(float negativeSlope = 0.01f) : Module
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    /// <summary>Slope for negative inputs.</summary>
    public float NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Config => new Dictionary<string, object> { ["negative_slope"] = NegativeSlope };
}

/// <summary>Gaussian error linear unit, exact or tanh-approximated, like <c>torch.nn.GELU</c>.</summary>
/// <param name="approximate">How the Gaussian CDF is computed.</param>
public sealed class GELU(GeluApproximation approximate = GeluApproximation.None) : Module
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    /// <summary>How the Gaussian CDF is computed.</summary>
    public GeluApproximation Approximate { get; } = approximate;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Gelu(Approximate);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Config => new Dictionary<string, object>
    {
        ["approximate"] = Approximate == GeluApproximation.Tanh ? "tanh" : "none",
    };
}

/// <summary>Hyperbolic tangent element-wise, like <c>torch.nn.Tanh</c>.</summary>
public sealed class Tanh : Module
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Tanh();
}

/// <summary>Logistic sigmoid element-wise, like <c>torch.nn.Sigmoid</c>.</summary>
public sealed class Sigmoid : Module
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

/// <summary>Softmax along <c>dim</c>, like <c>torch.nn.Softmax</c>.</summary>
/// <param name="dim">The dimension whose entries sum to one (negative counts from the end).</param>
public sealed class Softmax(int dim = -1) : Module
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    /// <summary>The dimension normalized.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Softmax(Dim);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Config => new Dictionary<string, object> { ["dim"] = Dim };
}

/// <summary>Log-softmax along <c>dim</c>, like <c>torch.nn.LogSoftmax</c>.</summary>
/// <param name="dim">The dimension normalized (negative counts from the end).</param>
public sealed class LogSoftmax(int dim = -1) : Module
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    /// <summary>The dimension normalized.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.LogSoftmax(Dim);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Config => new Dictionary<string, object> { ["dim"] = Dim };
}
