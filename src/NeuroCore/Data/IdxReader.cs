using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics.Tensors;
using NeuroCore.Layout;

namespace NeuroCore.Data;

/// <summary>Element types of the IDX format (the third byte of the magic number).</summary>
public enum IdxDataType : byte
{
    /// <summary>Unsigned byte (0x08), used by MNIST and Fashion-MNIST.</summary>
    UByte = 0x08,
    /// <summary>Signed byte (0x09).</summary>
    SByte = 0x09,
    /// <summary>Big-endian 16-bit integer (0x0B).</summary>
    Int16 = 0x0B,
    /// <summary>Big-endian 32-bit integer (0x0C).</summary>
    Int32 = 0x0C,
    /// <summary>Big-endian 32-bit float (0x0D).</summary>
    Float32 = 0x0D,
    /// <summary>Big-endian 64-bit float (0x0E).</summary>
    Float64 = 0x0E,
}

/// <summary>An array read from an IDX file: its element type, dimensions and raw (big-endian) data.</summary>
public sealed class IdxArray
{
    internal IdxArray(IdxDataType dataType, int[] dimensions, byte[] data)
    {
        DataType = dataType;
        Dimensions = dimensions;
        RawData = data;
    }

    /// <summary>The element type.</summary>
    public IdxDataType DataType { get; }

    /// <summary>The dimensions, outermost first (e.g. [60000, 28, 28] for MNIST images).</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>The data exactly as stored: row-major, big-endian for multi-byte types.</summary>
    public byte[] RawData { get; }

    /// <summary>The number of elements.</summary>
    public int Count => RawData.Length / IdxReader.ElementSize(DataType);

    /// <summary>The values as a float32 tensor with the file's dimensions, each divided by <paramref name="divisor"/>.</summary>
    public Tensor ToFloat32(float divisor = 1f)
    {
        var result = new float[Count];
        var raw = RawData.AsSpan();
        switch (DataType)
        {
            case IdxDataType.UByte:
                TensorPrimitives.ConvertTruncating<byte, float>(raw, result);
                break;
            case IdxDataType.SByte or IdxDataType.Int16 or IdxDataType.Int32:
                for (int i = 0; i < result.Length; i++) result[i] = ReadInteger(raw, i);
                break;
            case IdxDataType.Float32:
                for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadSingleBigEndian(raw[(4 * i)..]);
                break;
            default:
                for (int i = 0; i < result.Length; i++) result[i] = (float)BinaryPrimitives.ReadDoubleBigEndian(raw[(8 * i)..]);
                break;
        }
        // Divide (not multiply by the reciprocal) so pixel/255 matches torchvision's ToTensor bit for bit.
        if (divisor != 1f) TensorPrimitives.Divide(result, divisor, result);
        return new Tensor(result, Dimensions.ToArray());
    }

    /// <summary>The values of an integer-typed array as an int64 tensor (class labels).</summary>
    public Tensor ToInt64()
    {
        var result = new long[Count];
        var raw = RawData.AsSpan();
        switch (DataType)
        {
            case IdxDataType.UByte or IdxDataType.SByte or IdxDataType.Int16 or IdxDataType.Int32:
                for (int i = 0; i < result.Length; i++) result[i] = ReadInteger(raw, i);
                break;
            default:
                throw new InvalidOperationException($"IdxArray.ToInt64: the data is {DataType}, not an integer type.");
        }
        return new Tensor(result, Dimensions.ToArray());
    }

    /// <summary>Element <paramref name="i"/> of integer-typed data (big-endian, as IDX stores it).</summary>
    private int ReadInteger(ReadOnlySpan<byte> raw, int i) => DataType switch
    {
        IdxDataType.UByte => raw[i],
        IdxDataType.SByte => (sbyte)raw[i],
        IdxDataType.Int16 => BinaryPrimitives.ReadInt16BigEndian(raw[(2 * i)..]),
        IdxDataType.Int32 => BinaryPrimitives.ReadInt32BigEndian(raw[(4 * i)..]),
        _ => throw new InvalidOperationException($"IdxArray: the data is {DataType}, not an integer type."),
    };
}

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST, raw or gzip-compressed (recognised by the
/// gzip magic bytes, not the file name).
/// </summary>
/// <remarks>
/// Layout: two zero bytes, a type code, the number of dimensions, then each dimension as a big-endian
/// 32-bit integer, then the data. The data length must match the dimensions exactly; a short or long
/// file, a bad magic or an unknown type is an <see cref="InvalidDataException"/> naming the file.
/// </remarks>
public static class IdxReader
{
    // The largest array .NET allocates; dimensions claiming more are rejected before anything is allocated.
    private static readonly long MaxBytes = Array.MaxLength;

    /// <summary>Reads the IDX file at <paramref name="path"/> (raw or gzip).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX file (the message says why).</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(fs, Path.GetFileName(path));
    }

    /// <summary>Reads an IDX array from <paramref name="stream"/> (raw or gzip); <paramref name="name"/> is used in error messages.</summary>
    public static IdxArray Read(Stream stream, string name = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> head = stackalloc byte[2];
        int got = stream.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        var prefix = new MemoryStream(head[..got].ToArray());
        var whole = new ConcatStream(prefix, stream);
        if (got == 2 && head[0] == 0x1F && head[1] == 0x8B)
        {
            try
            {
                using var gz = new GZipStream(whole, CompressionMode.Decompress, leaveOpen: true);
                return ReadRaw(gz, name, knownLength: null);
            }
            catch (InvalidDataException e) when (!e.Message.StartsWith("IDX", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"IDX {name}: the gzip data is corrupt ({e.Message}).", e);
            }
        }
        long? length = stream.CanSeek ? stream.Length - stream.Position + got : null;
        return ReadRaw(whole, name, length);
    }

    /// <summary>
    /// Reads an IDX image file ([N, rows, cols] unsigned bytes) as float32 in [0, 1]: [N, 1, rows, cols],
    /// or [N, rows·cols] when <paramref name="flat"/>.
    /// </summary>
    public static Tensor ReadImages(string path, bool flat = false)
    {
        var a = Read(path);
        if (a.DataType != IdxDataType.UByte || a.Dimensions.Count != 3)
            throw new InvalidDataException(
                $"IDX {Path.GetFileName(path)}: expected images as unsigned bytes [N, rows, cols], got {a.DataType} {ShapeUtil.Format(a.Dimensions.ToArray())}.");
        var t = a.ToFloat32(255f);
        int n = a.Dimensions[0], r = a.Dimensions[1], c = a.Dimensions[2];
        return new Tensor(t.Storage, flat ? [n, r * c] : [n, 1, r, c]);
    }

    /// <summary>Reads an IDX label file ([N] unsigned bytes) as int64 [N].</summary>
    public static Tensor ReadLabels(string path)
    {
        var a = Read(path);
        if (a.DataType != IdxDataType.UByte || a.Dimensions.Count != 1)
            throw new InvalidDataException(
                $"IDX {Path.GetFileName(path)}: expected labels as unsigned bytes [N], got {a.DataType} {ShapeUtil.Format(a.Dimensions.ToArray())}.");
        return a.ToInt64();
    }

    /// <summary>Reads an image file and its label file into a dataset, checking they hold the same number of examples.</summary>
    public static TensorDataset ReadDataset(string imagesPath, string labelsPath, bool flat = false)
    {
        var images = ReadImages(imagesPath, flat);
        var labels = ReadLabels(labelsPath);
        if (images.ShapeRef[0] != labels.ShapeRef[0])
            throw new InvalidDataException(
                $"IDX: {Path.GetFileName(imagesPath)} has {images.ShapeRef[0]} images but {Path.GetFileName(labelsPath)} has {labels.ShapeRef[0]} labels.");
        return new TensorDataset(images, labels);
    }

    internal static int ElementSize(IdxDataType t) => t switch
    {
        IdxDataType.UByte or IdxDataType.SByte => 1,
        IdxDataType.Int16 => 2,
        IdxDataType.Int32 or IdxDataType.Float32 => 4,
        _ => 8,
    };

    private static IdxArray ReadRaw(Stream s, string name, long? knownLength)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = s.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4)
            throw new InvalidDataException($"IDX {name}: the file is {got} bytes long, too short for the 4-byte magic number.");
        if (magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException(
                $"IDX {name}: bad magic number {magic[0]:X2} {magic[1]:X2} {magic[2]:X2} {magic[3]:X2} (an IDX file starts with two zero bytes).");
        var type = (IdxDataType)magic[2];
        if (!Enum.IsDefined(type))
            throw new InvalidDataException($"IDX {name}: unknown data type code 0x{magic[2]:X2} (known: 08, 09, 0B, 0C, 0D, 0E).");
        int rank = magic[3];
        if (rank == 0)
            throw new InvalidDataException($"IDX {name}: the file declares 0 dimensions.");
        var dimBytes = new byte[4 * rank];
        got = s.ReadAtLeast(dimBytes, dimBytes.Length, throwOnEndOfStream: false);
        if (got < dimBytes.Length)
            throw new InvalidDataException($"IDX {name}: the file ends inside the dimension list ({rank} dimensions declared).");
        var dims = new int[rank];
        long bytes = ElementSize(type);
        for (int i = 0; i < rank; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(dimBytes.AsSpan(4 * i));
            if (d > int.MaxValue)
                throw new InvalidDataException($"IDX {name}: dimension {i} is {d}, too large.");
            dims[i] = (int)d;
            bytes = bytes == 0 || d == 0 ? 0 : bytes > MaxBytes / d ? MaxBytes + 1 : bytes * d;
        }
        if (bytes > MaxBytes || !ShapeLimits.FitsInTensor(dims))
            throw new InvalidDataException(
                $"IDX {name}: dimensions {ShapeUtil.Format(dims)} of {type} are too large to load (the product of the dimensions, counting 0 as 1, must be at most {Array.MaxLength}).");
        long headerBytes = 4 + 4L * rank;
        if (knownLength is long total && total - headerBytes != bytes)
            throw new InvalidDataException(total - headerBytes < bytes
                ? $"IDX {name}: dimensions {ShapeUtil.Format(dims)} of {type} need {bytes} data bytes but the file has only {total - headerBytes} (truncated?)."
                : $"IDX {name}: dimensions {ShapeUtil.Format(dims)} of {type} need {bytes} data bytes but the file has {total - headerBytes} (trailing data?).");

        // Without a known length (gzip) the dimensions are not trusted for the allocation: read in chunks.
        var data = knownLength is null ? ReadChunked(s, bytes) : new byte[bytes];
        if (knownLength is not null)
        {
            got = s.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            if (got < data.Length) data = data[..got];
        }
        if (data.LongLength < bytes)
            throw new InvalidDataException(
                $"IDX {name}: dimensions {ShapeUtil.Format(dims)} of {type} need {bytes} data bytes but the file has only {data.LongLength} (truncated?).");
        if (s.ReadByte() >= 0)
            throw new InvalidDataException(
                $"IDX {name}: the file has more data than dimensions {ShapeUtil.Format(dims)} of {type} describe ({bytes} bytes).");
        return new IdxArray(type, dims, data);
    }

    /// <summary>
    /// Reads <paramref name="bytes"/> bytes (or fewer, if the stream ends first) from a stream of unknown length.
    /// The length comes from the file's dimensions, which a small gzip file can inflate at will, so nothing is
    /// allocated for it up front: the data is gathered in 1 MiB chunks and copied into one array only once it
    /// has actually arrived (memory is bounded by the decompressed data, not by what the header claims).
    /// </summary>
    private static byte[] ReadChunked(Stream s, long bytes)
    {
        const int chunkSize = 1 << 20;
        var chunks = new List<byte[]>();
        long total = 0;
        while (total < bytes)
        {
            var chunk = new byte[(int)Math.Min(chunkSize, bytes - total)];
            int got = s.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            if (got == 0) break;
            chunks.Add(got == chunk.Length ? chunk : chunk[..got]);
            total += got;
            if (got < chunk.Length) break;
        }
        if (chunks.Count == 1 && chunks[0].LongLength == total) return chunks[0];
        var data = new byte[total];
        long offset = 0;
        foreach (var c in chunks)
        {
            c.CopyTo(data, offset);
            offset += c.Length;
        }
        return data;
    }

    /// <summary>Reads the already-peeked prefix, then the rest of the stream (so non-seekable streams work).</summary>
    private sealed class ConcatStream(Stream first, Stream second) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            int n = first.Read(buffer);
            return n > 0 ? n : second.Read(buffer);
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
