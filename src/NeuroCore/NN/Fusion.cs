namespace NeuroCore.NN;

/// <summary>
/// Runs a layer and the <see cref="ReLU"/> after it as one fused operation when neither module is observed:
/// <see cref="Linear"/>→ReLU (<c>linear_relu</c>) and <see cref="Conv2d"/>→ReLU (<c>conv2d_relu</c>), through
/// <see cref="Module.ForwardThenRelu"/>. The activation is applied to each output while it is in cache and its mask
/// to each gradient inside the layer's backward: no separate tensor, pass over memory or graph node. The same
/// kernels run, so values and gradients are bit-identical to the pair (<c>NN/FusionTests</c>).
/// </summary>
internal static class Fusion
{
    /// <summary>
    /// Whether unobserved Linear→ReLU and Conv2d→ReLU pairs run fused (default). Off only for the A/B benchmark
    /// that measures what fusion buys (<c>FusionBenchmarks</c>); results are the same either way.
    /// </summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>
    /// Runs <paramref name="layers"/>[<paramref name="index"/>] on <paramref name="input"/> through
    /// <see cref="Module.Call"/> (so its hooks run), or that layer fused with the ReLU after it;
    /// <paramref name="taken"/> says how many layers ran (1 or 2).
    /// </summary>
    internal static Tensor Forward(IReadOnlyList<Module> layers, int index, Tensor input, out int taken)
    {
        var layer = layers[index];
        if (Enabled && index + 1 < layers.Count && layers[index + 1] is ReLU relu && layer.IsGraphPrivate && relu.IsGraphPrivate
            && layer.ForwardThenRelu(input) is { } fused)
        {
            taken = 2;
            return fused;
        }
        taken = 1;
        return layer.Call(input);
    }
}
