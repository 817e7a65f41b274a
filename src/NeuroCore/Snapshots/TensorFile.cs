using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using NeuroCore.Layout;

namespace NeuroCore.Snapshots;

/// <summary>
/// A minimal reader and writer of the safetensors format (F32, F16 and I64 tensors plus string
/// metadata), used for snapshot and probe files.
/// </summary>
/// <remarks>
/// Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// (<c>{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}</c>, padded
/// with spaces to a multiple of 8 so tensor data stays aligned), then the raw little-endian data.
/// Kept internal and self-contained so snapshot files do not depend on how the public
/// <c>NeuroCore.IO</c> safetensors API evolves, and so truncation errors can name the tensor.
/// </remarks>
internal static class TensorFile
{
    /// <summary>Largest header accepted: the format's own limit (100 MB) guards against garbage lengths.</summary>
    private const long MaxHeaderBytes = 100_000_000;

    /// <summary>One tensor to write: float data stored as F32 or F16, or int64 data stored as I64.</summary>
    internal readonly record struct Entry(string Name, int[] Shape, float[]? Floats, long[]? Longs, bool AsHalf);

    internal static Entry FromTensor(string name, Tensor t, bool asHalf) =>
        t.DType == DType.Int64
            ? new Entry(name, t.Shape, null, t.ToLongArray(), false)
            : new Entry(name, t.Shape, t.ToArray(), null, asHalf);

    /// <summary>Writes the tensors to <paramref name="path"/> via a temporary file, fsync and rename.</summary>
    internal static long WriteAtomic(string path, IReadOnlyList<Entry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        string tmp = path + ".tmp";
        long length;
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            Write(fs, entries, metadata);
            fs.Flush(flushToDisk: true);
            length = fs.Length;
        }
        File.Move(tmp, path, overwrite: true);
        return length;
    }

    internal static void Write(Stream stream, IReadOnlyList<Entry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var e in entries)
            {
                long bytes = (long)ShapeUtil.Numel(e.Shape) * ElementSize(e);
                w.WriteStartObject(e.Name);
                w.WriteString("dtype", e.Longs is not null ? "I64" : e.AsHalf ? "F16" : "F32");
                w.WriteStartArray("shape");
                foreach (int d in e.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + bytes);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += bytes;
            }
            w.WriteEndObject();
        }
        // Pad with spaces (allowed by the format) so the data section starts 8-byte aligned.
        while ((header.Length & 7) != 0) header.WriteByte((byte)' ');
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(len, header.Length);
        stream.Write(len);
        header.Position = 0;
        header.CopyTo(stream);
        foreach (var e in entries)
        {
            if (e.Longs is not null) WriteLittleEndian(stream, MemoryMarshal.AsBytes(e.Longs.AsSpan()));
            else if (e.AsHalf)
            {
                var half = new Half[e.Floats!.Length];
                TensorPrimitives.ConvertToHalf(e.Floats, half);
                WriteLittleEndian(stream, MemoryMarshal.AsBytes(half.AsSpan()));
            }
            else WriteLittleEndian(stream, MemoryMarshal.AsBytes(e.Floats!.AsSpan()));
        }
    }

    private static void WriteLittleEndian(Stream s, ReadOnlySpan<byte> bytes)
    {
        // Every platform .NET 10 runs on is little-endian; refuse loudly rather than write wrong bytes.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Snapshot files are written on little-endian machines only.");
        s.Write(bytes);
    }

    private static int ElementSize(Entry e) => e.Longs is not null ? 8 : e.AsHalf ? 2 : 4;

    /// <summary>The parsed header of a tensor file.</summary>
    internal sealed class Header
    {
        public required Dictionary<string, string> Metadata { get; init; }
        public required List<(string Name, string DType, int[] Shape, long Begin, long End)> Tensors { get; init; }
        public required long DataStart { get; init; }
        public required long RequiredLength { get; init; }
    }

    /// <summary>Reads and validates the header; throws <see cref="SnapshotFormatException"/> naming the file on any problem.</summary>
    internal static Header ReadHeader(string path, Stream fs)
    {
        long fileLength = fs.Length;
        if (fileLength < 8) throw new SnapshotFormatException(path, $"truncated safetensors file: {fileLength} bytes, shorter than the 8-byte header length.");
        Span<byte> len = stackalloc byte[8];
        fs.ReadExactly(len);
        long n = BinaryPrimitives.ReadInt64LittleEndian(len);
        if (n <= 0 || n > MaxHeaderBytes) throw new SnapshotFormatException(path, $"not a safetensors file: header length {n} is invalid.");
        if (8 + n > fileLength) throw new SnapshotFormatException(path, $"truncated safetensors file: the header needs {n} bytes but only {fileLength - 8} follow.");
        var buf = new byte[n];
        fs.ReadExactly(buf);
        var metadata = new Dictionary<string, string>();
        var tensors = new List<(string, string, int[], long, long)>();
        long maxEnd = 0;
        try
        {
            using var doc = JsonDocument.Parse(buf);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException("the header is not a JSON object");
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    foreach (var m in prop.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString() ?? "";
                    continue;
                }
                var v = prop.Value;
                string dtype = v.GetProperty("dtype").GetString() ?? "";
                int[] shape = v.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
                var offs = v.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()).ToArray();
                if (offs.Length != 2 || offs[0] < 0 || offs[1] < offs[0]) throw new FormatException($"tensor '{prop.Name}' has invalid data_offsets");
                int size = dtype switch { "F32" => 4, "F16" => 2, "I64" => 8, _ => throw new FormatException($"tensor '{prop.Name}' has unsupported dtype '{dtype}' (F32, F16 and I64 are supported)") };
                if (shape.Any(d => d < 0)) throw new FormatException($"tensor '{prop.Name}' has a negative dimension");
                if ((long)ShapeUtil.Numel(shape) * size != offs[1] - offs[0])
                    throw new FormatException($"tensor '{prop.Name}' of shape {ShapeUtil.Format(shape)} and dtype {dtype} does not match its {offs[1] - offs[0]} data bytes");
                tensors.Add((prop.Name, dtype, shape, offs[0], offs[1]));
                maxEnd = Math.Max(maxEnd, offs[1]);
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new SnapshotFormatException(path, $"corrupt safetensors header: {e.Message}", e);
        }
        long required = 8 + n + maxEnd;
        if (fileLength < required)
            throw new SnapshotFormatException(path, $"truncated safetensors file: {fileLength} bytes, but its header describes {required} bytes.");
        return new Header { Metadata = metadata, Tensors = tensors, DataStart = 8 + n, RequiredLength = required };
    }

    /// <summary>Reads every tensor (F16 widened to float32).</summary>
    internal static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        FileStream fs;
        try
        {
            fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SnapshotFormatException(path, "file not found.", e);
        }
        using (fs)
        {
            var header = ReadHeader(path, fs);
            var result = new Dictionary<string, Tensor>(header.Tensors.Count);
            foreach (var (name, dtype, shape, begin, end) in header.Tensors)
            {
                var bytes = new byte[end - begin];
                fs.Position = header.DataStart + begin;
                fs.ReadExactly(bytes);
                result[name] = dtype switch
                {
                    "I64" => new Tensor(MemoryMarshal.Cast<byte, long>(bytes).ToArray(), shape),
                    "F16" => new Tensor(Widen(MemoryMarshal.Cast<byte, Half>(bytes)), shape),
                    _ => new Tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), shape),
                };
            }
            return (result, header.Metadata);
        }
    }

    private static float[] Widen(ReadOnlySpan<Half> h)
    {
        var f = new float[h.Length];
        TensorPrimitives.ConvertToSingle(h, f);
        return f;
    }
}
