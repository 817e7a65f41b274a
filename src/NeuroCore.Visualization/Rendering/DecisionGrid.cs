namespace NeuroCore.Visualization.Rendering;

/// <summary>
/// The decision-region panel of a 2-D classifier: the network's predicted class and confidence on a
/// grid over the data's extent, coloured per class. One instance per render thread.
/// </summary>
internal sealed class DecisionGrid
{
    private readonly int _size;
    private readonly Tensor _points;
    private readonly byte[] _rgba;
    private readonly int _classes;

    public DecisionGrid(TimelapseData data, int requestedSize, (float XMin, float XMax, float YMin, float YMax) extent)
    {
        _size = Size(requestedSize, data.LayerSizes);
        _classes = data.LayerSizes[^1];
        int n = _size * _size;
        var xy = new float[n * 2];
        var (x0, x1, y0, y1) = extent;
        for (int row = 0; row < _size; row++)
            for (int col = 0; col < _size; col++)
            {
                xy[2 * (row * _size + col)] = x0 + (col + 0.5f) / _size * (x1 - x0);
                xy[2 * (row * _size + col) + 1] = y1 - (row + 0.5f) / _size * (y1 - y0);
            }
        _points = Tensor.FromArray(xy, n, 2);
        _rgba = new byte[n * 4];
    }

    /// <summary>Grid cells per side.</summary>
    public int GridSize => _size;

    /// <summary>Runs the grid through <paramref name="network"/> (holding the frame's weights); returns the RGBA pixels, row 0 at the top.</summary>
    public byte[] Render(FrameNetwork network)
    {
        var outputs = network.Forward(_points);
        int n = _size * _size;
        Span<float> probs = stackalloc float[Math.Max(1, _classes)];
        var background = Palette.BackgroundTop;
        for (int p = 0; p < n; p++)
        {
            network.Probabilities(outputs.AsSpan(p * _classes, _classes), probs);
            int best;
            float confidence;
            if (_classes == 1)
            {
                best = probs[0] >= 0.5f ? 1 : 0;
                confidence = MathF.Abs(probs[0] - 0.5f) * 2f;
            }
            else
            {
                best = 0;
                for (int i = 1; i < _classes; i++) if (probs[i] > probs[best]) best = i;
                confidence = (probs[best] - 1f / _classes) / (1f - 1f / _classes);
            }
            // A diverged network's NaN confidence shows as the faintest tint, not as garbage.
            if (!float.IsFinite(confidence)) confidence = 0f;
            var color = background.Lerp(Palette.Class(best), 0.18f + 0.5f * Math.Clamp(confidence, 0f, 1f));
            _rgba[4 * p] = (byte)(color.R * 255f + 0.5f);
            _rgba[4 * p + 1] = (byte)(color.G * 255f + 0.5f);
            _rgba[4 * p + 2] = (byte)(color.B * 255f + 0.5f);
            _rgba[4 * p + 3] = 255;
        }
        return _rgba;
    }

    // Big networks get a coarser grid (drawn with bilinear filtering): about 12 M multiply-adds per frame at most.
    internal static int Size(int requested, IReadOnlyList<int> sizes)
    {
        long macs = 0;
        for (int k = 0; k + 1 < sizes.Count; k++) macs += (long)sizes[k] * sizes[k + 1];
        int affordable = (int)Math.Sqrt(12_000_000.0 / Math.Max(1, macs));
        return Math.Clamp(Math.Min(requested, affordable), Math.Min(requested, 16), requested);
    }
}
