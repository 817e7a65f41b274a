using System.Buffers.Binary;
using System.IO.Compression;
using NeuroCore.Data;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Idx(byte type, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    private static byte[] Gzip(byte[] raw)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(raw);
        return ms.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>3 images of 2×2 pixels: image k has pixels k·80 + [0, 1, 2, 255 − k].</summary>
    private static byte[] Images()
    {
        var px = new byte[12];
        for (int k = 0; k < 3; k++)
        {
            px[4 * k] = (byte)(k * 80); px[4 * k + 1] = (byte)(k * 80 + 1); px[4 * k + 2] = (byte)(k * 80 + 2); px[4 * k + 3] = (byte)(255 - k);
        }
        return Idx(0x08, [3, 2, 2], px);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsImagesScaledToUnitRangeRawOrGzip(bool gzip)
    {
        // The name says nothing: compression is recognised by its magic bytes.
        var path = Write("images.bin", gzip ? Gzip(Images()) : Images());
        var t = IdxReader.ReadImages(path);
        Assert.Equal([3, 1, 2, 2], t.Shape);
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal(160f / 255f, t[2, 0, 0, 0]);
        Assert.Equal(1f, t[0, 0, 1, 1]);
        Assert.Equal(254f / 255f, t[1, 0, 1, 1]);
        Assert.Equal(0f, t[0, 0, 0, 0]);

        var flat = IdxReader.ReadImages(path, flat: true);
        Assert.Equal([3, 4], flat.Shape);
        Assert.Equal(t.ToArray(), flat.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsLabelsAsInt64(bool gzip)
    {
        var raw = Idx(0x08, [4], [9, 0, 3, 255]);
        var t = IdxReader.ReadLabels(Write("labels", gzip ? Gzip(raw) : raw));
        Assert.Equal([4], t.Shape);
        Assert.Equal([9L, 0, 3, 255], t.ToLongArray());
    }

    [Fact]
    public void ReadsMultiByteBigEndianTypes()
    {
        var data = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(data, -5);
        BinaryPrimitives.WriteSingleBigEndian(data.AsSpan(4), 2.5f);
        var ints = IdxReader.Read(Write("i32", Idx(0x0C, [1], data[..4])));
        Assert.Equal(IdxDataType.Int32, ints.DataType);
        Assert.Equal([-5L], ints.ToInt64().ToLongArray());
        var floats = IdxReader.Read(Write("f32", Idx(0x0D, [1, 1], data[4..])));
        Assert.Equal([1, 1], floats.Dimensions);
        Assert.Equal([2.5f], floats.ToFloat32().ToArray());
        Assert.Throws<InvalidOperationException>(() => floats.ToInt64());
    }

    [Fact]
    public void DatasetPairsImagesWithLabelsAndChecksCounts()
    {
        var ds = IdxReader.ReadDataset(Write("i", Images()), Write("l", Idx(0x08, [3], [1, 2, 3])));
        Assert.Equal(3, ds.Count);
        Assert.Equal(2L, ds[1].Target.GetLong());
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadDataset(Write("i2", Images()), Write("l2", Idx(0x08, [2], [1, 2]))));
        Assert.Contains("3 images", e.Message);
    }

    public static TheoryData<string, byte[], string> Malformed => new()
    {
        { "empty", [], "too short" },
        { "bad magic", [1, 2, 8, 1, 0, 0, 0, 0], "bad magic" },
        { "unknown type", Idx(0x07, [1], [0]), "unknown data type code 0x07" },
        { "zero rank", [0, 0, 8, 0], "0 dimensions" },
        { "cut in dims", Idx(0x08, [3, 2, 2], [])[..10], "dimension list" },
        { "truncated data", Idx(0x08, [3, 2, 2], new byte[11]), "truncated" },
        { "trailing data", Idx(0x08, [3, 2, 2], new byte[13]), "trailing" },
        { "huge dims", Idx(0x08, [int.MaxValue, int.MaxValue], []), "too large" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void RejectsMalformedRawFiles(string what, byte[] bytes, string message)
    {
        var path = Write("bad-" + what.Replace(' ', '-'), bytes);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Contains(message, e.Message);
        Assert.Contains(Path.GetFileName(path), e.Message);
    }

    [Theory]
    [InlineData(11, "truncated")]
    [InlineData(13, "more data")]
    public void RejectsWrongLengthInsideGzip(int dataBytes, string message)
    {
        var path = Write("bad.gz", Gzip(Idx(0x08, [3, 2, 2], new byte[dataBytes])));
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void RejectsCorruptGzipAndHugeDimsInsideGzip()
    {
        var gz = Gzip(Images());
        var truncated = Write("cut.gz", gz[..(gz.Length / 2)]);
        Assert.Throws<InvalidDataException>(() => IdxReader.Read(truncated));
        // Dimensions claiming 2 GB must not make the reader allocate 2 GB before finding the data missing.
        var lying = Write("lying.gz", Gzip(Idx(0x08, [60000, 200, 150], new byte[100])));
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => IdxReader.Read(lying)).Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RejectsZeroSizedDimensionsWhoseOthersOverflowAStrideNamingTheFile(bool gzip)
    {
        // No data bytes are needed, but no tensor can have the shape: the reader must say so, not a later ArgumentException.
        var raw = Idx(0x08, [65536, 65536, 0], []);
        var path = Write(gzip ? "zero-dim.idx.gz" : "zero-dim.idx", gzip ? Gzip(raw) : raw);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Contains("zero-dim.idx", e.Message);
        Assert.Contains("too large", e.Message);
    }

    [Fact]
    public void SmallGzipClaimingGigabytesAllocatesOnlyWhatItHolds()
    {
        // 2 GB claimed ([1, 40000, 50000] bytes), 100 bytes present, a few dozen bytes of gzip.
        var gz = Gzip(Idx(0x08, [1, 40000, 50000], new byte[100]));
        var path = Write("claims-2gb.gz", gz);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("truncated", e.Message);
        // Before the fix the reader reserved 64 MiB up front; now the 1 MiB read chunk bounds it.
        Assert.True(allocated < 4 << 20, $"allocated {allocated:N0} bytes for a {gz.Length}-byte file");
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool CorruptedOrTruncatedFilesLoadOrThrowInvalidData(bool gzip, FsCheck.NonNegativeInt position, byte value, FsCheck.NonNegativeInt cut)
    {
        var bytes = gzip ? Gzip(Images()) : Images();
        bytes[position.Get % bytes.Length] = value;
        bytes = bytes[..(cut.Get % 4 == 0 ? cut.Get % bytes.Length : bytes.Length)];
        try
        {
            IdxReader.Read(new MemoryStream(bytes));
            return true;
        }
        catch (InvalidDataException)
        {
            return true;
        }
    }

    [Fact]
    public void ImageReaderRejectsLabelShapedFiles()
    {
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(Write("labels-as-images", Idx(0x08, [2], [1, 2]))));
        Assert.Contains("[N, rows, cols]", e.Message);
    }

    [Fact]
    public void FashionMnistMissingFilesNameTheInstallCommand()
    {
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(_dir.Path));
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", e.Message);
    }

    [Fact]
    public void FashionMnistLoadsUncompressedFilesFromAnyFolder()
    {
        Write("train-images-idx3-ubyte", Images());
        Write("train-labels-idx1-ubyte", Idx(0x08, [3], [0, 9, 4]));
        Write("t10k-images-idx3-ubyte.gz", Gzip(Images()));
        Write("t10k-labels-idx1-ubyte.gz", Gzip(Idx(0x08, [3], [1, 1, 1])));
        var d = FashionMnist.Load(_dir.Path, flat: true);
        Assert.Equal([3, 4], d.Train.Inputs.Shape);
        Assert.Equal([0L, 9, 4], d.Train.Targets.ToLongArray());
        Assert.Equal("Ankle boot", d.ClassNames[9]);

        Write("t10k-labels-idx1-ubyte.gz", Gzip(Idx(0x08, [3], [1, 10, 1])));
        Assert.Contains("outside the 10 classes", Assert.Throws<InvalidDataException>(() => FashionMnist.Load(_dir.Path)).Message);
    }

    [Fact]
    public void RealFashionMnistFromDebian()
    {
        ExternalTools.Require(File.Exists(Path.Combine(FashionMnist.DefaultDirectory, "train-images-idx3-ubyte.gz")),
            "Fashion-MNIST", FashionMnist.InstallHint);
        var d = FashionMnist.Load();
        Assert.Equal([60000, 1, 28, 28], d.Train.Inputs.Shape);
        Assert.Equal([10000, 1, 28, 28], d.Test.Inputs.Shape);
        Assert.Equal([60000], d.Train.Targets.Shape);
        // Fashion-MNIST is balanced: 6000 training and 1000 test images per class.
        Assert.All(d.Train.Targets.ToLongArray().GroupBy(v => v), g => Assert.Equal(6000, g.Count()));
        Assert.All(d.Test.Targets.ToLongArray().GroupBy(v => v), g => Assert.Equal(1000, g.Count()));
        var px = d.Test.Inputs.ToArray();
        Assert.Equal(0f, px.Min());
        Assert.Equal(1f, px.Max());
        // Known first labels of the published files: train starts 9 (Ankle boot), 0, 0; test starts 9, 2, 1.
        Assert.Equal([9L, 0, 0], d.Train.Targets.ToLongArray()[..3]);
        Assert.Equal([9L, 2, 1], d.Test.Targets.ToLongArray()[..3]);
        // Mean pixel of the training set is ≈ 0.2860 (the normalisation constant everyone uses).
        Assert.Equal(0.2860, d.Train.Inputs.ToArray().Average(v => (double)v), 3);
    }
}
