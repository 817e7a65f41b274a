namespace NeuroCore.Visualization.Explain;

/// <summary>A small planar image ([channels, height, width], 1 = grey or 3 = RGB) with values in [0, 1].</summary>
/// <param name="Channels">1 or 3.</param>
/// <param name="Height">Rows.</param>
/// <param name="Width">Columns.</param>
/// <param name="Values">Planar values in [0, 1] (clamped when drawn).</param>
/// <param name="Outline">An optional rectangle (y0, x0, y1, x1) drawn on the tile, e.g. a receptive field.</param>
public sealed record ImageTile(int Channels, int Height, int Width, float[] Values, (int Y0, int X0, int Y1, int X1)? Outline = null)
{
    /// <summary>An image tensor [C, H, W] (or [1, C, H, W]) scaled to [0, 1] by its own minimum and maximum.</summary>
    public static ImageTile FromImage(Tensor image)
    {
        var shape = image.Shape;
        if (shape.Length == 4 && shape[0] == 1) shape = shape[1..];
        if (shape.Length != 3) throw new ArgumentException($"Explain: expected an image [C, H, W], got shape [{string.Join(", ", image.Shape)}].");
        var v = image.ToArray();
        int c = shape[0];
        if (c != 1 && c != 3)
        {
            // Other channel counts are shown as their mean.
            int hw = shape[1] * shape[2];
            var mean = new float[hw];
            for (int ch = 0; ch < c; ch++) for (int i = 0; i < hw; i++) mean[i] += v[ch * hw + i] / c;
            v = mean;
            c = 1;
        }
        float min = v.Min(), range = v.Max() - min;
        return new ImageTile(c, shape[1], shape[2], v.Select(x => range > 0 ? (x - min) / range : 0.5f).ToArray());
    }
}
