using System.IO.Compression;
using System.Text;
using NeuroCore.Data;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Data;

public sealed class SklearnCsvTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string text, bool gzip = false)
    {
        var path = _dir.File(name);
        var bytes = Encoding.UTF8.GetBytes(text);
        if (gzip)
        {
            using var fs = File.Create(path);
            using var gz = new GZipStream(fs, CompressionLevel.Fastest);
            gz.Write(bytes);
        }
        else File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void ReadsHeaderFormatLikeIrisAndWine()
    {
        var path = Write("small.csv", "3,2,alpha,beta\n5.1,3.5,0\n4.9,-3.0e1,1\n6,7,1\n");
        var d = SklearnCsv.ReadWithHeader(path);
        Assert.Equal(["alpha", "beta"], d.ClassNames);
        Assert.Equal([3, 2], d.Data.Inputs.Shape);
        Assert.Equal([5.1f, 3.5f, 4.9f, -30f, 6f, 7f], d.Data.Inputs.ToArray());
        Assert.Equal([0L, 1, 1], d.Data.Targets.ToLongArray());
        Assert.Equal(2, d.FeatureNames.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsHeaderlessFilesRawOrGzipByMagic(bool gzip)
    {
        var path = Write("digits-like.csv", "0,1,2,3\r\n4,5,6,2.0\r\n", gzip); // CRLF and a float-spelled label
        var d = SklearnCsv.ReadWithoutHeader(path, features: 3);
        Assert.Equal([2, 3], d.Data.Inputs.Shape);
        Assert.Equal([3L, 2L], d.Data.Targets.ToLongArray());
        Assert.Equal(["0", "1", "2", "3"], d.ClassNames);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "x,2,a\n1,2,0\n", "line 1" },
        { "2,2,a,b\n1,2,0\n", "announces 2 rows" },
        { "1,2,a,b\n1,2\n", "line 2: expected 2 features" },
        { "1,2,a,b\n1,oops,0\n", "line 2, column 2: 'oops'" },
        { "1,2,a,b\n1,2,1.5\n", "not an integer" },
        { "1,2,a,b\n1,2,2\n", "label 2 is outside the 2 classes" },
        { "", "empty" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void RejectsMalformedFilesNamingTheLine(string text, string message)
    {
        var path = Write("bad.csv", text);
        var e = Assert.Throws<InvalidDataException>(() => SklearnCsv.ReadWithHeader(path));
        Assert.Contains(message, e.Message);
        Assert.Contains("bad.csv", e.Message);
    }

    [Fact]
    public void MissingFilesNameTheInstallCommand()
    {
        var e = Assert.Throws<FileNotFoundException>(() => SklearnDatasets.LoadIris(_dir.Path));
        Assert.Contains("sudo apt-get install python3-sklearn", e.Message);
    }

    private static void RequireSklearn() =>
        ExternalTools.Require(File.Exists(Path.Combine(SklearnDatasets.DefaultDirectory, "iris.csv")),
            "scikit-learn's dataset files", SklearnDatasets.InstallHint);

    [Fact]
    public void RealIris()
    {
        RequireSklearn();
        var d = SklearnDatasets.LoadIris();
        Assert.Equal([150, 4], d.Data.Inputs.Shape);
        Assert.Equal(["setosa", "versicolor", "virginica"], d.ClassNames);
        Assert.Equal([5.1f, 3.5f, 1.4f, 0.2f], d.Data.Inputs.ToArray()[..4]);
        Assert.All(d.Data.Targets.ToLongArray().GroupBy(v => v), g => Assert.Equal(50, g.Count()));
    }

    [Fact]
    public void RealWine()
    {
        RequireSklearn();
        var d = SklearnDatasets.LoadWine();
        Assert.Equal([178, 13], d.Data.Inputs.Shape);
        Assert.Equal(["class_0", "class_1", "class_2"], d.ClassNames);
        Assert.Equal(13, d.FeatureNames.Count);
        Assert.Equal([59, 71, 48], d.Data.Targets.ToLongArray().GroupBy(v => v).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(1065f, d.Data.Inputs[0, 12]); // proline of the first wine
    }

    [Fact]
    public void RealDigits()
    {
        RequireSklearn();
        var d = SklearnDatasets.LoadDigits();
        Assert.Equal([1797, 64], d.Data.Inputs.Shape);
        Assert.Equal(10, d.ClassNames.Count);
        var x = d.Data.Inputs.ToArray();
        Assert.Equal(0f, x.Min());
        Assert.Equal(16f, x.Max());
        Assert.Equal([0L, 1, 2, 3], d.Data.Targets.ToLongArray()[..4]);
        Assert.Equal(178, d.Data.Targets.ToLongArray().Count(v => v == 0));
    }

    [Fact]
    public void HeaderAnnouncingIntMaxFeaturesIsRejectedBeforeAllocating()
    {
        var path = Write("int-max.csv", "1,2147483647\n1,2\n");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => SklearnCsv.ReadWithHeader(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Contains("int-max.csv, line 2", e.Message);
        Assert.Contains("2147483648 values", e.Message); // no int overflow in the message either
    }

    [Fact]
    public void TinyFileCannotMakeTheReaderAllocateWhatItsHeaderClaims()
    {
        // 31 bytes announcing 600,000,000 features: float[600 M] (2.4 GB) used to be allocated before any row was checked.
        var path = Write("tiny.csv", "1,600000000,a,b,c,d,ef\n1.5,2,0\n");
        Assert.Equal(31, new FileInfo(path).Length);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => SklearnCsv.ReadWithHeader(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Contains("expected 600000000 features", e.Message);
    }

    [Theory]
    [InlineData("100000000")]
    [InlineData("2147483648")]
    [InlineData("9223372036854775807")]
    [InlineData("1e15")]
    public void HugeLabelWithoutClassNamesIsRejected(string label)
    {
        var path = Write("huge-label.csv", $"1,2,0\n3,4,{label}\n");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => SklearnCsv.ReadWithoutHeader(path, features: 2));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Contains("huge-label.csv, line 2", e.Message);
        Assert.Contains("too large", e.Message);
    }

    [Fact]
    public void LabelsUpToTheDefaultClassLimitGetNames()
    {
        var path = Write("wide.csv", $"1,2,0\n3,4,{SklearnCsv.MaxDefaultClasses - 1}\n");
        var d = SklearnCsv.ReadWithoutHeader(path, features: 2);
        Assert.Equal(SklearnCsv.MaxDefaultClasses, d.ClassNames.Count);
        // With class names given, the names bound the labels instead.
        var named = Write("named.csv", "2,2,a,b\n1,2,0\n3,4,1\n");
        Assert.Equal(["a", "b"], SklearnCsv.ReadWithHeader(named).ClassNames);
    }
}
