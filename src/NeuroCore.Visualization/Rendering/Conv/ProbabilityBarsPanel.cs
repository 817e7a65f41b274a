using System.Globalization;
using SkiaSharp;

namespace NeuroCore.Visualization.Rendering.Conv;

/// <summary>The probe image and the network's predicted class probabilities (softmax of its output) as bars.</summary>
internal static class ProbabilityBarsPanel
{
    private static readonly SKColor Bar = new(90, 150, 230);
    private static readonly SKColor Best = new(110, 210, 140);

    public static void Draw(SKCanvas canvas, int width, int height, ConvFrameState state, float[] probeImage, int probeW, int probeH,
        long? trueClass, IReadOnlyList<string>? names, float s, SKFont font, byte[] scratch)
    {
        var r = ConvLayout.Probe(width, height);
        Hud.Panel(canvas, r, s);
        using var label = new SKPaint { IsAntialias = true, Color = Hud.DimColor };
        using var text = new SKPaint { IsAntialias = true, Color = Hud.TextColor };
        string truth = trueClass is long t ? $" (true: {Name(names, (int)t)})" : "";
        canvas.DrawText($"probe input{truth}", r.Left + 12 * s, r.Top + 22 * s, SKTextAlign.Left, font, label);
        var img = ConvLayout.ProbeImage(width, height);
        var dest = SKRect.Create(img.Left, img.Top, img.Width, img.Width * probeH / probeW);
        MapImage.Grey(canvas, probeImage, probeW, probeH, dest, scratch);

        var p = state.Probabilities;
        if (p.Length == 0) return;
        var (bars, nameW, full) = Geometry(width, height, names, p.Length);
        int best = 0;
        for (int i = 1; i < p.Length; i++) if (p[i] > p[best]) best = i;
        float rowH = bars.Height / p.Length;
        using var fill = new SKPaint { IsAntialias = true };
        using var small = new SKFont(font.Typeface, MathF.Min(font.Size, rowH * 0.8f)) { Subpixel = true, Edging = SKFontEdging.Antialias };
        for (int i = 0; i < p.Length; i++)
        {
            float y = bars.Top + i * rowH;
            canvas.DrawText(Name(names, i), bars.Left + nameW - 6 * s, y + rowH * 0.75f, SKTextAlign.Right, small, i == best ? text : label);
            float v = float.IsFinite(p[i]) ? Math.Clamp(p[i], 0f, 1f) : 0f;
            fill.Color = new SKColor(255, 255, 255, 18);
            canvas.DrawRect(new SKRect(bars.Left + nameW, y + rowH * 0.15f, bars.Left + nameW + full, y + rowH * 0.85f), fill);
            fill.Color = i == best ? Best : Bar;
            canvas.DrawRect(new SKRect(bars.Left + nameW, y + rowH * 0.15f, bars.Left + nameW + full * v, y + rowH * 0.85f), fill);
            canvas.DrawText((v * 100).ToString("0", CultureInfo.InvariantCulture) + "%", bars.Right, y + rowH * 0.75f, SKTextAlign.Right, small, i == best ? text : label);
        }
    }

    /// <summary>The bars' area, the class-name column's width (the longest name, within bounds) and a full bar's length.</summary>
    private static (SKRect Bars, float NameWidth, float Full) Geometry(int width, int height, IReadOnlyList<string>? names, int classes)
    {
        float s = ConvLayout.Scale(width, height);
        var bars = ConvLayout.Bars(width, height);
        using var font = new SKFont(Fonts.Sans, MathF.Min(15 * s, bars.Height / classes * 0.8f));
        float longest = 0;
        for (int i = 0; i < classes; i++) longest = MathF.Max(longest, font.MeasureText(Name(names, i)));
        float nameW = Math.Clamp(longest + 10 * s, 24 * s, bars.Width * 0.45f);
        return (bars, nameW, bars.Width - nameW - 52 * s);
    }

    /// <summary>Pixel span of bar <paramref name="i"/>'s full length (tests measure the filled part).</summary>
    public static (float Left, float Right, float Y) BarSpan(int width, int height, int i, int classes, IReadOnlyList<string>? names = null)
    {
        var (bars, nameW, full) = Geometry(width, height, names, classes);
        float rowH = bars.Height / classes;
        return (bars.Left + nameW, bars.Left + nameW + full, bars.Top + i * rowH + rowH * 0.5f);
    }

    private static string Name(IReadOnlyList<string>? names, int i) =>
        names is not null && i < names.Count ? names[i] : i.ToString(CultureInfo.InvariantCulture);
}
