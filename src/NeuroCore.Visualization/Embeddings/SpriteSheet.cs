using SkiaSharp;

namespace NeuroCore.Visualization.Embeddings;

/// <summary>
/// The Embedding Projector's sprite image: every point's image in a square grid of ⌈√N⌉ × ⌈√N⌉ cells, row
/// by row in point order, at most <see cref="MaxSide"/> pixels a side (cells shrink to fit, box-filtered).
/// </summary>
public static class SpriteSheet
{
    /// <summary>The largest sprite side the Projector loads (WebGL texture limit it assumes).</summary>
    public const int MaxSide = 8192;

    /// <summary>The file name.</summary>
    public const string FileName = "sprite.png";

    /// <summary>
    /// Draws the <paramref name="count"/> images (values 0..1, each height × width grey, or × 3 RGB when
    /// <paramref name="channels"/> is 3) and returns the PNG and the cell size used.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes disagree, or the cells would be smaller than 1 pixel.</exception>
    public static (byte[] Png, int CellWidth, int CellHeight, int Side) Render(ReadOnlySpan<float> images, int count, int height, int width, int channels = 1)
    {
        if (count < 1 || height < 1 || width < 1 || channels is not (1 or 3) || (long)count * height * width * channels != images.Length)
            throw new ArgumentException($"Sprite: {images.Length} values are not {count} images of {height} × {width} × {channels}.");
        var (cw, ch, side) = Layout(count, height, width);
        // The Projector finds image n at column n mod ⌊side / cell width⌋, so lay out by that rule (for square
        // cells it is the ⌈√N⌉ grid; for non-square ones a row holds more cells than the grid).
        int perRow = side / cw;
        var rgba = new byte[(long)side * side * 4];
        Span<float> sum = stackalloc float[3];
        for (int n = 0; n < count; n++)
        {
            int gx = n % perRow, gy = n / perRow;
            var img = images.Slice(n * height * width * channels, height * width * channels);
            for (int y = 0; y < ch; y++)
                for (int x = 0; x < cw; x++)
                {
                    // Box filter over the source pixels that fall into this target pixel.
                    int y0 = y * height / ch, y1 = Math.Max(y0 + 1, (y + 1) * height / ch);
                    int x0 = x * width / cw, x1 = Math.Max(x0 + 1, (x + 1) * width / cw);
                    sum.Clear();
                    for (int sy = y0; sy < y1; sy++)
                        for (int sx = x0; sx < x1; sx++)
                            for (int c = 0; c < 3; c++) sum[c] += img[(sy * width + sx) * channels + (channels == 3 ? c : 0)];
                    int area = (y1 - y0) * (x1 - x0);
                    long o = ((long)(gy * ch + y) * side + gx * cw + x) * 4;
                    for (int c = 0; c < 3; c++) rgba[o + c] = (byte)Math.Clamp(MathF.Round(sum[c] / area * 255f), 0, 255);
                    rgba[o + 3] = 255;
                }
        }
        return (EncodePng(rgba, side), cw, ch, side);
    }

    /// <summary>Cell width and height and the sheet's side for <paramref name="count"/> images of height × width.</summary>
    internal static (int CellWidth, int CellHeight, int Side) Layout(int count, int height, int width)
    {
        int grid = (int)Math.Ceiling(Math.Sqrt(count));
        double scale = Math.Min(1, MaxSide / (double)(grid * Math.Max(height, width)));
        int cw = Math.Max(1, (int)Math.Floor(width * scale)), ch = Math.Max(1, (int)Math.Floor(height * scale));
        if (grid * Math.Max(cw, ch) > MaxSide)
            throw new ArgumentException($"Sprite: {count} images do not fit in {MaxSide} × {MaxSide} pixels even at one pixel each.");
        return (cw, ch, grid * Math.Max(cw, ch));
    }

    private static unsafe byte[] EncodePng(byte[] rgba, int side)
    {
        fixed (byte* p = rgba)
        {
            using var pixmap = new SKPixmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Unpremul), (nint)p, side * 4);
            using var data = pixmap.Encode(SKEncodedImageFormat.Png, 100) ?? throw new InvalidOperationException("SkiaSharp failed to encode the sprite PNG.");
            return data.ToArray();
        }
    }
}
