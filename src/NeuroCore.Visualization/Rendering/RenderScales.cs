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
