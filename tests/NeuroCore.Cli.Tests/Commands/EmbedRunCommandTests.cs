using System.Globalization;
using System.Text.Json;
using NeuroCore.Cli.Tests.Infrastructure;

namespace NeuroCore.Cli.Tests.Commands;

/// <summary>
/// <c>neurocore embed RUN --animate</c> (frames across snapshots beside the usual outputs) and
/// <c>--data FILE --limit N</c> (the run's network over a data set), on a digits run trained by <c>neurocore train</c>.
/// </summary>
public class EmbedRunCommandTests
{
    private static string Digits => "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";

    private static string TrainDigits(TempFolder tmp)
    {
        ExternalTools.Require(File.Exists(Digits), $"scikit-learn's digits data ({Digits})", "sudo apt-get install python3-sklearn");
        string run = tmp.Sub("digits");
        var r = CliRunner.Run("train", "--dataset", "digits", "--samples", "400", "--epochs", "2", "--layers", "16", "--probe", "120", "-o", run);
        Assert.True(r.ExitCode == 0, r.Err);
        return run;
    }

    [Fact]
    public void AnimateWritesEveryFrameAndTheIndexBesideTheUsualOutputs()
    {
        using var tmp = new TempFolder();
        string run = TrainDigits(tmp), output = tmp.Sub("anim");
        var r = CliRunner.Run("embed", run, "--layer", "dense_1", "--animate", "--frames", "5", "--dims", "2", "--perplexity", "15",
            "--iterations", "400", "--warm-iterations", "120", "-o", output);
        Assert.True(r.ExitCode == 0, r.Err + r.Out);
        var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "frames", "frames.json"))).RootElement;
        Assert.Equal("neurocore-embedding-frames", index.GetProperty("format").GetString());
        Assert.Equal(120, index.GetProperty("count").GetInt32());
        var frames = index.GetProperty("frames").EnumerateArray().ToList();
        Assert.Equal(5, frames.Count);
        Assert.Equal(0, frames[0].GetProperty("step").GetInt64());
        Assert.Equal(120, frames[1].GetProperty("iterations").GetInt32());
        var steps = frames.Select(f => f.GetProperty("step").GetInt64()).ToList();
        Assert.Equal(steps.Order(), steps);
        foreach (var f in frames)
        {
            var file = Path.Combine(output, "frames", f.GetProperty("file").GetString()!);
            Assert.Equal($"step-{f.GetProperty("step").GetInt64()}.tsv", Path.GetFileName(file));
            var lines = File.ReadAllLines(file);
            Assert.Equal(120, lines.Length);
            Assert.All(lines, l => Assert.Equal(2, l.Split('\t').Length));
        }
        // The usual outputs are the last frame: embedding.tsv equals frames/step-<last>.tsv.
        foreach (var name in new[] { "embedding.tsv", "embedding.json", "embedding.glb", "metadata.tsv", "projector_config.pbtxt" })
            Assert.True(File.Exists(Path.Combine(output, name)), name);
        Assert.Equal(File.ReadAllLines(Path.Combine(output, "embedding.tsv")), File.ReadAllLines(Path.Combine(output, "frames", $"step-{steps[^1]}.tsv")));
        Assert.Empty(Directory.GetFiles(output, "*.tmp", SearchOption.AllDirectories));
        // The frames differ (the layer learned between step 0 and the end).
        Assert.NotEqual(File.ReadAllLines(Path.Combine(output, "frames", "step-0.tsv")), File.ReadAllLines(Path.Combine(output, "embedding.tsv")));
    }

    [Fact]
    public void DataRunsTheNetworkOverAFileWithItsLabelsAndLimit()
    {
        using var tmp = new TempFolder();
        string run = TrainDigits(tmp), output = tmp.Sub("data");
        var r = CliRunner.Run("embed", run, "--layer", "dense_1", "--data", Digits, "--limit", "300", "--method", "pca", "--dims", "3", "-o", output);
        Assert.True(r.ExitCode == 0, r.Err + r.Out);
        Assert.Equal(300, File.ReadAllLines(Path.Combine(output, "embedding.tsv")).Length);
        // tensors.tsv holds the layer's 16 outputs per row, not the data's 64 pixels.
        Assert.Equal(16, File.ReadLines(Path.Combine(output, "tensors.tsv")).First().Split('\t').Length);
        var meta = File.ReadAllLines(Path.Combine(output, "metadata.tsv"));
        var digits = NeuroCore.Data.SklearnDatasets.LoadDigits().Data.Targets.ToLongArray();
        Assert.Equal("label\tindex", meta[0]);
        for (int i = 0; i < 300; i++) Assert.Equal(digits[i].ToString(CultureInfo.InvariantCulture), meta[i + 1].Split('\t')[0]);
        // Animated over the data too.
        var anim = CliRunner.Run("embed", run, "--layer", "dense_1", "--data", Digits, "--limit", "200", "--animate", "--frames", "3", "--method", "pca", "-o", tmp.Sub("data-anim"));
        Assert.True(anim.ExitCode == 0, anim.Err + anim.Out);
        Assert.Equal(200, JsonDocument.Parse(File.ReadAllText(Path.Combine(tmp.Sub("data-anim"), "frames", "frames.json"))).RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public void AConvNetRunsOverFashionMnistIdxImagesReshapedToItsInput()
    {
        const string fashion = "/usr/share/datasets/fashion-mnist";
        string images = Path.Combine(fashion, "t10k-images-idx3-ubyte.gz"), labels = Path.Combine(fashion, "t10k-labels-idx1-ubyte.gz");
        ExternalTools.Require(File.Exists(images) && File.Exists(labels), $"Debian's Fashion-MNIST ({fashion})", "sudo apt-get install dataset-fashion-mnist");
        using var tmp = new TempFolder();
        string run = tmp.Sub("fashion"), output = tmp.Sub("out");
        var t = CliRunner.Run("train", "--dataset", "fashion-mnist", "--samples", "500", "--layers", "conv4k3,pool2,dense16", "--epochs", "1", "--probe", "20", "-o", run);
        Assert.True(t.ExitCode == 0, t.Err);
        // 784 IDX pixels per row become [1, 28, 28] for the Conv2d; pool_1 outputs 4 × 14 × 14.
        var r = CliRunner.Run("embed", run, "--layer", "pool_1", "--data", images, "--labels", labels, "--limit", "300", "--method", "pca", "-o", output);
        Assert.True(r.ExitCode == 0, r.Err + r.Out);
        Assert.Equal(4 * 14 * 14, File.ReadLines(Path.Combine(output, "tensors.tsv")).First().Split('\t').Length);
        Assert.Equal(300, File.ReadAllLines(Path.Combine(output, "embedding.tsv")).Length);
        // The data's images make the Projector's sprite; the data's labels the metadata (the IDX test labels start 9, 2, 1).
        Assert.True(File.Exists(Path.Combine(output, "sprite.png")));
        Assert.Equal(["9", "2", "1"], File.ReadLines(Path.Combine(output, "metadata.tsv")).Skip(1).Take(3).Select(l => l.Split('\t')[0]));
    }

    [Fact]
    public void BadDataLayerAndOptionCombinationsFailWithAClearMessage()
    {
        using var tmp = new TempFolder();
        string run = TrainDigits(tmp), output = tmp.Sub("x");
        var width = CliRunner.Run("embed", run, "--layer", "dense_1", "--data", "/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv", "-o", output);
        Assert.Equal(1, width.ExitCode);
        Assert.Contains("error: The data has 4 values per row but the network takes 64", width.Err);
        var layer = CliRunner.Run("embed", run, "--layer", "dense_9", "--data", Digits, "-o", output);
        Assert.Equal(1, layer.ExitCode);
        Assert.Contains("no layer is named 'dense_9'", layer.Err);
        var few = CliRunner.Run("embed", run, "--layer", "dense_1", "--data", Digits, "--limit", "1", "-o", output);
        Assert.Equal(1, few.ExitCode);
        Assert.Contains("at least 2 are needed", few.Err);
        // Usage errors (exit 2): --animate without a run, with --step, --frames without --animate, a bad --frames.
        Assert.Equal(2, CliRunner.Run("embed", "--input", Digits, "--animate", "-o", output).ExitCode);
        Assert.Equal(2, CliRunner.Run("embed", run, "--layer", "dense_1", "--animate", "--step", "0", "-o", output).ExitCode);
        Assert.Equal(2, CliRunner.Run("embed", run, "--layer", "dense_1", "--frames", "3", "-o", output).ExitCode);
        Assert.Equal(2, CliRunner.Run("embed", run, "--layer", "dense_1", "--animate", "--frames", "0", "-o", output).ExitCode);
        Assert.False(Directory.Exists(output));
    }
}
