using SkiaSharp;

namespace NeuroCore.Visualization.Rendering.Conv;

/// <summary>Where the panels of a convolutional frame go (tests sample these rectangles).</summary>
internal static class ConvLayout
{
    public static float Scale(int width, int height) => Hud.Scale(width, height);

    /// <summary>The 3-D view of the network's feature-map stacks.</summary>
    public static SKRect Network(int width, int height)
    {
        float s = Scale(width, height);
        return new SKRect(16 * s, 84 * s, width - 16 * s - 470 * s, FeatureMaps(width, height).Top - 10 * s);
    }

    /// <summary>Probe image and predicted class probabilities.</summary>
    public static SKRect Probe(int width, int height)
    {
        float s = Scale(width, height);
        return new SKRect(width - 16 * s - 460 * s, 16 * s, width - 16 * s, 16 * s + 250 * s);
    }

    /// <summary>The probability bars inside <see cref="Probe"/>.</summary>
    public static SKRect Bars(int width, int height)
    {
        float s = Scale(width, height);
        var r = Probe(width, height);
        return new SKRect(ProbeImage(width, height).Right + 8 * s, r.Top + 34 * s, r.Right - 12 * s, r.Bottom - 12 * s);
    }

    /// <summary>The probe image inside <see cref="Probe"/>.</summary>
    public static SKRect ProbeImage(int width, int height)
    {
        float s = Scale(width, height);
        var r = Probe(width, height);
        return SKRect.Create(r.Left + 12 * s, r.Top + 34 * s, 164 * s, 164 * s);
    }

    /// <summary>First-layer filters.</summary>
    public static SKRect Filters(int width, int height)
    {
        float s = Scale(width, height);
        var p = Probe(width, height);
        return new SKRect(p.Left, p.Bottom + 10 * s, p.Right, p.Bottom + 10 * s + 118 * s);
    }

    /// <summary>The band of feature-map grid panels, one per convolution.</summary>
    public static SKRect FeatureMaps(int width, int height)
    {
        float s = Scale(width, height);
        float bottom = height - 16 * s - 120 * s - 10 * s; // above the charts
        return new SKRect(16 * s, bottom - 170 * s, width - 16 * s, bottom);
    }

    /// <summary>Panel <paramref name="k"/> of <paramref name="count"/> inside <see cref="FeatureMaps"/>.</summary>
    public static SKRect FeatureMapPanel(int width, int height, int k, int count)
    {
        float s = Scale(width, height);
        var band = FeatureMaps(width, height);
        float gap = 10 * s, w = (band.Width - gap * (count - 1)) / Math.Max(1, count);
        return new SKRect(band.Left + k * (w + gap), band.Top, band.Left + k * (w + gap) + w, band.Bottom);
    }
}
