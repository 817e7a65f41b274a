using System.Numerics;

namespace NeuroCore.Visualization.Rendering;

/// <summary>
/// Positions of the neurons of a layered network in 3-D: layers side by side along x, each layer a
/// column (small layers) or a square grid in the y–z plane (large layers such as image inputs).
/// </summary>
internal sealed class NetworkLayout
{
    private NetworkLayout(IReadOnlyList<int> sizes, Vector3[] positions, int[] layerStart)
    {
        LayerSizes = sizes;
        Positions = positions;
        LayerStart = layerStart;
    }

    /// <summary>Neurons per layer.</summary>
    public IReadOnlyList<int> LayerSizes { get; }

    /// <summary>World position of every neuron, layer by layer.</summary>
    public Vector3[] Positions { get; }

    /// <summary>Index of the first neuron of each layer in <see cref="Positions"/> (plus a final total).</summary>
    public int[] LayerStart { get; }

    /// <summary>Number of connections between consecutive layers (fully connected).</summary>
    public long ConnectionCount
    {
        get
        {
            long n = 0;
            for (int k = 0; k + 1 < LayerSizes.Count; k++) n += (long)LayerSizes[k] * LayerSizes[k + 1];
            return n;
        }
    }

    /// <summary>Lays out a network with <paramref name="sizes"/> neurons per layer.</summary>
    public static NetworkLayout Create(IReadOnlyList<int> sizes)
    {
        const float layerSpacing = 2.2f;
        const float columnHeight = 3.2f; // the tallest column, in world units
        var start = new int[sizes.Count + 1];
        for (int k = 0; k < sizes.Count; k++) start[k + 1] = start[k] + sizes[k];
        var positions = new Vector3[start[^1]];
        float x0 = -(sizes.Count - 1) * layerSpacing * 0.5f;
        for (int k = 0; k < sizes.Count; k++)
        {
            int n = sizes[k];
            float x = x0 + k * layerSpacing;
            if (n <= 32)
            {
                float spacing = n <= 1 ? 0 : MathF.Min(0.42f, columnHeight / (n - 1));
                for (int i = 0; i < n; i++)
                    positions[start[k] + i] = new Vector3(x, (i - (n - 1) * 0.5f) * spacing, 0);
            }
            else
            {
                int cols = (int)MathF.Ceiling(MathF.Sqrt(n));
                int rows = (n + cols - 1) / cols;
                float spacing = columnHeight / Math.Max(1, Math.Max(cols, rows) - 1);
                for (int i = 0; i < n; i++)
                {
                    int r = i / cols, c = i % cols;
                    positions[start[k] + i] = new Vector3(x, ((rows - 1) * 0.5f - r) * spacing, (c - (cols - 1) * 0.5f) * spacing);
                }
            }
        }
        return new NetworkLayout(sizes, positions, start);
    }
}
