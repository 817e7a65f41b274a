using NeuroCore.Kernels;

namespace NeuroCore.Optim;

/// <summary>
/// Adam, with exactly <c>torch.optim.Adam</c>'s update (amsgrad off): g = g + λ·p (L2, when weight
/// decay is set); m = β₁·m + (1 − β₁)·g; v = β₂·v + (1 − β₂)·g²;
/// p = p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).
/// </summary>
public class Adam : Optimizer
{
    private readonly float[]?[] _expAvg;
    private readonly float[]?[] _expAvgSq;
    private readonly int[] _steps;

    /// <summary>Creates an Adam optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">Step size (lr).</param>
    /// <param name="beta1">Decay rate of the first-moment estimate, in [0, 1).</param>
    /// <param name="beta2">Decay rate of the second-moment estimate, in [0, 1).</param>
    /// <param name="eps">Added to the denominator for numerical stability.</param>
    /// <param name="weightDecay">L2 penalty λ added to the gradient (see <see cref="AdamW"/> for the decoupled form).</param>
    public Adam(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float eps = 1e-8f, float weightDecay = 0)
        : this(parameters, learningRate, beta1, beta2, eps, weightDecay, nameof(Adam)) { }

    /// <summary>Shared constructor that names the optimizer in error messages.</summary>
    private protected Adam(IEnumerable<Tensor> parameters, float learningRate, float beta1, float beta2, float eps, float weightDecay, string name)
        : base(parameters, learningRate)
    {
        Check(beta1 >= 0 && beta1 < 1, nameof(beta1), beta1, "in [0, 1)", name);
        Check(beta2 >= 0 && beta2 < 1, nameof(beta2), beta2, "in [0, 1)", name);
        Check(eps >= 0 && float.IsFinite(eps), nameof(eps), eps, "finite and >= 0", name);
        Check(weightDecay >= 0 && float.IsFinite(weightDecay), nameof(weightDecay), weightDecay, "finite and >= 0", name);
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        _expAvg = new float[]?[Parameters.Count];
        _expAvgSq = new float[]?[Parameters.Count];
        _steps = new int[Parameters.Count];
    }

    /// <summary>Decay rate β₁ of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Decay rate β₂ of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Denominator term ε.</summary>
    public float Eps { get; }

    /// <summary>Weight decay λ (L2 for Adam, decoupled for AdamW).</summary>
    public float WeightDecay { get; }

    /// <summary>True when weight decay shrinks the parameters directly (AdamW) instead of adding λ·p to the gradient.</summary>
    private protected virtual bool DecoupledWeightDecay => false;

    /// <inheritdoc />
    public override void Step()
    {
        float lr = LearningRate;
        for (int i = 0; i < Parameters.Count; i++)
        {
            if (!TryGetValues(Parameters[i], out var p, out var g)) continue;
            int n = p.Length;
            int t = ++_steps[i];
            // Bias corrections in double, as torch computes them in Python floats.
            double bc1 = 1 - Math.Pow(Beta1, t);
            double bc2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, t));
            var hyper = new AdamKernel.Hyper(Beta1, Beta2, (float)(lr / bc1), (float)(1 / bc2Sqrt), Eps,
                L2: DecoupledWeightDecay ? 0 : WeightDecay,
                Decay: DecoupledWeightDecay ? 1 - lr * WeightDecay : 1);
            AdamKernel.StepParallel(p, g, StateFor(_expAvg, i, n), StateFor(_expAvgSq, i, n), hyper);
        }
        StepCount++;
    }
}

/// <summary>
/// AdamW: Adam with decoupled weight decay, exactly <c>torch.optim.AdamW</c>: before the Adam update the
/// parameters shrink as p = p·(1 − lr·λ); the gradient itself is not changed.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates an AdamW optimizer (weight decay 0.01 by default, as in PyTorch).</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">Step size (lr).</param>
    /// <param name="beta1">Decay rate of the first-moment estimate, in [0, 1).</param>
    /// <param name="beta2">Decay rate of the second-moment estimate, in [0, 1).</param>
    /// <param name="eps">Added to the denominator for numerical stability.</param>
    /// <param name="weightDecay">Decoupled weight decay λ.</param>
    public AdamW(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float eps = 1e-8f, float weightDecay = 0.01f)
        : base(parameters, learningRate, beta1, beta2, eps, weightDecay, nameof(AdamW)) { }

    private protected override bool DecoupledWeightDecay => true;
}
