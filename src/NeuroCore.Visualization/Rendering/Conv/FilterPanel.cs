using SkiaSharp;

namespace NeuroCore.Visualization.Rendering.Conv;

/// <summary>
/// The first convolution's filters as small images (input channels averaged; the diverging weight colours, one
/// scale for the whole layer on this frame), so random initial kernels visibly turn into edge and stroke detectors.
/// </summary>
internal static class FilterPanel
{
    /// <summary>Most filters drawn.</summary>
    public const int MaxFilters = 32;

    public static void Draw(SKCanvas canvas, SKRect r, ConvFrameState state, float s, SKFont font, byte[] scratch)
    {
        if (state.Filters is not { } w) return;
        Hud.Panel(canvas, r, s);
        using var label = new SKPaint { IsAntialias = true, Color = Hud.DimColor };
        int k = state.FilterSize, n = Math.Min(MaxFilters, state.FilterCount);
        canvas.DrawText($"first-layer filters ({state.FilterCount} of {k}×{k})", r.Left + 12 * s, r.Top + 20 * s, SKTextAlign.Left, font, label);
        var area = Grid(r, s);
        var (cols, _, cell) = FeatureMapGridPanel.Cells(area, n, 1f);
        float scale = 0;
        foreach (var v in w.AsSpan(0, n * k * k)) if (float.IsFinite(v)) scale = MathF.Max(scale, MathF.Abs(v));
        float gap = MathF.Max(1, 3 * s);
        for (int f = 0; f < n; f++)
        {
            float x = area.Left + (f % cols) * cell.Width, y = area.Top + (f / cols) * cell.Height;
            MapImage.Diverging(canvas, w.AsSpan(f * k * k, k * k), k, k, scale > 0 ? scale : 1, new SKRect(x, y, x + cell.Width - gap, y + cell.Height - gap), scratch);
        }
    }

    /// <summary>The area the filters fill inside panel <paramref name="r"/>.</summary>
    public static SKRect Grid(SKRect r, float s) => new(r.Left + 12 * s, r.Top + 30 * s, r.Right - 12 * s, r.Bottom - 8 * s);
}
