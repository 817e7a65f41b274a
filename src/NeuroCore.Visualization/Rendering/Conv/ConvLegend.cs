using SkiaSharp;

namespace NeuroCore.Visualization.Rendering.Conv;

/// <summary>What the colours of a convolutional frame mean: feature maps (sequential) and filter weights (diverging).</summary>
internal static class ConvLegend
{
    public static void Draw(SKCanvas canvas, int width, int height, float s, SKFont font)
    {
        var maps = ConvLayout.FeatureMaps(width, height);
        float w = 300 * s, h = 10 * s, right = width - 16 * s;
        using var label = new SKPaint { IsAntialias = true, Color = Hud.DimColor };
        float y = maps.Bottom + 40 * s;
        Bar(canvas, new SKRect(right - w, y, right, y + h), [Palette.Sequential(0), Palette.Sequential(0.5f), Palette.Sequential(1)], s);
        canvas.DrawText("feature maps: 0", right - w, y - 6 * s, SKTextAlign.Left, font, label);
        canvas.DrawText("layer max", right, y - 6 * s, SKTextAlign.Right, font, label);
        y += 44 * s;
        Bar(canvas, new SKRect(right - w, y, right, y + h), [Palette.Negative, Palette.Neutral, Palette.Positive], s);
        canvas.DrawText("filters: negative", right - w, y - 6 * s, SKTextAlign.Left, font, label);
        canvas.DrawText("weight", right - w * 0.38f, y - 6 * s, SKTextAlign.Center, font, label);
        canvas.DrawText("positive", right, y - 6 * s, SKTextAlign.Right, font, label);
    }

    private static void Bar(SKCanvas canvas, SKRect bar, Rgb[] colors, float s)
    {
        var sk = colors.Select(c => new SKColor((byte)(c.R * 255), (byte)(c.G * 255), (byte)(c.B * 255))).ToArray();
        using var shader = SKShader.CreateLinearGradient(new SKPoint(bar.Left, 0), new SKPoint(bar.Right, 0), sk, [0f, 0.5f, 1f], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { IsAntialias = true, Shader = shader };
        canvas.DrawRoundRect(bar, 3 * s, 3 * s, paint);
    }
}
