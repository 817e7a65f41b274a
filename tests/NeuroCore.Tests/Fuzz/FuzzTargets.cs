using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using NeuroCore;
using NeuroCore.Data;
using NeuroCore.IO;

namespace NeuroCore.Tests.Fuzz;

/// <summary>
/// The readers under fuzzing, each with valid seed inputs and the one exception type its documentation allows
/// for a bad file. Shared by the seeded fuzz tests in the suite and the SharpFuzz harness (tests/NeuroCore.Fuzz).
/// </summary>
public static class FuzzTargets
{
    /// <summary>A reader: reads the file at the path (and uses the result the way a caller would).</summary>
    public sealed record Target(string Name, Func<byte[][]> Seeds, Action<string> Read, Type Documented);

    /// <summary>Every file-format target, by name.</summary>
    public static readonly IReadOnlyDictionary<string, Target> All = new Dictionary<string, Target>
    {
        ["safetensors"] = new("safetensors", SafeTensorsSeeds, ReadSafeTensors, typeof(InvalidDataException)),
        ["idx"] = new("idx", () => IdxSeeds(gzip: false), ReadIdx, typeof(InvalidDataException)),
        ["idx-gzip"] = new("idx-gzip", () => IdxSeeds(gzip: true), ReadIdx, typeof(InvalidDataException)),
        ["csv-header"] = new("csv-header", () => CsvSeeds(header: true, gzip: false), p => Use(SklearnCsv.ReadWithHeader(p)), typeof(InvalidDataException)),
        ["csv"] = new("csv", () => CsvSeeds(header: false, gzip: false), p => Use(SklearnCsv.ReadWithoutHeader(p, 3)), typeof(InvalidDataException)),
        ["csv-gzip"] = new("csv-gzip", () => CsvSeeds(header: false, gzip: true), p => Use(SklearnCsv.ReadWithoutHeader(p, 3)), typeof(InvalidDataException)),
    };

    private static void ReadSafeTensors(string path)
    {
        var header = SafeTensors.ReadHeader(path);
        var content = SafeTensors.Load(path);
        if (content.Tensors.Count != header.Tensors.Count) throw new InvalidOperationException("Load and ReadHeader disagree on the tensor count");
        foreach (var (_, t) in content.Tensors) _ = t.DType == DType.Float32 ? t.ToArray().Length : t.ToLongArray().Length;
        // Reading from a stream must agree with reading the file.
        using var fs = File.OpenRead(path);
        _ = SafeTensors.Load(fs).Tensors.Count;
    }

    private static void ReadIdx(string path)
    {
        var a = IdxReader.Read(path);
        // A file the reader accepts must convert: its shape was validated, so these may not throw.
        _ = a.ToFloat32(255f).Shape;
        if (a.DataType is IdxDataType.UByte or IdxDataType.SByte or IdxDataType.Int16 or IdxDataType.Int32) _ = a.ToInt64().Shape;
    }

    private static void Use(TabularData d)
    {
        _ = d.Data.Count;
        if (d.ClassNames.Count == 0 && d.Data.Count > 0) throw new InvalidOperationException("a dataset with rows has no class names");
        foreach (var label in d.Data.Targets.ToLongArray())
            if (label < 0 || label >= d.ClassNames.Count) throw new InvalidOperationException($"label {label} has no class name ({d.ClassNames.Count} names)");
    }

    // ------------------------------------------------------------------ seeds

    private static byte[][] SafeTensorsSeeds()
    {
        var g = new Generator(3);
        var seeds = new List<byte[]>();
        foreach (var storeAs in new SafeTensorsDType?[] { null, SafeTensorsDType.F16, SafeTensorsDType.BF16 })
        {
            var ms = new MemoryStream();
            SafeTensors.Save(ms, new Dictionary<string, Tensor>
            {
                ["0.weight"] = Tensor.Randn([3, 2], g),
                ["0.bias"] = Tensor.FromArray([1f, 2f, 3f]),
                ["steps"] = Tensor.FromArray([42L, 7L]),
                ["empty"] = Tensor.Zeros(0, 4),
                ["scalar"] = Tensor.Scalar(0.5f),
            }, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode" }, storeAs);
            seeds.Add(ms.ToArray());
        }
        // A hand-written file with the integer and double types the writer never produces.
        seeds.Add(RawSafeTensors("{\"a\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"U8\",\"shape\":[2,2],\"data_offsets\":[8,12]},"
            + "\"c\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[12,20]},\"d\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[20,21]}}", new byte[21]));
        return [.. seeds];
    }

    private static byte[] RawSafeTensors(string json, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    private static byte[][] IdxSeeds(bool gzip)
    {
        var seeds = new List<byte[]>
        {
            Idx(0x08, [3, 2, 2], [0, 1, 2, 255, 80, 81, 82, 254, 160, 161, 162, 253]),
            Idx(0x08, [4], [0, 9, 3, 1]),
            Idx(0x0B, [2], [0x01, 0x02, 0xFF, 0xFE]),
            Idx(0x0C, [1, 2], [0, 0, 0, 1, 0x80, 0, 0, 0]),
            Idx(0x0D, [2], [0x3F, 0x80, 0, 0, 0xC0, 0, 0, 0]),
            Idx(0x0E, [1], [0x3F, 0xF0, 0, 0, 0, 0, 0, 0]),
            Idx(0x09, [0, 5], []),
        };
        return gzip ? [.. seeds.Select(Gzip)] : [.. seeds];
    }

    private static byte[] Idx(byte type, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    private static byte[][] CsvSeeds(bool header, bool gzip)
    {
        string[] texts = header
            ? ["3,3,setosa,versicolor,virginica\n5.1,3.5,1.4,0\n4.9,3.0,1.4,1\n6.3,3.3,6.0,2\n", "2,3\n1,2,3,0\n4,5,6,1\n", "1,3,a\r\n-1e3,0.5,7,0\r\n"]
            : ["0,1,2,3\n4,5,6,2.0\n", "1.5,-2,3e2,0\n\n7,8,9,1\n", "0,0,0,9\r\n"];
        return [.. texts.Select(t => Encoding.UTF8.GetBytes(t)).Select(b => gzip ? Gzip(b) : b)];
    }

    private static byte[] Gzip(byte[] raw)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(raw);
        return ms.ToArray();
    }
}
