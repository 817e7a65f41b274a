using F = NeuroCore.NN.Functional;

namespace NeuroCore.NN;

/// <summary>
/// A fully connected layer y = x·Wᵀ + b, like <c>torch.nn.Linear</c>. Parameters are <c>weight</c>
/// [out, in] and (optionally) <c>bias</c> [out], both drawn from U(−1/√in, 1/√in) as PyTorch does.
/// </summary>
public sealed class Linear : Module
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    /// <summary>Creates a layer mapping <paramref name="inFeatures"/> to <paramref name="outFeatures"/>.</summary>
    /// <param name="inFeatures">Size of each input sample (last dimension).</param>
    /// <param name="outFeatures">Size of each output sample.</param>
    /// <param name="bias">Whether to learn an additive bias.</param>
    /// <param name="generator">Source of the initial values; <see cref="Generator.Default"/> when null.</param>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null)
    {
        LayerChecks.Positive(inFeatures, nameof(inFeatures), "Linear");
        LayerChecks.Positive(outFeatures, nameof(outFeatures), "Linear");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Init.KaimingUniform(Tensor.Zeros(outFeatures, inFeatures), Math.Sqrt(5), generator: generator));
        if (bias)
        {
            double bound = 1 / Math.Sqrt(inFeatures);
            Bias = RegisterParameter("bias", Init.Uniform(Tensor.Zeros(outFeatures), -bound, bound, generator));
        }
    }

    /// <summary>Input features.</summary>
    public int InFeatures { get; }

    /// <summary>Output features.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight, [out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, [out], or null when created without one.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => F.Linear(input, Weight, Bias);

    internal override Tensor? ForwardThenRelu(Tensor input) => F.Linear(input, Weight, Bias, relu: true);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Config => new Dictionary<string, object>
    {
        ["in_features"] = InFeatures,
        ["out_features"] = OutFeatures,
        ["bias"] = Bias is not null,
    };
}
