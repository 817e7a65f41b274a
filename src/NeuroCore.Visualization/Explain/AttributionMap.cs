namespace NeuroCore.Visualization.Explain;

/// <summary>A 2-D map of values over an image (row-major, <see cref="Height"/> × <see cref="Width"/>).</summary>
/// <param name="Height">Rows.</param>
/// <param name="Width">Columns.</param>
/// <param name="Values">The values, row by row.</param>
public sealed record AttributionMap(int Height, int Width, float[] Values)
{
    /// <summary>The value at row <paramref name="y"/>, column <paramref name="x"/>.</summary>
    public float this[int y, int x] => Values[y * Width + x];

    /// <summary>The smallest value.</summary>
    public float Min => Values.Min();

    /// <summary>The largest value.</summary>
    public float Max => Values.Max();

    /// <summary>Row and column of the largest value (the first one on ties).</summary>
    public (int Y, int X) ArgMax()
    {
        int best = 0;
        for (int i = 1; i < Values.Length; i++) if (Values[i] > Values[best]) best = i;
        return (best / Width, best % Width);
    }

    /// <summary>The mean of the values in rows [y0, y1) and columns [x0, x1).</summary>
    public float MeanIn(int y0, int x0, int y1, int x1)
    {
        double sum = 0;
        int n = 0;
        for (int y = Math.Max(0, y0); y < Math.Min(Height, y1); y++)
            for (int x = Math.Max(0, x0); x < Math.Min(Width, x1); x++) { sum += this[y, x]; n++; }
        return n == 0 ? float.NaN : (float)(sum / n);
    }

    /// <summary>The values rescaled to [0, 1] (all zeros when the map is constant).</summary>
    public AttributionMap Normalized()
    {
        float min = Min, range = Max - min;
        return this with { Values = Values.Select(v => range > 0 ? (v - min) / range : 0f).ToArray() };
    }

    /// <summary>Bilinear resampling to <paramref name="height"/> × <paramref name="width"/> (pixel centres aligned, as Grad-CAM upsampling does).</summary>
    public AttributionMap Resize(int height, int width)
    {
        var result = new float[height * width];
        for (int y = 0; y < height; y++)
        {
            float sy = Math.Clamp((y + 0.5f) * Height / height - 0.5f, 0, Height - 1);
            int y0 = (int)sy, y1 = Math.Min(y0 + 1, Height - 1);
            float fy = sy - y0;
            for (int x = 0; x < width; x++)
            {
                float sx = Math.Clamp((x + 0.5f) * Width / width - 0.5f, 0, Width - 1);
                int x0 = (int)sx, x1 = Math.Min(x0 + 1, Width - 1);
                float fx = sx - x0;
                float top = this[y0, x0] * (1 - fx) + this[y0, x1] * fx;
                float bottom = this[y1, x0] * (1 - fx) + this[y1, x1] * fx;
                result[y * width + x] = top * (1 - fy) + bottom * fy;
            }
        }
        return new AttributionMap(height, width, result);
    }
}
