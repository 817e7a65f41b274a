using NeuroCore.Autograd;
using NeuroCore.NN;

namespace NeuroCore.Visualization.Rendering;

/// <summary>
/// The network a frame's forward passes run on: the recorded network rebuilt with the core's modules
/// (<see cref="TimelapseData.CreateNetwork"/>), or Linear layers and the named activations for data built in
/// memory. Holds the frame's interpolated weights in its own parameters and reports every drawn layer's
/// values. One instance per render thread (modules hold state).
/// </summary>
internal sealed class FrameNetwork
{
    private readonly Sequential _model;
    private readonly Linear[] _linears;
    private readonly int[] _sizes;
    private readonly float[]?[] _captured;
    private bool _capture;
    private WeightSnapshot? _fromA, _fromB;
    private Tensor[] _a = [], _b = [];
    private Tensor?[] _aBias = [], _bBias = [];

    public FrameNetwork(TimelapseData data)
    {
        _sizes = [.. data.LayerSizes];
        _model = data.CreateNetwork?.Invoke() ?? FromSizes(data);
        _model.Eval();
        var children = _model.Layers;
        var linears = new List<(Linear Layer, int Position)>();
        for (int i = 0; i < children.Count; i++)
            if (children[i] is Linear l) linears.Add((l, i));
        if (linears.Count != _sizes.Length - 1)
            throw new ArgumentException($"Timelapse: the network has {linears.Count} Linear layers but the data describes {_sizes.Length - 1}.");
        for (int k = 0; k < linears.Count; k++)
            if (linears[k].Layer.InFeatures != _sizes[k] || linears[k].Layer.OutFeatures != _sizes[k + 1])
                throw new ArgumentException($"Timelapse: Linear layer {k} maps {linears[k].Layer.InFeatures} to {linears[k].Layer.OutFeatures}, the data says {_sizes[k]} to {_sizes[k + 1]}.");
        _linears = [.. linears.Select(l => l.Layer)];
        // Layer k+1 is drawn as the output of the last element-wise module after Linear k (its activation), or of Linear k.
        _captured = new float[]?[_sizes.Length];
        for (int k = 0; k < linears.Count; k++)
        {
            int end = k + 1 < linears.Count ? linears[k + 1].Position : children.Count;
            int shown = linears[k].Position;
            for (int i = shown + 1; i < end; i++)
                if (ActivationFunctions.FromTypeName(children[i].TypeName) is { } f && f is not (ActivationFunction.Softmax or ActivationFunction.LogSoftmax)) shown = i;
            int layer = k + 1;
            children[shown].RegisterForwardHook((_, _, output) => { if (_capture) _captured[layer] = output.ToArray(); });
        }
        var last = children.Count > 0 ? ActivationFunctions.FromTypeName(children[^1].TypeName) : null;
        Output = last switch
        {
            ActivationFunction.Softmax => OutputKind.Probabilities,
            ActivationFunction.LogSoftmax => OutputKind.LogProbabilities,
            ActivationFunction.Sigmoid when _sizes[^1] == 1 => OutputKind.Probabilities,
            _ => OutputKind.Logits,
        };
    }

    /// <summary>What the last layer's values are.</summary>
    public OutputKind Output { get; }

    /// <summary>Puts the weights between <paramref name="a"/> and <paramref name="b"/> at fraction <paramref name="t"/> into the network.</summary>
    public void Load(WeightSnapshot a, WeightSnapshot b, float t)
    {
        if (!ReferenceEquals(a, _fromA)) (_a, _aBias, _fromA) = (Weights(a), Biases(a), a);
        if (!ReferenceEquals(b, _fromB)) (_b, _bBias, _fromB) = (Weights(b), Biases(b), b);
        using var _ = GradMode.NoGrad();
        for (int k = 0; k < _linears.Length; k++)
        {
            Lerp(_linears[k].Weight, _a[k], _b[k], t);
            if (_linears[k].Bias is { } bias)
            {
                if (_aBias[k] is { } ba && _bBias[k] is { } bb) Lerp(bias, ba, bb, t);
                else bias.FillInPlace(0f);
            }
        }
    }

    // w = a + t·(b − a), in place, with the core's ops.
    private static void Lerp(Tensor w, Tensor a, Tensor b, float t)
    {
        w.CopyInPlace(a);
        if (t == 0 || ReferenceEquals(a, b)) return;
        w.MulInPlace(1 - t);
        w.AddInPlace(b * t);
    }

    private Tensor[] Weights(WeightSnapshot s) => [.. s.Weights.Select((w, k) => Tensor.FromArray(w, _sizes[k + 1], _sizes[k]))];

    private Tensor?[] Biases(WeightSnapshot s) =>
        [.. Enumerable.Range(0, _linears.Length).Select(k => s.Biases is { } b && b.Count > k && b[k] is { } v ? Tensor.FromArray(v) : null)];

    /// <summary>
    /// Runs the network on <paramref name="inputs"/> ([N, inputs]); returns the last layer's values [N, outputs].
    /// With <paramref name="layers"/>, fills layers[k] with layer k's values for every input (row-major [N, size]; layers[0] = the inputs).
    /// </summary>
    public float[] Forward(Tensor inputs, float[]?[]? layers = null)
    {
        _capture = layers is not null;
        Tensor output;
        using (GradMode.NoGrad()) output = _model.Call(inputs);
        _capture = false;
        if (layers is not null)
        {
            layers[0] = inputs.ToArray();
            for (int k = 1; k < _captured.Length; k++) layers[k] = _captured[k];
        }
        return output.ToArray();
    }

    /// <summary>Turns one input's outputs into class probabilities (softmax of logits, or the sigmoid for one output).</summary>
    public void Probabilities(ReadOnlySpan<float> outputs, Span<float> probs)
    {
        switch (Output)
        {
            case OutputKind.Probabilities:
                outputs.CopyTo(probs);
                return;
            case OutputKind.LogProbabilities:
                for (int i = 0; i < outputs.Length; i++) probs[i] = MathF.Exp(outputs[i]);
                return;
        }
        if (outputs.Length == 1)
        {
            probs[0] = 1f / (1f + MathF.Exp(-outputs[0]));
            return;
        }
        float max = float.MinValue;
        foreach (var v in outputs) max = MathF.Max(max, v);
        float sum = 0;
        for (int i = 0; i < outputs.Length; i++) sum += probs[i] = MathF.Exp(outputs[i] - max);
        for (int i = 0; i < outputs.Length; i++) probs[i] /= sum;
    }

    /// <summary>Linear layers with the activation named after each (data built in memory rather than read from a run).</summary>
    internal static Sequential FromSizes(TimelapseData data)
    {
        var model = new Sequential();
        var sizes = data.LayerSizes;
        var first = data.Snapshots.Count > 0 ? data.Snapshots[0] : null;
        for (int k = 0; k + 1 < sizes.Count; k++)
        {
            bool bias = first?.Biases is { } b && b.Count > k && b[k] is not null;
            model.Add(new Linear(sizes[k], sizes[k + 1], bias));
            string? name = k < data.Activations.Count ? data.Activations[k] : null;
            if (ParseActivation(name) is { } f) model.Add(f.CreateModule());
        }
        return model;
    }

    /// <summary>The activation a name means, null for identity; throws for names the renderer cannot run.</summary>
    internal static ActivationFunction? ParseActivation(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Equals("identity", StringComparison.OrdinalIgnoreCase)
            || name.Equals("none", StringComparison.OrdinalIgnoreCase) || name.Equals("linear", StringComparison.OrdinalIgnoreCase)) return null;
        if (ActivationFunctions.TryParse(name, out var f) && f.HasModule()) return f;
        throw new ArgumentException(
            $"Timelapse: activation '{name}' is not supported by the renderer ({string.Join(", ", ActivationFunctions.All.Where(a => a.HasModule()).Select(a => a.Name()))} or identity).");
    }
}
