using NeuroCore.Visualization.Runs;

namespace NeuroCore.Visualization.Rendering;

/// <summary>
/// The fixed colour scales of a whole video, so colour and width show weights and activations growing
/// over training rather than being renormalized on every frame.
/// </summary>
internal static class RenderScales
{
    // Activation scales sample this many evenly picked snapshots: enough to find the range, cheap on long runs.
    private const int ActivationSamples = 24;

    /// <summary>Per weight matrix, the largest finite |w| over the run (as the glTF timeline uses); 1 for an all-zero layer.</summary>
    public static float[] Weights(TimelapseData data)
    {
        int layers = data.LayerSizes.Count - 1;
        var scales = new float[layers];
        foreach (var snap in data.Snapshots)
            for (int k = 0; k < layers; k++) scales[k] = MathF.Max(scales[k], WeightStatistics.MaxAbsFinite(snap.Weights[k]));
        for (int k = 0; k < layers; k++) if (!(scales[k] > 1e-8f)) scales[k] = 1f;
        return scales;
    }

    /// <summary>Per layer, the largest mean |activation| over evenly picked snapshots; 1 for a silent layer.</summary>
    public static float[] Activations(TimelapseData data, FrameNetwork network, Tensor probes)
    {
        var sizes = data.LayerSizes;
        var scales = new float[sizes.Count];
        var values = new FrameActivations(sizes);
        foreach (int i in EvenPicking.Indexes(data.Snapshots.Count, ActivationSamples))
        {
            var snap = data.Snapshots[i];
            if (snap.Activations is { } recorded)
            {
                for (int k = 0; k < sizes.Count && k < recorded.Count; k++)
                    scales[k] = MathF.Max(scales[k], WeightStatistics.MaxAbsFinite(recorded[k]));
                continue;
            }
            network.Load(snap, snap, 0);
            values.Compute(network, probes);
            for (int k = 0; k < sizes.Count; k++) scales[k] = MathF.Max(scales[k], WeightStatistics.MaxAbsFinite(values.MeanAbs[k]));
        }
        for (int k = 0; k < scales.Length; k++) if (!(scales[k] > 1e-6f)) scales[k] = 1f;
        return scales;
    }
}

/// <summary>A frame's per-neuron activation: the mean and mean |value| over the glow inputs, layer by layer.</summary>
internal sealed class FrameActivations
{
    private readonly float[]?[] _layers;

    public FrameActivations(IReadOnlyList<int> sizes)
    {
        Mean = [.. sizes.Select(s => new float[s])];
        MeanAbs = [.. sizes.Select(s => new float[s])];
        _layers = new float[]?[sizes.Count];
    }

    public float[][] Mean { get; }
    public float[][] MeanAbs { get; }

    /// <summary>Runs <paramref name="probes"/> through <paramref name="network"/> and averages every layer over them.</summary>
    public void Compute(FrameNetwork network, Tensor probes)
    {
        network.Forward(probes, _layers);
        int n = probes.Size(0);
        for (int k = 0; k < Mean.Length; k++)
        {
            Array.Clear(Mean[k]);
            Array.Clear(MeanAbs[k]);
            if (_layers[k] is not { } values) continue;
            int size = Mean[k].Length;
            for (int p = 0; p < n; p++)
                for (int i = 0; i < size; i++)
                {
                    // A diverged run's NaN must not light up (or blank) the frame: it counts as silent.
                    float v = values[p * size + i];
                    if (!float.IsFinite(v)) continue;
                    Mean[k][i] += v;
                    MeanAbs[k][i] += MathF.Abs(v);
                }
            float inv = 1f / n;
            System.Numerics.Tensors.TensorPrimitives.Multiply(Mean[k], inv, Mean[k]);
            System.Numerics.Tensors.TensorPrimitives.Multiply(MeanAbs[k], inv, MeanAbs[k]);
        }
    }

    /// <summary>Recorded activations interpolated between two snapshots.</summary>
    public void Interpolate(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b, float t)
    {
        for (int k = 0; k < Mean.Length && k < a.Count && k < b.Count; k++)
        {
            System.Numerics.Tensors.TensorPrimitives.Subtract(b[k], a[k], Mean[k]);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(Mean[k], t, a[k], Mean[k]);
            System.Numerics.Tensors.TensorPrimitives.Abs(Mean[k], MeanAbs[k]);
        }
    }
}
