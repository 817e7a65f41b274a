using System.Buffers.Binary;
using SkiaSharp;

namespace NeuroCore.Visualization.Encoding;

/// <summary>
/// Writes an animated WebP. SkiaSharp 3.119 can decode animated WebP but only encode still images
/// (<c>SKWebpEncoder.EncodeAnimated</c> arrives in SkiaSharp 4), so each frame is encoded as a still lossy
/// WebP by SkiaSharp and its VP8/VP8L (and ALPH) chunks are wrapped in ANMF frames of an extended-format
/// (VP8X + ANIM) RIFF container written here.
/// </summary>
internal sealed class WebpAnimationWriter : FrameSink
{
    private readonly string _path;
    private readonly PendingOutputFile _output;
    private readonly FileStream _file;
    private readonly int _width, _height;
    private readonly double _fps;
    private int _written;

    /// <summary>Lossy quality 0..100 of each frame.</summary>
    public int Quality { get; init; } = 85;

    public WebpAnimationWriter(string path, int width, int height, double fps)
    {
        if (width > 1 << 24 || height > 1 << 24) throw new ArgumentException("WebP: canvas larger than 2^24.");
        _path = path;
        _width = width;
        _height = height;
        _fps = fps;
        _output = PendingOutputFile.Create(path);
        _file = _output.Stream;
        Span<byte> header = stackalloc byte[12];
        "RIFF"u8.CopyTo(header);
        // The RIFF size is patched in Complete.
        "WEBP"u8.CopyTo(header[8..]);
        _file.Write(header);
        Span<byte> vp8x = stackalloc byte[10];
        vp8x[0] = 0x02; // animation flag
        WriteUInt24(vp8x[4..], width - 1);
        WriteUInt24(vp8x[7..], height - 1);
        WriteChunk("VP8X"u8, vp8x);
        Span<byte> anim = stackalloc byte[6];
        BinaryPrimitives.WriteUInt32LittleEndian(anim, 0xFF000000); // background: opaque black (BGRA)
        BinaryPrimitives.WriteUInt16LittleEndian(anim[4..], 0);      // loop forever
        WriteChunk("ANIM"u8, anim);
    }

    public override string OutputPath => _path;

    public override unsafe byte[] Encode(int index, byte[] rgba)
    {
        byte[] still;
        fixed (byte* p = rgba)
        {
            using var pixmap = new SKPixmap(new SKImageInfo(_width, _height, SKColorType.Rgba8888, SKAlphaType.Premul), (nint)p, _width * 4);
            using var data = pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, Quality))
                ?? throw new InvalidOperationException("SkiaSharp failed to encode a WebP frame.");
            still = data.ToArray();
        }
        return FrameData(still);
    }

    /// <summary>The image chunks (ALPH, VP8, VP8L) of a still WebP file, ready to go inside an ANMF chunk.</summary>
    internal static byte[] FrameData(byte[] still)
    {
        if (still.Length < 12 || !still.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !still.AsSpan(8, 4).SequenceEqual("WEBP"u8))
            throw new InvalidDataException("WebP: the still encoder did not produce a RIFF/WEBP file.");
        using var output = new MemoryStream(still.Length);
        int pos = 12;
        while (pos + 8 <= still.Length)
        {
            var fourcc = still.AsSpan(pos, 4);
            int size = (int)BinaryPrimitives.ReadUInt32LittleEndian(still.AsSpan(pos + 4));
            int padded = size + (size & 1);
            if (pos + 8 + size > still.Length) throw new InvalidDataException("WebP: truncated chunk in the still frame.");
            if (fourcc.SequenceEqual("ALPH"u8) || fourcc.SequenceEqual("VP8 "u8) || fourcc.SequenceEqual("VP8L"u8))
                output.Write(still, pos, Math.Min(8 + padded, still.Length - pos));
            pos += 8 + padded;
        }
        if (output.Length == 0) throw new InvalidDataException("WebP: the still frame has no image chunk.");
        return output.ToArray();
    }

    public override void Write(int index, byte[] encoded)
    {
        // Durations in whole milliseconds; rounding the cumulative time keeps the average at exactly 1/fps.
        int start = (int)Math.Round(_written * 1000.0 / _fps);
        int end = (int)Math.Round((_written + 1) * 1000.0 / _fps);
        var header = new byte[16];
        WriteUInt24(header, 0);  // x / 2
        WriteUInt24(header.AsSpan(3), 0);  // y / 2
        WriteUInt24(header.AsSpan(6), _width - 1);
        WriteUInt24(header.AsSpan(9), _height - 1);
        WriteUInt24(header.AsSpan(12), Math.Max(1, end - start));
        header[15] = 0x02; // do not blend (the frame is full and opaque), no dispose
        Span<byte> chunkHeader = stackalloc byte[8];
        "ANMF"u8.CopyTo(chunkHeader);
        int size = header.Length + encoded.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(chunkHeader[4..], (uint)size);
        _file.Write(chunkHeader);
        _file.Write(header);
        _file.Write(encoded);
        if ((size & 1) != 0) _file.WriteByte(0);
        _written++;
    }

    public override void Complete()
    {
        long length = _file.Length;
        if (length - 8 > uint.MaxValue) throw new IOException("WebP: the animation exceeds the 4 GiB RIFF limit.");
        _file.Position = 4;
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)(length - 8));
        _file.Write(size);
        _output.Commit();
    }

    private void WriteChunk(ReadOnlySpan<byte> fourcc, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        fourcc.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)data.Length);
        _file.Write(header);
        _file.Write(data);
        if ((data.Length & 1) != 0) _file.WriteByte(0);
    }

    private static void WriteUInt24(Span<byte> dst, int value)
    {
        dst[0] = (byte)value;
        dst[1] = (byte)(value >> 8);
        dst[2] = (byte)(value >> 16);
    }

    public override void Dispose() => _output.Dispose();
}
