namespace NeuroCore.Visualization.Rendering;

/// <summary>
/// Evaluates a Linear + activation multilayer perceptron on plain float arrays: used per frame with
/// interpolated weights for neuron activations, the decision-boundary grid and the probe prediction.
/// </summary>
/// <remarks>
/// Plain arrays rather than NeuroCore tensors: a frame needs thousands of tiny forward passes on weights
/// that exist only for that frame (interpolated between snapshots), and the renderer must not depend on
/// autograd state.
/// </remarks>
internal static class MlpEvaluator
{
    /// <summary>Applies the activation called <paramref name="name"/> in place.</summary>
    public static void Activate(string? name, Span<float> x)
    {
        switch (Normalize(name))
        {
            case "relu": foreach (ref var v in x) v = MathF.Max(v, 0f); break;
            case "leakyrelu": foreach (ref var v in x) v = v >= 0 ? v : 0.01f * v; break;
            case "tanh": foreach (ref var v in x) v = MathF.Tanh(v); break;
            case "sigmoid": foreach (ref var v in x) v = 1f / (1f + MathF.Exp(-v)); break;
            case "silu": foreach (ref var v in x) v = v / (1f + MathF.Exp(-v)); break;
            case "gelu": foreach (ref var v in x) v = 0.5f * v * (1f + MathF.Tanh(0.7978846f * (v + 0.044715f * v * v * v))); break;
            case "elu": foreach (ref var v in x) v = v >= 0 ? v : MathF.Exp(v) - 1f; break;
            default: break;
        }
    }

    /// <summary>True when <paramref name="name"/> is an activation this evaluator knows (or identity).</summary>
    public static bool IsKnown(string? name) => Normalize(name) is "relu" or "leakyrelu" or "tanh" or "sigmoid" or "silu"
        or "gelu" or "elu" or "identity" or "" or "none" or "linear";

    private static string Normalize(string? name) =>
        (name ?? "").Replace("_", "").Replace("-", "").ToLowerInvariant();

    /// <summary>
    /// Runs the network on one input; fills <paramref name="layers"/>[k] with the post-activation values
    /// of layer k (layers[0] = the input). Buffers must have the layer sizes.
    /// </summary>
    public static void Forward(IReadOnlyList<int> sizes, IReadOnlyList<string> activations, float[][] weights, float[]?[] biases,
        ReadOnlySpan<float> input, float[][] layers)
    {
        input.CopyTo(layers[0]);
        for (int k = 0; k + 1 < sizes.Count; k++)
        {
            int nIn = sizes[k], nOut = sizes[k + 1];
            var w = weights[k];
            var b = biases[k];
            var src = layers[k];
            var dst = layers[k + 1];
            for (int o = 0; o < nOut; o++)
            {
                float acc = b is null ? 0f : b[o];
                acc += System.Numerics.Tensors.TensorPrimitives.Dot(new ReadOnlySpan<float>(w, o * nIn, nIn), src);
                dst[o] = acc;
            }
            Activate(k < activations.Count ? activations[k] : null, dst);
        }
    }

    /// <summary>
    /// Runs the network on <c>n</c> inputs at once, stored by feature: <paramref name="layers"/>[0][i] holds
    /// input feature i of every point (length ≥ n). Fills layers[k][j] with neuron j of layer k for every
    /// point. One multiply-add over all points per weight keeps the work in long SIMD loops, which is what
    /// makes a decision-region grid affordable on every frame.
    /// </summary>
    public static void ForwardBatch(IReadOnlyList<int> sizes, IReadOnlyList<string> activations, float[][] weights, float[]?[] biases,
        float[][][] layers, int n)
    {
        for (int k = 0; k + 1 < sizes.Count; k++)
        {
            int nIn = sizes[k], nOut = sizes[k + 1];
            var w = weights[k];
            var b = biases[k];
            for (int o = 0; o < nOut; o++)
            {
                var acc = layers[k + 1][o].AsSpan(0, n);
                acc.Fill(b is null ? 0f : b[o]);
                for (int i = 0; i < nIn; i++)
                {
                    float wi = w[o * nIn + i];
                    if (wi == 0f) continue;
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(layers[k][i].AsSpan(0, n), wi, acc, acc);
                }
                Activate(k < activations.Count ? activations[k] : null, acc);
            }
        }
    }

    /// <summary>Softmax of <paramref name="logits"/> (or the sigmoid for one output) into <paramref name="probs"/>.</summary>
    public static void Probabilities(ReadOnlySpan<float> logits, Span<float> probs, bool outputIsProbability)
    {
        if (outputIsProbability)
        {
            logits.CopyTo(probs);
            return;
        }
        if (logits.Length == 1)
        {
            probs[0] = 1f / (1f + MathF.Exp(-logits[0]));
            return;
        }
        float max = float.MinValue;
        foreach (var v in logits) max = MathF.Max(max, v);
        float sum = 0;
        for (int i = 0; i < logits.Length; i++) sum += probs[i] = MathF.Exp(logits[i] - max);
        for (int i = 0; i < logits.Length; i++) probs[i] /= sum;
    }
}
