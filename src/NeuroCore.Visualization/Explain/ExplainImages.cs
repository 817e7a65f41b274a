using NeuroCore.Visualization.Color;
using SkiaSharp;

namespace NeuroCore.Visualization.Explain;

/// <summary>Draws the analyses' tiles, heat maps and grids as PNG images with SkiaSharp (nearest-neighbour scaling).</summary>
public static class ExplainImages
{
    /// <summary>Tiles in rows of <paramref name="columns"/>, each drawn at <paramref name="cellWidth"/> × <paramref name="cellHeight"/> with a 2-pixel gap.</summary>
    public static byte[] GridPng(IReadOnlyList<ImageTile> tiles, int columns, int cellWidth, int cellHeight, int gap = 2)
    {
        if (tiles.Count == 0) throw new ArgumentException("Explain: nothing to draw.");
        columns = Math.Clamp(columns, 1, tiles.Count);
        int rows = (tiles.Count + columns - 1) / columns;
        using var bitmap = new SKBitmap(columns * (cellWidth + gap) + gap, rows * (cellHeight + gap) + gap, SKColorType.Rgba8888, SKAlphaType.Premul);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(0x20, 0x20, 0x24));
            for (int i = 0; i < tiles.Count; i++)
                Draw(canvas, tiles[i], gap + i % columns * (cellWidth + gap), gap + i / columns * (cellHeight + gap), cellWidth, cellHeight);
        }
        return Png(bitmap);
    }

    /// <summary>A heat map of <paramref name="map"/> (normalized to its range) with the sequential colour map.</summary>
    public static ImageTile Heat(AttributionMap map)
    {
        var n = map.Normalized();
        int hw = n.Height * n.Width;
        var v = new float[3 * hw];
        for (int i = 0; i < hw; i++)
        {
            var c = SequentialColorMap.Map(n.Values[i]);
            v[i] = c.R; v[hw + i] = c.G; v[2 * hw + i] = c.B;
        }
        return new ImageTile(3, n.Height, n.Width, v);
    }

    /// <summary>The heat map of <paramref name="map"/> blended over <paramref name="image"/> (same size) with weight <paramref name="alpha"/>.</summary>
    public static ImageTile Overlay(ImageTile image, AttributionMap map, float alpha = 0.55f)
    {
        if (image.Height != map.Height || image.Width != map.Width) map = map.Resize(image.Height, image.Width);
        var heat = Heat(map);
        int hw = image.Height * image.Width;
        var v = new float[3 * hw];
        for (int ch = 0; ch < 3; ch++)
            for (int i = 0; i < hw; i++)
            {
                float baseValue = image.Values[(image.Channels == 3 ? ch : 0) * hw + i];
                v[ch * hw + i] = (1 - alpha) * baseValue + alpha * heat.Values[ch * hw + i];
            }
        return new ImageTile(3, image.Height, image.Width, v, image.Outline);
    }

    /// <summary>Writes <paramref name="png"/> to <paramref name="path"/> through a temporary file and a rename.</summary>
    public static void Save(string path, byte[] png)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + $".{Environment.ProcessId}.tmp";
        using (var fs = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            fs.Write(png);
            fs.Flush(flushToDisk: true);
        }
        File.Move(temp, full, overwrite: true);
    }

    private static void Draw(SKCanvas canvas, ImageTile tile, int left, int top, int width, int height)
    {
        using var bmp = new SKBitmap(tile.Width, tile.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        int hw = tile.Width * tile.Height;
        var pixels = new byte[hw * 4];
        for (int i = 0; i < hw; i++)
        {
            for (int ch = 0; ch < 3; ch++)
                pixels[i * 4 + ch] = ToByte(tile.Values[(tile.Channels == 3 ? ch : 0) * hw + i]);
            pixels[i * 4 + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bmp.GetPixels(), pixels.Length);
        using var image = SKImage.FromBitmap(bmp);
        canvas.DrawImage(image, new SKRect(left, top, left + width, top + height), new SKSamplingOptions(SKFilterMode.Nearest));
        if (tile.Outline is var (y0, x0, y1, x1))
        {
            float sx = (float)width / tile.Width, sy = (float)height / tile.Height;
            using var paint = new SKPaint { Color = new SKColor(0x33, 0xdd, 0xff), Style = SKPaintStyle.Stroke, StrokeWidth = 1.5f, IsAntialias = false };
            canvas.DrawRect(new SKRect(left + x0 * sx, top + y0 * sy, left + x1 * sx, top + y1 * sy), paint);
        }
    }

    private static byte ToByte(float v) => (byte)Math.Clamp((int)MathF.Round(v * 255f), 0, 255);

    private static byte[] Png(SKBitmap bitmap)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
