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
}
