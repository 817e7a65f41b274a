using System.Buffers.Binary;
using System.IO.Compression;

namespace NeuroCore.Visualization.Encoding;

/// <summary>
/// Writes an animated PNG (APNG) without external tools: IHDR, acTL with the frame count, then per frame an
/// fcTL and the image data (IDAT for the first frame, so viewers without APNG support show it; fdAT after),
/// each chunk with its CRC-32; pixel rows are PNG-filtered and deflated with <see cref="ZLibStream"/>.
/// </summary>
internal sealed class ApngWriter : FrameSink
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly string _path;
    private readonly FileStream _file;
    private readonly int _width, _height, _frames;
    private readonly ushort _delayNum, _delayDen;
    private uint _sequence;
    private int _written;

    public ApngWriter(string path, int width, int height, double fps, int frames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        _path = path;
        _width = width;
        _height = height;
        _frames = frames;
        (_delayNum, _delayDen) = Delay(fps);
        _file = CreateFile(path);
        _file.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 2;  // colour type: truecolour RGB (frames are opaque, so no alpha channel is stored)
        ihdr[10] = 0; // deflate
        ihdr[11] = 0; // adaptive filtering
        ihdr[12] = 0; // no interlace
        WriteChunk("IHDR"u8, ihdr);
        Span<byte> actl = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(actl, frames);
        BinaryPrimitives.WriteInt32BigEndian(actl[4..], 0); // loop forever
        WriteChunk("acTL"u8, actl);
    }

    public override string OutputPath => _path;

    /// <summary>Frame delay as a fraction of a second that fits APNG's 16-bit numerator and denominator.</summary>
    internal static (ushort Num, ushort Den) Delay(double fps)
    {
        double den = Math.Round(fps * 1000);
        if (den >= 1 && den <= ushort.MaxValue) return (1000, (ushort)den);
        return (1, (ushort)Math.Clamp(Math.Round(fps), 1, ushort.MaxValue));
    }

    public override byte[] Encode(int index, byte[] rgba) => Compress(rgba, _width, _height);

    /// <summary>Filters every row (choosing the filter with the smallest sum of absolute residuals) and deflates.</summary>
    internal static byte[] Compress(ReadOnlySpan<byte> rgba, int width, int height)
    {
        int rowBytes = width * 3;
        var prior = new byte[rowBytes];
        var row = new byte[rowBytes];
        var candidates = new byte[4][];
        for (int i = 0; i < 4; i++) candidates[i] = new byte[rowBytes];
        using var output = new MemoryStream(rowBytes * height / 4);
        using (var z = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            for (int y = 0; y < height; y++)
            {
                var src = rgba.Slice(y * width * 4, width * 4);
                for (int x = 0; x < width; x++)
                {
                    row[3 * x] = src[4 * x];
                    row[3 * x + 1] = src[4 * x + 1];
                    row[3 * x + 2] = src[4 * x + 2];
                }
                int best = FilterRow(row, prior, candidates);
                z.WriteByte((byte)(best + 1));
                z.Write(candidates[best]);
                (prior, row) = (row, prior);
            }
        }
        return output.ToArray();
    }

    // Filters 1..4 (Sub, Up, Average, Paeth) into candidates[0..3]; returns the index with the smallest cost.
    private static int FilterRow(byte[] row, byte[] prior, byte[][] candidates)
    {
        const int bpp = 3;
        long bestCost = long.MaxValue;
        int best = 0;
        for (int f = 0; f < 4; f++)
        {
            var outRow = candidates[f];
            long cost = 0;
            for (int i = 0; i < row.Length; i++)
            {
                int a = i >= bpp ? row[i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
                int predictor = f switch
                {
                    0 => a,
                    1 => b,
                    2 => (a + b) >> 1,
                    _ => Paeth(a, b, c),
                };
                byte r = (byte)(row[i] - predictor);
                outRow[i] = r;
                cost += r < 128 ? r : 256 - r;
            }
            if (cost < bestCost) { bestCost = cost; best = f; }
        }
        return best;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    public override void Write(int index, byte[] encoded)
    {
        if (_written >= _frames) throw new InvalidOperationException($"APNG: more than the {_frames} frames announced in acTL.");
        Span<byte> fctl = stackalloc byte[26];
        BinaryPrimitives.WriteUInt32BigEndian(fctl, _sequence++);
        BinaryPrimitives.WriteInt32BigEndian(fctl[4..], _width);
        BinaryPrimitives.WriteInt32BigEndian(fctl[8..], _height);
        BinaryPrimitives.WriteInt32BigEndian(fctl[12..], 0);
        BinaryPrimitives.WriteInt32BigEndian(fctl[16..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(fctl[20..], _delayNum);
        BinaryPrimitives.WriteUInt16BigEndian(fctl[22..], _delayDen);
        fctl[24] = 0; // dispose: none
        fctl[25] = 0; // blend: source (frames are full and opaque)
        WriteChunk("fcTL"u8, fctl);
        if (_written == 0) WriteChunk("IDAT"u8, encoded);
        else
        {
            var fdat = new byte[encoded.Length + 4];
            BinaryPrimitives.WriteUInt32BigEndian(fdat, _sequence++);
            encoded.CopyTo(fdat, 4);
            WriteChunk("fdAT"u8, fdat);
        }
        _written++;
    }

    public override void Complete()
    {
        if (_written != _frames)
            throw new InvalidOperationException($"APNG: {_written} frames written but acTL announced {_frames}.");
        WriteChunk("IEND"u8, []);
        _file.Flush();
    }

    private void WriteChunk(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        type.CopyTo(header[4..]);
        _file.Write(header);
        _file.Write(data);
        var crc32 = new System.IO.Hashing.Crc32(); // CRC-32/ISO-HDLC over type and data, as PNG specifies
        crc32.Append(type);
        crc32.Append(data);
        uint crc = crc32.GetCurrentHashAsUInt32();
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        _file.Write(crcBytes);
    }

    public override void Dispose() => _file.Dispose();
}
