namespace NeuroCore.NN;

public static partial class Functional
{
    /// <summary>Layer normalization over the last dimension, like <c>F.layer_norm(x, x.shape[-1:], weight, bias, eps)</c>.</summary>
    public static Tensor LayerNorm(Tensor input, Tensor? weight, Tensor? bias, float eps = 1e-5f) =>
        throw new NotImplementedException("LayerNorm");

    /// <summary>
    /// Batch normalization over [N, C] or [N, C, H, W] input, like <c>F.batch_norm</c>. In training mode it
    /// uses batch statistics (biased variance) and updates the running statistics in place when given
    /// (unbiased variance, <paramref name="momentum"/>); in evaluation mode it uses the running statistics.
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum = 0.1f, float eps = 1e-5f) =>
        throw new NotImplementedException("BatchNorm");
}
