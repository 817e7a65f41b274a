using NeuroCore.Layout;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.NN;

/// <summary>
/// Layer normalization over the last dimension, like <c>torch.nn.LayerNorm(dim)</c>, with a learnable
/// per-element affine <c>weight</c> (ones) and <c>bias</c> (zeros).
/// </summary>
public sealed class LayerNorm : Module
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    /// <summary>Creates a layer normalizing vectors of size <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int normalizedShape, float eps = 1e-5f, bool elementwiseAffine = true)
    {
        LayerChecks.Positive(normalizedShape, nameof(normalizedShape), "LayerNorm");
        LayerChecks.PositiveFinite(eps, nameof(eps), "LayerNorm");
        NormalizedShape = normalizedShape;
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(normalizedShape));
            Bias = RegisterParameter("bias", Tensor.Zeros(normalizedShape));
        }
    }

    /// <summary>Size of the normalized (last) dimension.</summary>
    public int NormalizedShape { get; }

    /// <summary>Added to the variance for numerical stability.</summary>
    public float Eps { get; }

    /// <summary>Scale, [dim], or null without affine parameters.</summary>
    public Tensor? Weight { get; }

    /// <summary>Shift, [dim], or null without affine parameters.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank == 0 || input.Size(-1) != NormalizedShape)
            throw new ArgumentException(
                $"LayerNorm({NormalizedShape}): the last dimension of the input must be {NormalizedShape}, got shape {ShapeUtil.Format(input.ShapeRef)}.");
        return F.LayerNorm(input, Weight, Bias, Eps);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Config => new Dictionary<string, object>
    {
        ["normalized_shape"] = NormalizedShape,
        ["eps"] = Eps,
        ["elementwise_affine"] = Weight is not null,
    };
}

/// <summary>
/// Shared implementation of <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/>: learnable
/// <c>weight</c>/<c>bias</c> and the buffers <c>running_mean</c>, <c>running_var</c> and the int64 counter
/// <c>num_batches_tracked</c>, registered in PyTorch's order so state dicts match.
/// </summary>
public abstract class BatchNormBase : Module
{
    private readonly Tensor _numBatchesTracked;

    /// <summary>Creates the parameters and buffers for <paramref name="numFeatures"/> channels.</summary>
    protected BatchNormBase(int numFeatures, float eps, float momentum, bool affine)
    {
        LayerChecks.Positive(numFeatures, nameof(numFeatures), TypeName);
        LayerChecks.PositiveFinite(eps, nameof(eps), TypeName);
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), $"{TypeName}: momentum must be in [0, 1], got {momentum}.");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(numFeatures));
            Bias = RegisterParameter("bias", Tensor.Zeros(numFeatures));
        }
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(numFeatures));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones(numFeatures));
        // A 0-dimensional int64 tensor, exactly like PyTorch's num_batches_tracked.
        _numBatchesTracked = RegisterBuffer("num_batches_tracked", new Tensor(new long[1], []));
    }

    /// <summary>Number of channels C.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance for numerical stability.</summary>
    public float Eps { get; }

    /// <summary>Weight of the current batch in the running statistics' update.</summary>
    public float Momentum { get; }

    /// <summary>Per-channel scale (ones), or null without affine parameters.</summary>
    public Tensor? Weight { get; }

    /// <summary>Per-channel shift (zeros), or null without affine parameters.</summary>
    public Tensor? Bias { get; }

    /// <summary>Running mean per channel, used in evaluation mode.</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running (unbiased) variance per channel, used in evaluation mode.</summary>
    public Tensor RunningVar { get; }

    /// <summary>Number of training-mode batches seen so far.</summary>
    public long NumBatchesTracked => _numBatchesTracked.GetLong();

    /// <summary>The input ranks this layer accepts.</summary>
    protected abstract int[] AcceptedRanks { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (Array.IndexOf(AcceptedRanks, input.Rank) < 0 || input.ShapeRef[1] != NumFeatures)
            throw new ArgumentException(
                $"{TypeName}({NumFeatures}): expected input of rank {string.Join(" or ", AcceptedRanks)} with {NumFeatures} channels in dimension 1, got shape {ShapeUtil.Format(input.ShapeRef)}.");
        if (IsTraining) _numBatchesTracked.LongSpan[0]++;
        return F.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, IsTraining, Momentum, Eps);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Config => new Dictionary<string, object>
    {
        ["num_features"] = NumFeatures,
        ["eps"] = Eps,
        ["momentum"] = Momentum,
        ["affine"] = Weight is not null,
    };
}

/// <summary>Batch normalization over [N, C] input, like <c>torch.nn.BatchNorm1d</c>.</summary>
public sealed class BatchNorm1d : BatchNormBase
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    /// <summary>Creates a batch-norm layer for <paramref name="numFeatures"/> features.</summary>
    public BatchNorm1d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f, bool affine = true)
        : base(numFeatures, eps, momentum, affine) { }

    /// <inheritdoc />
    protected override int[] AcceptedRanks => [2];
}

/// <summary>Batch normalization over [N, C, H, W] input, per channel, like <c>torch.nn.BatchNorm2d</c>.</summary>
public sealed class BatchNorm2d : BatchNormBase
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    /// <summary>Creates a batch-norm layer for <paramref name="numFeatures"/> channels.</summary>
    public BatchNorm2d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f, bool affine = true)
        : base(numFeatures, eps, momentum, affine) { }

    /// <inheritdoc />
    protected override int[] AcceptedRanks => [4];
}
