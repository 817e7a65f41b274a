namespace NeuroCore.NN;

public static partial class Functional
{
    /// <summary>Mean cross entropy of logits [N, C] against int64 class targets [N], like <c>F.cross_entropy</c>.</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target) =>
        throw new NotImplementedException("CrossEntropy");

    /// <summary>Mean negative log likelihood of log-probabilities [N, C] and int64 targets [N], like <c>F.nll_loss</c>.</summary>
    public static Tensor NllLoss(Tensor logProbabilities, Tensor target) =>
        throw new NotImplementedException("NllLoss");

    /// <summary>Mean squared error, like <c>F.mse_loss</c>.</summary>
    public static Tensor MseLoss(Tensor input, Tensor target) =>
        throw new NotImplementedException("MseLoss");

    /// <summary>Mean binary cross entropy on logits (numerically stable), like <c>F.binary_cross_entropy_with_logits</c>.</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target) =>
        throw new NotImplementedException("BinaryCrossEntropyWithLogits");
}
