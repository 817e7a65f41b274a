using SkiaSharp;

namespace NeuroCore.Visualization.Rendering.Conv;

/// <summary>
/// The network in 3-D: every convolution and pooling output as a stack of its feature maps (planes sheared into
/// depth, the first channels in front), then the dense layers as columns of neurons coloured by activation and
/// the output layer, left to right as the data flows.
/// </summary>
internal static class FeatureStackView
{
    private const int MaxPlanes = 12;

    public static void Draw(SKCanvas canvas, SKRect area, ConvFrameState state, float s, SKFont font, byte[] scratch)
    {
        Hud.Panel(canvas, area, s);
        using var label = new SKPaint { IsAntialias = true, Color = Hud.DimColor };
        canvas.DrawText("network: feature-map stacks on the probe", area.Left + 10 * s, area.Top + 20 * s, SKTextAlign.Left, font, label);
        int columns = 1 + state.Stacks.Count + state.Vectors.Count; // input image, stacks, dense layers
        var inner = new SKRect(area.Left + 14 * s, area.Top + 34 * s, area.Right - 14 * s, area.Bottom - 26 * s);
        float slot = inner.Width / columns;
        float plane = MathF.Min(slot * 0.62f, inner.Height * 0.62f);
        using var edge = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = MathF.Max(1, 0.8f * s), Color = new SKColor(200, 210, 230, 120) };
        using var link = new SKPaint { IsAntialias = true, StrokeWidth = MathF.Max(1, s), Color = new SKColor(160, 170, 200, 70) };
        float prevX = float.NaN, midY = inner.MidY;
        for (int c = 0; c < state.Stacks.Count; c++)
        {
            var st = state.Stacks[c];
            float x = inner.Left + slot * (c + 0.5f);
            int planes = Math.Min(MaxPlanes, st.Channels);
            // Each layer is shrunk by its spatial size relative to the first, as the maps shrink under pooling.
            float side = plane * MathF.Sqrt(st.Height / (float)state.Stacks[0].Height);
            float depth = MathF.Min(slot * 0.3f, side * 0.6f);
            var (min, max) = MapImage.Range(st.Values);
            min = MathF.Min(min, 0);
            int size = st.Height * st.Width;
            if (!float.IsNaN(prevX)) canvas.DrawLine(prevX, midY, x - side * 0.35f, midY, link);
            for (int p = planes - 1; p >= 0; p--)
            {
                float f = planes == 1 ? 0 : p / (float)(planes - 1);
                float ox = x - side * 0.35f + depth * f, oy = midY - side * 0.5f - depth * 0.6f * f;
                canvas.Save();
                // A plane seen at an angle: sheared vertically and narrowed, so stacks read as depth.
                var m = SKMatrix.CreateTranslation(ox, oy).PreConcat(SKMatrix.CreateSkew(0, -0.35f)).PreConcat(SKMatrix.CreateScale(0.55f, 1f));
                canvas.Concat(in m);
                var dest = SKRect.Create(0, 0, side, side);
                MapImage.Sequential(canvas, st.Values.AsSpan(p * size, size), st.Width, st.Height, min, max, dest, scratch);
                canvas.DrawRect(dest, edge);
                canvas.Restore();
            }
            canvas.DrawText($"{st.Channels}×{st.Height}×{st.Width}", x + depth * 0.5f, inner.Bottom + 16 * s, SKTextAlign.Center, font, label);
            prevX = x + side * 0.3f + depth;
        }
        using var fill = new SKPaint { IsAntialias = true };
        for (int d = 0; d < state.Vectors.Count; d++)
        {
            var v = state.Vectors[d];
            float x = inner.Left + slot * (state.Stacks.Count + d + 0.5f);
            int shown = Math.Min(v.Length, 32);
            float step = inner.Height / (shown + 1), radius = MathF.Max(1.5f * s, MathF.Min(step * 0.38f, 7 * s));
            var (min, max) = MapImage.Range(v);
            float scale = MathF.Max(MathF.Abs(min), MathF.Abs(max));
            if (!float.IsNaN(prevX)) canvas.DrawLine(prevX, midY, x - radius, midY, link);
            for (int i = 0; i < shown; i++)
            {
                int k = (int)((long)i * v.Length / shown);
                var col = Palette.Sequential(scale > 0 ? Math.Clamp(MathF.Abs(v[k]) / scale, 0, 1) : 0);
                fill.Color = new SKColor((byte)(col.R * 255), (byte)(col.G * 255), (byte)(col.B * 255));
                canvas.DrawCircle(x, inner.Top + step * (i + 1), radius, fill);
            }
            bool output = d == state.Vectors.Count - 1;
            canvas.DrawText(output ? $"out {v.Length}" : $"dense {v.Length}", x, inner.Bottom + 16 * s, SKTextAlign.Center, font, label);
            prevX = x + radius;
        }
    }
}
