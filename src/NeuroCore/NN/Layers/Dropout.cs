using F = NeuroCore.NN.Functional;

namespace NeuroCore.NN;

/// <summary>
/// Randomly zeroes elements with probability <c>p</c> in training mode and scales the rest by 1/(1−p),
/// like <c>torch.nn.Dropout</c>; the identity in evaluation mode.
/// </summary>
public sealed class Dropout : Module
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    private readonly Generator? _generator;

    /// <summary>Creates a dropout layer; masks come from <paramref name="generator"/> (or the default generator).</summary>
    public Dropout(float p = 0.5f, Generator? generator = null)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: p must be in [0, 1], got {p}.");
        P = p;
        _generator = generator;
    }

    /// <summary>Creates a dropout layer with its own generator seeded with <paramref name="seed"/>.</summary>
    public Dropout(float p, int seed) : this(p, new Generator(seed)) { }

    /// <summary>Probability of zeroing an element.</summary>
    public float P { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => F.Dropout(input, P, IsTraining, _generator);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Config => new Dictionary<string, object> { ["p"] = P };
}
