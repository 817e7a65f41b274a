using System.Numerics.Tensors;

namespace NeuroCore.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, L2 weight decay and Nesterov momentum,
/// with exactly <c>torch.optim.SGD</c>'s update:
/// d = g + λ·p; b = μ·b + (1 − τ)·d (b = d on the first step); d = d + μ·b (Nesterov) or b; p = p − lr·d.
/// </summary>
public sealed class SGD : Optimizer
{
    private readonly float[]?[] _momentumBuffers;

    /// <summary>Creates an SGD optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">Step size (lr).</param>
    /// <param name="momentum">Momentum factor μ (0 disables momentum).</param>
    /// <param name="dampening">Dampening τ of the momentum.</param>
    /// <param name="weightDecay">L2 penalty λ added to the gradient.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs momentum &gt; 0 and dampening 0).</param>
    public SGD(IEnumerable<Tensor> parameters, float learningRate, float momentum = 0, float dampening = 0,
        float weightDecay = 0, bool nesterov = false) : base(parameters, learningRate)
    {
        Check(momentum >= 0 && float.IsFinite(momentum), nameof(momentum), momentum, "finite and >= 0", "SGD");
        Check(float.IsFinite(dampening), nameof(dampening), dampening, "finite", "SGD");
        Check(weightDecay >= 0 && float.IsFinite(weightDecay), nameof(weightDecay), weightDecay, "finite and >= 0", "SGD");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"SGD: Nesterov momentum requires momentum > 0 and dampening = 0 (got momentum {momentum}, dampening {dampening}).");
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        _momentumBuffers = new float[]?[Parameters.Count];
    }

    /// <summary>Momentum factor μ.</summary>
    public float Momentum { get; }

    /// <summary>Dampening τ.</summary>
    public float Dampening { get; }

    /// <summary>L2 penalty λ.</summary>
    public float WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    public override void Step()
    {
        float lr = LearningRate;
        for (int i = 0; i < Parameters.Count; i++)
        {
            if (!TryGetValues(Parameters[i], out var p, out var g)) continue;
            ReadOnlySpan<float> d = g;
            if (WeightDecay != 0)
            {
                var decayed = Scratch(p.Length);
                TensorPrimitives.MultiplyAdd(p, WeightDecay, g, decayed); // d = λ·p + g
                d = decayed;
            }
            if (Momentum != 0)
            {
                bool first = _momentumBuffers[i] is null;
                var buf = StateFor(_momentumBuffers, i, p.Length).AsSpan();
                if (first)
                {
                    d.CopyTo(buf);
                }
                else
                {
                    TensorPrimitives.Multiply(buf, Momentum, buf);
                    TensorPrimitives.MultiplyAdd(d, 1 - Dampening, buf, buf); // b = μ·b + (1 − τ)·d
                }
                if (Nesterov)
                {
                    var nd = Scratch(p.Length); // may alias d's scratch: d is read before nd is written, element by element
                    TensorPrimitives.MultiplyAdd(buf, Momentum, d, nd); // d = d + μ·b
                    d = nd;
                }
                else
                {
                    d = buf;
                }
            }
            TensorPrimitives.MultiplyAdd(d, -lr, p, p); // p = p − lr·d
        }
        StepCount++;
    }
}
