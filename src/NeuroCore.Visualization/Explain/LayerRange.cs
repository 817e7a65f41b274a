using NeuroCore.NN;

namespace NeuroCore.Visualization.Explain;

/// <summary>
/// Runs a contiguous range of a <see cref="Sequential"/>'s layers: the analyses split a model at a layer
/// (Grad-CAM, top activations) by functional composition instead of touching autograd internals.
/// </summary>
internal static class LayerRange
{
    /// <summary>Applies layers [<paramref name="from"/>, <paramref name="to"/>) to <paramref name="x"/>.</summary>
    public static Tensor Run(Sequential model, Tensor x, int from, int to)
    {
        for (int i = from; i < to; i++) x = model[i].Call(x);
        return x;
    }

    /// <summary>Where the logits end: before a final Softmax/LogSoftmax (scores are taken before normalization), else the model's length.</summary>
    public static int LogitsEnd(Sequential model) => model.Count > 0 && model[^1] is Softmax or LogSoftmax ? model.Count - 1 : model.Count;

    /// <summary>The model's logits (its output without a final Softmax/LogSoftmax).</summary>
    public static Tensor Logits(Sequential model, Tensor x) => Run(model, x, 0, LogitsEnd(model));

    /// <summary>The index of the last layer of type <typeparamref name="T"/>, or −1.</summary>
    public static int LastIndexOf<T>(Sequential model) where T : Module
    {
        for (int i = model.Count - 1; i >= 0; i--) if (model[i] is T) return i;
        return -1;
    }

    /// <summary>The index of the first layer of type <typeparamref name="T"/>, or −1.</summary>
    public static int FirstIndexOf<T>(Sequential model) where T : Module
    {
        for (int i = 0; i < model.Count; i++) if (model[i] is T) return i;
        return -1;
    }

    /// <summary><paramref name="index"/>, moved past a directly following element-wise activation (the rectified maps).</summary>
    public static int ThroughActivation(Sequential model, int index) =>
        index + 1 < model.Count && model[index + 1] is ReLU or LeakyReLU or GELU or Tanh or Sigmoid ? index + 1 : index;

    /// <summary>
    /// Turns off <c>RequiresGrad</c> on the model's parameters until disposed, so a backward pass for an
    /// attribution reaches only the input (or the split point) and leaves the parameters' gradients alone.
    /// </summary>
    public static IDisposable FreezeParameters(Sequential model)
    {
        if (!Autograd.GradMode.IsEnabled)
            throw new InvalidOperationException("Explain: gradients are needed; call outside a GradMode.NoGrad() scope.");
        var frozen = model.Parameters().Where(p => p.RequiresGrad).ToList();
        foreach (var p in frozen) p.RequiresGrad = false;
        return new Restore(frozen);
    }

    private sealed class Restore(List<Tensor> parameters) : IDisposable
    {
        public void Dispose()
        {
            foreach (var p in parameters) p.RequiresGrad = true;
        }
    }

    /// <summary>One image [C, H, W] (or [1, C, H, W]) as a batch of one.</summary>
    public static Tensor AsBatch(Tensor image) => image.Rank switch
    {
        3 => image.Reshape([1, .. image.Shape]),
        4 when image.Size(0) == 1 => image,
        _ => throw new ArgumentException($"Explain: expected one image [C, H, W], got shape [{string.Join(", ", image.Shape)}]."),
    };

    /// <summary>The score of <paramref name="classIndex"/> in a [1, classes] output (a scalar tensor in the graph).</summary>
    public static Tensor ClassScore(Tensor logits, int classIndex)
    {
        if (logits.Rank != 2 || classIndex < 0 || classIndex >= logits.Size(1))
            throw new ArgumentOutOfRangeException(nameof(classIndex), $"Explain: class {classIndex} is not in the model's output of shape [{string.Join(", ", logits.Shape)}].");
        return logits.Narrow(1, classIndex, 1).Sum();
    }
}
