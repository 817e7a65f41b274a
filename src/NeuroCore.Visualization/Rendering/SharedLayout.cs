using System.Numerics;
using NeuroCore.Visualization.Layout;
using NeuroCore.Visualization.Model;

namespace NeuroCore.Visualization.Rendering;

/// <summary>
/// The timelapse's view of the shared <see cref="Layout.NetworkLayout"/> (the one the glTF scenes use):
/// neuron positions flattened layer by layer, and which connections are drawn under the budget.
/// </summary>
internal sealed class SharedLayout
{
    private SharedLayout(IReadOnlyList<int> sizes, Vector3[] positions, float[] radius, int[] layerStart, int[][] shown)
    {
        LayerSizes = sizes;
        Positions = positions;
        Radius = radius;
        LayerStart = layerStart;
        Shown = shown;
    }

    /// <summary>Neurons per layer.</summary>
    public IReadOnlyList<int> LayerSizes { get; }

    /// <summary>World position of every neuron, layer by layer.</summary>
    public Vector3[] Positions { get; }

    /// <summary>World radius of every neuron (the glTF sphere radius).</summary>
    public float[] Radius { get; }

    /// <summary>Index of the first neuron of each layer in <see cref="Positions"/>, plus the total at the end.</summary>
    public int[] LayerStart { get; }

    /// <summary>Per weight matrix k (from layer k to k + 1), the drawn connection ids <c>o·in + i</c>, ascending.</summary>
    public int[][] Shown { get; }

    /// <summary>Connections drawn per frame.</summary>
    public int ShownCount => Shown.Sum(s => s.Length);

    /// <summary>The architecture drawn: the run model's (<see cref="TimelapseData.Architecture"/>), or for data built in memory an input layer (image-shaped for a probe image) and dense layers.</summary>
    public static NetworkArchitecture Architecture(TimelapseData data)
    {
        if (data.Architecture is { } recorded) return recorded;
        var layers = new List<LayerSpec>
        {
            data.ProbeImage is not null
                ? new LayerSpec("input", LayerKind.Input, [data.ProbeHeight, data.ProbeWidth])
                : new LayerSpec("input", LayerKind.Input, [data.LayerSizes[0]]),
        };
        for (int k = 1; k < data.LayerSizes.Count; k++) layers.Add(new LayerSpec($"dense_{k}", LayerKind.Dense, [data.LayerSizes[k]]));
        return new NetworkArchitecture(layers);
    }

    /// <summary>
    /// Lays out <paramref name="data"/>'s network and chooses at most <paramref name="budget"/> connections
    /// like <see cref="ConnectionSelection"/> does for the glTF timeline: shared over layers in proportion to
    /// their size, strongest |weight| of the last snapshot, fixed for the whole video (no flicker).
    /// </summary>
    public static SharedLayout Create(TimelapseData data, int budget)
    {
        var layout = NetworkLayout.Compute(Architecture(data));
        var sizes = data.LayerSizes;
        var start = new int[sizes.Count + 1];
        for (int k = 0; k < sizes.Count; k++) start[k + 1] = start[k] + sizes[k];
        var positions = new Vector3[start[^1]];
        var radius = new float[start[^1]];
        for (int k = 0; k < sizes.Count; k++)
        {
            layout.Layers[k].Positions.CopyTo(positions.AsSpan(start[k]));
            radius.AsSpan(start[k], sizes[k]).Fill(layout.Layers[k].NeuronRadius);
        }
        var totals = new long[sizes.Count - 1];
        for (int k = 0; k + 1 < sizes.Count; k++) totals[k] = (long)sizes[k] * sizes[k + 1];
        var shares = ConnectionSelection.ShareBudget(totals, budget);
        var last = data.Snapshots[^1];
        var shown = new int[sizes.Count - 1][];
        for (int k = 0; k + 1 < sizes.Count; k++)
        {
            var magnitudes = new float[last.Weights[k].Length];
            for (int i = 0; i < magnitudes.Length; i++)
                magnitudes[i] = float.IsNaN(last.Weights[k][i]) ? 0f : MathF.Abs(last.Weights[k][i]);
            shown[k] = ConnectionSelection.TopK(magnitudes, shares[k]);
        }
        return new SharedLayout(sizes, positions, radius, start, shown);
    }
}
