using SkiaSharp;

namespace NeuroCore.Visualization.Rendering.Conv;

/// <summary>One convolution's feature maps on the probe image as a grid (all channels, one colour scale per layer).</summary>
internal static class FeatureMapGridPanel
{
    /// <summary>Most channels drawn per layer.</summary>
    public const int MaxChannels = 64;

    public static void Draw(SKCanvas canvas, SKRect r, FeatureStack stack, float s, SKFont font, byte[] scratch)
    {
        Hud.Panel(canvas, r, s);
        using var label = new SKPaint { IsAntialias = true, Color = Hud.DimColor };
        canvas.DrawText($"{stack.Name}: {stack.Channels} feature maps {stack.Height}×{stack.Width}", r.Left + 10 * s, r.Top + 20 * s, SKTextAlign.Left, font, label);
        var grid = Grid(r, s);
        int n = Math.Min(MaxChannels, stack.Channels);
        var (cols, rows, cell) = Cells(grid, n, stack.Width / (float)stack.Height);
        var (min, max) = MapImage.Range(stack.Values);
        min = MathF.Min(min, 0);
        int size = stack.Height * stack.Width;
        float gap = MathF.Max(1, 2 * s);
        for (int c = 0; c < n; c++)
        {
            float x = grid.Left + (c % cols) * cell.Width, y = grid.Top + (c / cols) * cell.Height;
            var dest = new SKRect(x, y, x + cell.Width - gap, y + cell.Height - gap);
            MapImage.Sequential(canvas, stack.Values.AsSpan(c * size, size), stack.Width, stack.Height, min, max, dest, scratch);
        }
    }

    /// <summary>The area the maps fill inside panel <paramref name="r"/>.</summary>
    public static SKRect Grid(SKRect r, float s) => new(r.Left + 10 * s, r.Top + 30 * s, r.Right - 10 * s, r.Bottom - 8 * s);

    /// <summary>The grid with the largest cells that fits <paramref name="n"/> maps of aspect <paramref name="aspect"/>.</summary>
    public static (int Cols, int Rows, SKSize Cell) Cells(SKRect area, int n, float aspect)
    {
        (int, int, SKSize) best = (1, n, new SKSize(0, 0));
        for (int cols = 1; cols <= n; cols++)
        {
            int rows = (n + cols - 1) / cols;
            float h = MathF.Min(area.Height / rows, area.Width / cols / aspect);
            if (h > best.Item3.Height) best = (cols, rows, new SKSize(h * aspect, h));
        }
        return best;
    }
}
