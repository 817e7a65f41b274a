using SkiaSharp;

namespace NeuroCore.Visualization.Rendering.Conv;

/// <summary>Small float maps (feature maps, filters, the probe) drawn as nearest-neighbour scaled images.</summary>
internal static class MapImage
{
    /// <summary>The smallest and largest finite value of <paramref name="values"/> (0, 1 when none).</summary>
    public static (float Min, float Max) Range(ReadOnlySpan<float> values)
    {
        float min = float.MaxValue, max = float.MinValue;
        foreach (var v in values) if (float.IsFinite(v)) { if (v < min) min = v; if (v > max) max = v; }
        return min > max ? (0, 1) : (min, max);
    }

    /// <summary>Draws a <paramref name="w"/>×<paramref name="h"/> map with the sequential palette over <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static void Sequential(SKCanvas canvas, ReadOnlySpan<float> values, int w, int h, float min, float max, SKRect dest, byte[] scratch)
    {
        float inv = max > min ? 1f / (max - min) : 0f;
        for (int i = 0; i < w * h; i++)
        {
            float v = values[i];
            var c = Palette.Sequential(float.IsFinite(v) ? Math.Clamp((v - min) * inv, 0f, 1f) : 0f);
            Put(scratch, i, c);
        }
        Draw(canvas, scratch, w, h, dest);
    }

    /// <summary>Draws a map with the diverging weight palette (negative, zero, positive) scaled by <paramref name="scale"/>.</summary>
    public static void Diverging(SKCanvas canvas, ReadOnlySpan<float> values, int w, int h, float scale, SKRect dest, byte[] scratch)
    {
        for (int i = 0; i < w * h; i++) Put(scratch, i, Palette.Diverging(float.IsFinite(values[i]) ? values[i] : 0f, scale));
        Draw(canvas, scratch, w, h, dest);
    }

    /// <summary>Draws a grey image of 0..1 values.</summary>
    public static void Grey(SKCanvas canvas, ReadOnlySpan<float> values, int w, int h, SKRect dest, byte[] scratch)
    {
        for (int i = 0; i < w * h; i++)
        {
            float v = float.IsFinite(values[i]) ? Math.Clamp(values[i], 0f, 1f) : 0f;
            Put(scratch, i, new Rgb(v, v, v));
        }
        Draw(canvas, scratch, w, h, dest);
    }

    private static void Put(byte[] rgba, int i, Rgb c)
    {
        rgba[4 * i] = (byte)Math.Clamp((int)(c.R * 255f + 0.5f), 0, 255);
        rgba[4 * i + 1] = (byte)Math.Clamp((int)(c.G * 255f + 0.5f), 0, 255);
        rgba[4 * i + 2] = (byte)Math.Clamp((int)(c.B * 255f + 0.5f), 0, 255);
        rgba[4 * i + 3] = 255;
    }

    private static void Draw(SKCanvas canvas, byte[] rgba, int w, int h, SKRect dest)
    {
        using var image = SKImage.FromPixelCopy(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul), rgba.AsSpan(0, w * h * 4));
        canvas.DrawImage(image, dest, new SKSamplingOptions(SKFilterMode.Nearest));
    }
}
