using SkiaSharp;

namespace NeuroCore.Visualization.Encoding;

/// <summary>Writes each frame as <c>frame_00000.png</c>, … into a folder (encoded in parallel by SkiaSharp).</summary>
internal sealed class PngFramesSink : FrameSink
{
    private readonly string _folder;
    private readonly int _width, _height;

    public PngFramesSink(string folder, int width, int height)
    {
        _folder = folder;
        _width = width;
        _height = height;
        try
        {
            Directory.CreateDirectory(folder);
            // Probe writability now rather than after rendering the first batch.
            var probe = Path.Combine(folder, ".neurocore-write-test");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or NotSupportedException)
        {
            throw new IOException($"Cannot write PNG frames into '{folder}': {e.Message}", e);
        }
    }

    public override string OutputPath => _folder;

    public static string FrameName(int index) => $"frame_{index:D5}.png";

    public override byte[] Encode(int index, byte[] rgba)
    {
        // Each frame replaces its predecessor only when complete: an interrupted render leaves whole frames only.
        using var frame = PendingOutputFile.Create(Path.Combine(_folder, FrameName(index)));
        frame.Stream.Write(EncodePng(rgba, _width, _height));
        frame.Commit(durable: false); // an fsync per frame would dominate; a frame only has to be whole, not durable
        return [];
    }

    public override void Write(int index, byte[] encoded) { }

    public override void Complete() { }

    /// <summary>Encodes an RGBA8888 buffer as a still PNG with SkiaSharp.</summary>
    public static unsafe byte[] EncodePng(byte[] rgba, int width, int height)
    {
        fixed (byte* p = rgba)
        {
            using var pixmap = new SKPixmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul), (nint)p, width * 4);
            using var data = pixmap.Encode(SKEncodedImageFormat.Png, 100)
                ?? throw new InvalidOperationException("SkiaSharp failed to encode a PNG frame.");
            return data.ToArray();
        }
    }
}
