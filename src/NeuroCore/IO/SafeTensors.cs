using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Numerics.Tensors;
using NeuroCore.Layout;

namespace NeuroCore.IO;

/// <summary>One tensor's entry in a safetensors header.</summary>
/// <param name="Name">The tensor's name (a state-dict key such as <c>0.weight</c>).</param>
/// <param name="DType">The element type as stored in the file.</param>
/// <param name="Shape">The tensor's shape (empty for a scalar).</param>
/// <param name="Begin">Start of the tensor's bytes, relative to <see cref="SafeTensorsHeader.DataOffset"/>.</param>
/// <param name="End">End (exclusive) of the tensor's bytes, relative to <see cref="SafeTensorsHeader.DataOffset"/>.</param>
public sealed record SafeTensorInfo(string Name, SafeTensorsDType DType, int[] Shape, long Begin, long End)
{
    /// <summary>The number of elements (1 for a scalar).</summary>
    public long Numel => ShapeNumel(Shape);

    internal static long ShapeNumel(int[] shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return n;
    }
}

/// <summary>The parsed header of a safetensors file: tensor entries and free-form string metadata.</summary>
/// <param name="Tensors">Tensor entries in the order of their data (by offset).</param>
/// <param name="Metadata">The <c>__metadata__</c> map (empty when absent).</param>
/// <param name="DataOffset">Byte position in the file where the data section starts (8 + header length).</param>
public sealed record SafeTensorsHeader(IReadOnlyList<SafeTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata, long DataOffset);

/// <summary>The contents of a safetensors file.</summary>
/// <param name="Tensors">The tensors by name (float types loaded as float32, integer types as int64), enumerated in the order of their data in the file.</param>
/// <param name="Metadata">The <c>__metadata__</c> map (empty when absent).</param>
public sealed record SafeTensorsContent(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata);

/// <summary>One tensor to write and the element type to store it as.</summary>
/// <param name="Name">The tensor's name in the header.</param>
/// <param name="Tensor">The tensor (float32 or int64; any layout).</param>
/// <param name="DType">I64 for an int64 tensor; F32, F16 or BF16 for a float32 tensor.</param>
internal readonly record struct SafeTensorsEntry(string Name, Tensor Tensor, SafeTensorsDType DType)
{
    /// <summary>An entry storing <paramref name="tensor"/> as I64 when it is int64, else as <paramref name="floatAs"/>.</summary>
    public static SafeTensorsEntry Of(string name, Tensor tensor, SafeTensorsDType floatAs) =>
        new(name, tensor, tensor.DType == NeuroCore.DType.Int64 ? SafeTensorsDType.I64 : floatAs);
}

/// <summary>
/// Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format, the
/// tensor file format of Hugging Face and PyTorch model hubs.
/// </summary>
/// <remarks>
/// Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// (<c>{"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, "__metadata__": {…}}</c>,
/// padded with spaces so the data starts at a multiple of 8), then the tensors' little-endian bytes back
/// to back. Like the Python library, tensors are written in sorted name order and the reader accepts
/// only data that exactly tiles the data section; anything else is an <see cref="InvalidDataException"/>.
/// </remarks>
public static class SafeTensors
{
    /// <summary>
    /// Largest header accepted (100 MB, the Python library's limit); a larger length is a corrupt or hostile file,
    /// and refusing it up front avoids allocating memory the file cannot justify.
    /// </summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";

    // Conversions go through a fixed-size buffer so saving a large tensor as F16 needs no full-size copy.
    private const int ChunkElements = 1 << 14;

    // ------------------------------------------------------------------ writing

    /// <summary>
    /// Writes <paramref name="tensors"/> (and optional string <paramref name="metadata"/>) to <paramref name="path"/>.
    /// The file is written to a temporary file in the same folder, flushed to disk (fsync) and then renamed over
    /// <paramref name="path"/>, so a crash never leaves a half-written file under the real name.
    /// </summary>
    /// <param name="path">The target file.</param>
    /// <param name="tensors">Tensors by name; written in ordinal name order.</param>
    /// <param name="metadata">Optional free-form metadata stored under <c>__metadata__</c>.</param>
    /// <param name="storeAs">
    /// Element type for float32 tensors: null (as-is, F32), <see cref="SafeTensorsDType.F16"/> or
    /// <see cref="SafeTensorsDType.BF16"/> to halve the file size. Int64 tensors are always stored as I64.
    /// </param>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null, SafeTensorsDType? storeAs = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // Entries are built (and validated) before the temporary file is created.
        var entries = SortedEntries(tensors, storeAs);
        AtomicFile.Write(path, fs => Write(fs, entries, metadata));
    }

    /// <summary>Writes <paramref name="tensors"/> in safetensors format to <paramref name="stream"/> (see <see cref="Save(string, IReadOnlyDictionary{string, Tensor}, IReadOnlyDictionary{string, string}?, SafeTensorsDType?)"/>).</summary>
    public static void Save(Stream stream, IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null, SafeTensorsDType? storeAs = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Write(stream, SortedEntries(tensors, storeAs), metadata);
    }

    /// <summary>
    /// Writes <paramref name="entries"/> in the given order, each with its own element type, atomically and
    /// durably like <see cref="Save(string, IReadOnlyDictionary{string, Tensor}, IReadOnlyDictionary{string, string}?, SafeTensorsDType?)"/>;
    /// returns the file's length. The snapshot recorder needs both: per-tensor precision (F16 parameters next
    /// to F32 gradient norms) and the model's order, which readers get back because data is read in file order.
    /// </summary>
    internal static long Save(string path, IReadOnlyList<SafeTensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(entries);
        return AtomicFile.Write(path, fs => Write(fs, entries, metadata));
    }

    private static List<SafeTensorsEntry> SortedEntries(IReadOnlyDictionary<string, Tensor> tensors, SafeTensorsDType? storeAs)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (storeAs is { } s && s is not (SafeTensorsDType.F32 or SafeTensorsDType.F16 or SafeTensorsDType.BF16))
            throw new ArgumentException($"SafeTensors.Save: storeAs must be F32, F16 or BF16 (it applies to float32 tensors), got {s}.", nameof(storeAs));
        var names = tensors.Keys.ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        var entries = new List<SafeTensorsEntry>(names.Length);
        foreach (var name in names)
        {
            var t = tensors[name] ?? throw new ArgumentException($"SafeTensors.Save: tensor '{name}' is null.", nameof(tensors));
            entries.Add(SafeTensorsEntry.Of(name, t, storeAs ?? SafeTensorsDType.F32));
        }
        return entries;
    }

    /// <summary>Writes the entries in their order; validates every entry before the first byte is written.</summary>
    private static void Write(Stream stream, IReadOnlyList<SafeTensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        RequireLittleEndian();
        var offsets = new List<(string Name, SafeTensorsDType DType, int[] Shape, long Begin, long End)>(entries.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long offset = 0;
        foreach (var (name, t, dtype) in entries)
        {
            ArgumentNullException.ThrowIfNull(name);
            if (name == MetadataKey)
                throw new ArgumentException($"SafeTensors.Save: '{MetadataKey}' is reserved for metadata and cannot name a tensor.", nameof(entries));
            if (t is null) throw new ArgumentException($"SafeTensors.Save: tensor '{name}' is null.", nameof(entries));
            if (!seen.Add(name)) throw new ArgumentException($"SafeTensors.Save: tensor '{name}' is listed twice.", nameof(entries));
            bool valid = t.DType == DType.Int64
                ? dtype == SafeTensorsDType.I64
                : dtype is SafeTensorsDType.F32 or SafeTensorsDType.F16 or SafeTensorsDType.BF16;
            if (!valid)
                throw new ArgumentException($"SafeTensors.Save: tensor '{name}' is {t.DType} and cannot be stored as {dtype} (int64 is stored as I64, float32 as F32, F16 or BF16).", nameof(entries));
            long bytes = (long)t.Numel * SafeTensorsDTypes.ElementSize(dtype);
            offsets.Add((name, dtype, t.ShapeRef, offset, offset + bytes));
            offset += bytes;
        }

        var header = BuildHeader(offsets, metadata);
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
        stream.Write(len);
        stream.Write(header);
        foreach (var e in entries) WriteData(stream, e.Tensor, e.DType);
        stream.Flush();
    }

    /// <summary>Builds the JSON header, padded with spaces to a multiple of 8 bytes.</summary>
    private static byte[] BuildHeader(IReadOnlyList<(string Name, SafeTensorsDType DType, int[] Shape, long Begin, long End)> entries,
        IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps non-ASCII names readable as UTF-8; the header is never embedded in HTML.
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(MetadataKey);
                foreach (var key in metadata.Keys.OrderBy(k => k, StringComparer.Ordinal))
                {
                    ArgumentNullException.ThrowIfNull(key);
                    w.WriteString(key, metadata[key] ?? throw new ArgumentException($"SafeTensors.Save: metadata '{key}' is null."));
                }
                w.WriteEndObject();
            }
            foreach (var (name, dtype, shape, begin, end) in entries)
            {
                w.WriteStartObject(name);
                w.WriteString("dtype", SafeTensorsDTypes.Name(dtype));
                w.WriteStartArray("shape");
                foreach (var d in shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(begin);
                w.WriteNumberValue(end);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        int n = buffer.WrittenCount;
        int padded = (n + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(n).Fill((byte)' ');
        return header;
    }

    private static void WriteData(Stream stream, Tensor t, SafeTensorsDType dtype)
    {
        if (t.Numel == 0) return;
        var c = t.Contiguous().Detach();
        if (dtype == SafeTensorsDType.I64)
        {
            WriteRaw<long>(stream, c.LongSpan);
            return;
        }
        ReadOnlySpan<float> src = c.Span;
        if (dtype == SafeTensorsDType.F32)
        {
            WriteRaw(stream, src);
            return;
        }
        var chunk = ArrayPool<ushort>.Shared.Rent(ChunkElements);
        try
        {
            for (int start = 0; start < src.Length; start += ChunkElements)
            {
                var part = src.Slice(start, Math.Min(ChunkElements, src.Length - start));
                var dst = chunk.AsSpan(0, part.Length);
                if (dtype == SafeTensorsDType.F16) TensorPrimitives.ConvertToHalf(part, MemoryMarshal.Cast<ushort, Half>(dst));
                else FloatToBFloat16(part, dst);
                stream.Write(MemoryMarshal.AsBytes(dst));
            }
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(chunk);
        }
    }

    /// <summary>
    /// Largest number of bytes moved in one <see cref="Stream"/> call (64 MiB). A tensor of 2 GiB or more has more
    /// bytes than a <see cref="Span{T}"/> of bytes can count, so its data is written and read in slices of this size.
    /// </summary>
    internal const int SliceBytes = 1 << 26;

    /// <summary>Writes <paramref name="data"/>'s raw little-endian bytes in slices of at most <see cref="SliceBytes"/>.</summary>
    internal static void WriteRaw<T>(Stream stream, ReadOnlySpan<T> data) where T : unmanaged
    {
        int perSlice = SliceBytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        for (int start = 0; start < data.Length; start += perSlice)
            stream.Write(MemoryMarshal.AsBytes(data.Slice(start, Math.Min(perSlice, data.Length - start))));
    }

    /// <summary>Fills <paramref name="data"/> with raw little-endian bytes from <paramref name="stream"/>, in slices of at most <see cref="SliceBytes"/>.</summary>
    internal static void ReadRaw<T>(Stream stream, Span<T> data) where T : unmanaged
    {
        int perSlice = SliceBytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        for (int start = 0; start < data.Length; start += perSlice)
            stream.ReadExactly(MemoryMarshal.AsBytes(data.Slice(start, Math.Min(perSlice, data.Length - start))));
    }

    /// <summary>float32 → bfloat16 with round-to-nearest-even (NaN stays NaN), as PyTorch converts.</summary>
    internal static void FloatToBFloat16(ReadOnlySpan<float> src, Span<ushort> dst)
    {
        for (int i = 0; i < src.Length; i++)
        {
            uint bits = BitConverter.SingleToUInt32Bits(src[i]);
            if (float.IsNaN(src[i]))
            {
                dst[i] = (ushort)((bits >> 16) | 0x40); // keep sign, force a quiet-NaN mantissa bit
                continue;
            }
            uint rounding = 0x7FFF + ((bits >> 16) & 1);
            dst[i] = (ushort)((bits + rounding) >> 16);
        }
    }

    // ------------------------------------------------------------------ reading

    /// <summary>Reads every tensor and the metadata of the safetensors file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed safetensors file (the message says why).</exception>
    public static SafeTensorsContent Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Load(fs, path);
    }

    /// <summary>Reads a safetensors file from a seekable <paramref name="stream"/>, starting at its current position.</summary>
    /// <exception cref="InvalidDataException">The data is not a well-formed safetensors file.</exception>
    public static SafeTensorsContent Load(Stream stream) => Load(stream, "stream");

    /// <summary>
    /// Reads only the header of the file at <paramref name="path"/>: names, dtypes, shapes, offsets and
    /// metadata, without reading tensor data (the header is validated like <see cref="Load(string)"/> does).
    /// </summary>
    public static SafeTensorsHeader ReadHeader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        return ReadHeader(fs, path);
    }

    /// <summary>Reads and validates the header from a seekable <paramref name="stream"/> at its current position.</summary>
    public static SafeTensorsHeader ReadHeader(Stream stream) => ReadHeader(stream, "stream");

    /// <summary>Reads a safetensors file from <paramref name="stream"/>; <paramref name="source"/> names it in error messages.</summary>
    internal static SafeTensorsContent Load(Stream stream, string source)
    {
        RequireLittleEndian();
        long start = stream.Position;
        var header = ReadHeader(stream, source);
        stream.Position = start + header.DataOffset;
        // Tensors are read, and so enumerate, in file order: a writer's order survives the round trip.
        var tensors = new Dictionary<string, Tensor>(header.Tensors.Count, StringComparer.Ordinal);
        foreach (var info in header.Tensors)
        {
            try
            {
                tensors.Add(info.Name, ReadTensor(stream, info));
            }
            catch (EndOfStreamException e)
            {
                // The length was checked up front; this only happens when the file shrinks while being read.
                throw Invalid(source, $"the data of tensor '{info.Name}' at [{info.Begin}, {info.End}) ended early: the file was truncated while it was read", e);
            }
        }
        return new SafeTensorsContent(tensors, header.Metadata);
    }

    private static Tensor ReadTensor(Stream stream, SafeTensorInfo info)
    {
        int n = (int)info.Numel;
        var shape = (int[])info.Shape.Clone();
        switch (info.DType)
        {
            case SafeTensorsDType.F32:
            {
                var data = new float[n];
                ReadRaw(stream, data.AsSpan());
                return new Tensor(data, shape);
            }
            case SafeTensorsDType.I64:
            {
                var data = new long[n];
                ReadRaw(stream, data.AsSpan());
                return new Tensor(data, shape);
            }
            case SafeTensorsDType.F16:
            case SafeTensorsDType.BF16:
            case SafeTensorsDType.F64:
            {
                var data = new float[n];
                ReadConverted(stream, info.DType, data.AsSpan());
                return new Tensor(data, shape);
            }
            default:
            {
                var data = new long[n];
                ReadConvertedIntegers(stream, info.DType, data.AsSpan());
                return new Tensor(data, shape);
            }
        }
    }

    private static void ReadConverted(Stream stream, SafeTensorsDType dtype, Span<float> dst)
    {
        int size = SafeTensorsDTypes.ElementSize(dtype);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkElements * 8);
        try
        {
            for (int start = 0; start < dst.Length; start += ChunkElements)
            {
                int count = Math.Min(ChunkElements, dst.Length - start);
                var bytes = buffer.AsSpan(0, count * size);
                stream.ReadExactly(bytes);
                var part = dst.Slice(start, count);
                switch (dtype)
                {
                    case SafeTensorsDType.F16:
                        TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(bytes), part);
                        break;
                    case SafeTensorsDType.BF16:
                        var bf = MemoryMarshal.Cast<byte, ushort>(bytes);
                        for (int i = 0; i < count; i++) part[i] = BitConverter.UInt32BitsToSingle((uint)bf[i] << 16);
                        break;
                    default:
                        var d = MemoryMarshal.Cast<byte, double>(bytes);
                        for (int i = 0; i < count; i++) part[i] = (float)d[i];
                        break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void ReadConvertedIntegers(Stream stream, SafeTensorsDType dtype, Span<long> dst)
    {
        int size = SafeTensorsDTypes.ElementSize(dtype);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkElements * 8);
        try
        {
            for (int start = 0; start < dst.Length; start += ChunkElements)
            {
                int count = Math.Min(ChunkElements, dst.Length - start);
                var bytes = buffer.AsSpan(0, count * size);
                stream.ReadExactly(bytes);
                var part = dst.Slice(start, count);
                switch (dtype)
                {
                    case SafeTensorsDType.I32:
                        var i32 = MemoryMarshal.Cast<byte, int>(bytes);
                        for (int i = 0; i < count; i++) part[i] = i32[i];
                        break;
                    case SafeTensorsDType.I16:
                        var i16 = MemoryMarshal.Cast<byte, short>(bytes);
                        for (int i = 0; i < count; i++) part[i] = i16[i];
                        break;
                    case SafeTensorsDType.I8:
                        for (int i = 0; i < count; i++) part[i] = (sbyte)bytes[i];
                        break;
                    default: // U8 and BOOL
                        for (int i = 0; i < count; i++) part[i] = bytes[i];
                        break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static SafeTensorsHeader ReadHeader(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek) throw new ArgumentException("SafeTensors: the stream must be seekable (its length is checked against the header).", nameof(stream));
        long available = stream.Length - stream.Position;
        if (available < 8)
            throw Invalid(source, $"it is {available} bytes long, too short for the 8-byte header length");
        Span<byte> len = stackalloc byte[8];
        stream.ReadExactly(len);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (headerLength > MaxHeaderLength)
            throw Invalid(source, $"the header length {headerLength} exceeds the {MaxHeaderLength}-byte limit");
        if ((long)headerLength > available - 8)
            throw Invalid(source, $"the header length {headerLength} is larger than the {available - 8} bytes that follow it (truncated?)");
        if (headerLength < 2)
            throw Invalid(source, $"the header length {headerLength} is too short for a JSON object");
        var headerBytes = new byte[(int)headerLength];
        stream.ReadExactly(headerBytes);
        long dataLength = available - 8 - (long)headerLength;
        var (tensors, metadata) = ParseHeader(headerBytes, dataLength, source);
        return new SafeTensorsHeader(tensors, metadata, 8 + (long)headerLength);
    }

    private static (List<SafeTensorInfo>, Dictionary<string, string>) ParseHeader(byte[] headerBytes, long dataLength, string source)
    {
        if (headerBytes[0] != (byte)'{')
            throw Invalid(source, "the header does not start with '{' (not a safetensors file?)");
        // JsonDocument validates UTF-8 only lazily (when a string is read), so check the whole header first.
        if (!System.Text.Unicode.Utf8.IsValid(headerBytes))
            throw Invalid(source, "the header is not valid UTF-8");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(headerBytes, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Invalid(source, $"the header is not valid JSON ({e.Message})", e);
        }
        using (doc)
        {
            try
            {
                return ParseRoot(doc.RootElement, dataLength, source);
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json throws this when it decodes an escaped lone surrogate ("\ud800") in a name or value.
                throw Invalid(source, "the header holds a string that is not valid Unicode (an escaped lone surrogate such as \\ud800)", e);
            }
        }
    }

    private static (List<SafeTensorInfo>, Dictionary<string, string>) ParseRoot(JsonElement root, long dataLength, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw Invalid(source, "the header is not a JSON object");
        var tensors = new List<SafeTensorInfo>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var prop in root.EnumerateObject())
        {
            if (!seen.Add(prop.Name))
                throw Invalid(source, $"the header names '{prop.Name}' twice");
            if (prop.Name == MetadataKey)
            {
                if (prop.Value.ValueKind == JsonValueKind.Null) continue;
                if (prop.Value.ValueKind != JsonValueKind.Object)
                    throw Invalid(source, $"'{MetadataKey}' must be an object of strings, got {prop.Value.ValueKind}");
                foreach (var m in prop.Value.EnumerateObject())
                {
                    if (m.Value.ValueKind != JsonValueKind.String)
                        throw Invalid(source, $"metadata '{m.Name}' must be a string, got {m.Value.ValueKind}");
                    if (!metadata.TryAdd(m.Name, m.Value.GetString()!))
                        throw Invalid(source, $"metadata names '{m.Name}' twice");
                }
                continue;
            }
            tensors.Add(ParseEntry(prop, source));
        }

        // The data must be tiled exactly: sorted by offset, each tensor starts where the previous ended,
        // the first at 0 and the last ends at the end of the file (as the Python library requires).
        // A stable sort: empty tensors sharing an offset keep their header order, so the writer's order survives.
        tensors = [.. tensors.OrderBy(t => t.Begin).ThenBy(t => t.End)];
        long expected = 0;
        foreach (var t in tensors)
        {
            if (t.Begin != expected)
                throw Invalid(source, t.Begin < expected
                    ? $"tensor '{t.Name}' at [{t.Begin}, {t.End}) overlaps the previous tensor, which ends at {expected}"
                    : $"tensor '{t.Name}' starts at {t.Begin} but the previous data ends at {expected} (offsets must be contiguous)");
            expected = t.End;
        }
        if (expected > dataLength)
        {
            // Name the first tensor that does not fit: with data in file order, the one the cut went through.
            var cut = tensors.First(t => t.End > dataLength);
            throw Invalid(source, $"tensor '{cut.Name}' needs data bytes [{cut.Begin}, {cut.End}) but the file has only {dataLength} data bytes; the file is truncated ({expected - dataLength} bytes missing)");
        }
        if (expected < dataLength)
            throw Invalid(source, $"the tensors cover {expected} data bytes but the file has {dataLength} (trailing bytes)");
        return (tensors, metadata);
    }

    private static SafeTensorInfo ParseEntry(JsonProperty prop, string source)
    {
        string name = prop.Name;
        var v = prop.Value;
        if (v.ValueKind != JsonValueKind.Object)
            throw Invalid(source, $"the entry for tensor '{name}' must be an object, got {v.ValueKind}");
        if (!v.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String)
            throw Invalid(source, $"tensor '{name}' has no string 'dtype'");
        var dtypeName = dtypeEl.GetString()!;
        if (!SafeTensorsDTypes.TryParse(dtypeName, out var dtype))
            throw Invalid(source, $"tensor '{name}' has unknown or unsupported dtype '{dtypeName}' (supported: {string.Join(", ", Enum.GetNames<SafeTensorsDType>())})");

        if (!v.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array)
            throw Invalid(source, $"tensor '{name}' has no 'shape' array");
        var shape = new int[shapeEl.GetArrayLength()];
        int k = 0;
        long numel = 1;
        foreach (var d in shapeEl.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int size) || size < 0)
                throw Invalid(source, $"tensor '{name}' has an invalid dimension {d.GetRawText()} in its shape (dimensions are non-negative 32-bit integers)");
            shape[k++] = size;
            // Saturate instead of overflowing: anything past Array.MaxLength is rejected below anyway.
            numel = numel == 0 || size == 0 ? 0 : numel > Array.MaxLength / size ? (long)Array.MaxLength + 1 : numel * size;
        }
        if (numel > Array.MaxLength || !ShapeLimits.FitsInTensor(shape))
            throw Invalid(source, $"tensor '{name}' with shape {ShapeUtil.Format(shape)} has too many elements for one tensor (the product of its dimensions, counting 0 as 1, must be at most {Array.MaxLength})");

        if (!v.TryGetProperty("data_offsets", out var offEl) || offEl.ValueKind != JsonValueKind.Array || offEl.GetArrayLength() != 2)
            throw Invalid(source, $"tensor '{name}' has no 'data_offsets' array of two numbers");
        var begin = offEl[0];
        var end = offEl[1];
        if (begin.ValueKind != JsonValueKind.Number || end.ValueKind != JsonValueKind.Number
            || !begin.TryGetInt64(out long b) || !end.TryGetInt64(out long e) || b < 0 || e < b)
            throw Invalid(source, $"tensor '{name}' has invalid data_offsets {offEl.GetRawText()} (need 0 ≤ begin ≤ end)");
        long bytes = numel * SafeTensorsDTypes.ElementSize(dtype);
        if (e - b != bytes)
            throw Invalid(source, $"tensor '{name}' ({dtypeName}, shape {ShapeUtil.Format(shape)}) needs {bytes} bytes but its data_offsets [{b}, {e}] span {e - b}");
        return new SafeTensorInfo(name, dtype, shape, b, e);
    }

    private static InvalidDataException Invalid(string source, string why, Exception? inner = null)
    {
        var e = new InvalidDataException($"SafeTensors: {source} is not a valid safetensors file: {why}.", inner);
        e.Data[ReasonKey] = why;
        return e;
    }

    // Exception.Data key of the bare reason, so callers with their own error type (snapshot files) can
    // wrap the exception without repeating the "SafeTensors: <file> is not valid" prefix.
    private const string ReasonKey = "NeuroCore.SafeTensors.Reason";

    /// <summary>The reason an <see cref="InvalidDataException"/> thrown by this class gives, without the file name.</summary>
    internal static string ReasonOf(InvalidDataException e) => e.Data[ReasonKey] as string ?? e.Message;

    private static void RequireLittleEndian()
    {
        // safetensors data is little-endian and is copied as raw memory; every .NET 10 target we ship is little-endian.
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("SafeTensors: big-endian platforms are not supported.");
    }
}
