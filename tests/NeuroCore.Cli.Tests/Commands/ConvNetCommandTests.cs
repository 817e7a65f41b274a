using System.Text.Json;
using NeuroCore.Snapshots;
using SkiaSharp;
using Xunit;

namespace NeuroCore.Cli.Tests.Commands;

/// <summary>Issue 13: the spec'd CNN trained from the CLI on scikit-learn's digits, its held-out figures, its video, bad layer specs.</summary>
public class ConvNetCommandTests
{
    private const string Digits = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";

    [Fact]
    public void TheSpeccedCnnReaches97PercentHeldOutOnDigitsAndItsVideoHasItsPanels()
    {
        ExternalTools.Require(File.Exists(Digits), "scikit-learn's digits", "sudo apt-get install python3-sklearn");
        using var tmp = new TempFolder();
        string run = tmp.Sub("cnn");
        // 12 epochs of 45 steps (1,438 training images, 359 held out by the seeded split): a few seconds.
        var r = CliRunner.Run("train", "--dataset", "digits", "--layers", "conv16k3,pool2,conv32k3,pool2,dense64", "--epochs", "12",
            "--snapshot-every", "60", "--seed", "0", "-o", run);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("359 held out", r.Err);
        Assert.Equal(12, r.Out.Split('\n').Count(l => l.StartsWith("epoch ", StringComparison.Ordinal) && l.Contains("held-out loss")));
        var opened = TrainingRun.Open(run);
        var summary = opened.LoadSummary()!;
        Assert.True(summary.FinalValidationAccuracy >= 0.97, $"held-out accuracy {summary.FinalValidationAccuracy:P1} < 97 %");
        Assert.True(summary.FinalValidationLoss is > 0 and < 0.3, $"held-out loss {summary.FinalValidationLoss}");
        // Every snapshot after the first epoch carries the held-out figures of the last completed epoch.
        var later = opened.Snapshots.Where(s => s.Epoch >= 1).ToList();
        Assert.NotEmpty(later);
        Assert.All(later, s => Assert.InRange(s.Metrics[SnapshotRecorder.ValidationAccuracyMetric], 0.5, 1.0));
        Assert.Equal(359, opened.Manifest.Dataset!.Details["validationCount"].GetInt32());

        // The glTF scene's snapshot group carries the held-out figures too.
        string glb = Path.Combine(tmp.Path, "cnn.glb");
        var g = CliRunner.Run("export", "gltf", run, "-o", glb);
        Assert.True(g.ExitCode == 0, g.Err);
        var group = SharpGLTF.Schema2.ModelRoot.Load(glb).LogicalNodes.Single(n => n.Name == $"step_{opened.Snapshots[^1].Step}");
        Assert.Equal(summary.FinalValidationAccuracy!.Value, group.Extras!["metrics"]![SnapshotRecorder.ValidationAccuracyMetric]!.GetValue<double>(), 5);

        string frames = Path.Combine(tmp.Path, "frames") + "/";
        var v = CliRunner.Run("render", run, "-o", frames, "--fps", "4", "--duration", "2", "--width", "640", "--height", "360");
        Assert.True(v.ExitCode == 0, v.Err);
        var files = Directory.GetFiles(frames, "frame_*.png").Order().ToArray();
        Assert.Equal(8, files.Length);
        using var first = SKBitmap.Decode(files[0]);
        using var last = SKBitmap.Decode(files[^1]);
        Assert.Equal((640, 360), (last.Width, last.Height));
        // The right column (probe, bars, filters) and the feature-map band are drawn, and training changed them.
        Assert.True(Colours(last, 400, 10, 630, 200) > 20, "probe/filters column is blank");
        Assert.True(Colours(last, 10, 205, 630, 285) > 20, "feature-map band is blank");
        Assert.True(Difference(first, last, 400, 140, 630, 200) > 0.02, "the filters did not change over training");
    }

    [Theory]
    [InlineData("16,conv8k3", "digits", "--layers 16,conv8k3: conv8k3 comes after a dense layer; convolutions and pooling come first")]
    [InlineData("conv8k3,pool16", "digits", "--layers conv8k3,pool16: pool16 needs a window between 2 and the image's size (8×8 at that point)")]
    [InlineData("pool2,pool2,pool2,pool2", "digits", "pool2 needs a window between 2 and the image's size (1×1 at that point)")]
    [InlineData("conv0k3", "digits", "--layers conv0k3: conv0k3 needs 1 to 1,024 channels")]
    [InlineData("conv8k17", "digits", "conv8k17 needs an odd kernel between 1 and 15")]
    [InlineData("conv8k3", "iris", "convolution and pooling need an image dataset (digits or fashion-mnist), not iris")]
    [InlineData("conv8", "digits", "--layers expects comma-separated layers such as 16,16 or conv16k3,pool2,dense64, got 'conv8'")]
    public void BadLayerSpecsAreUsageErrorsNamingTheLayer(string layers, string dataset, string message)
    {
        var r = CliRunner.Run("train", "--dataset", dataset, "--layers", layers, "-o", "never-written");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Err);
        Assert.False(Directory.Exists("never-written"));
    }

    [Fact]
    public void AHeldOutFractionOutOfRangeIsAUsageError()
    {
        var r = CliRunner.Run("train", "--dataset", "digits", "--validation", "0.95", "-o", "never-written");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--validation", r.Err);
    }

    [Fact]
    public void ASpecFileSetsTheHeldOutFraction()
    {
        using var tmp = new TempFolder();
        string spec = Path.Combine(tmp.Path, "spec.json");
        File.WriteAllText(spec, JsonSerializer.Serialize(new { dataset = "moons", samples = 100, epochs = 2, layers = new[] { 8 }, validation = 0.25 }));
        var r = CliRunner.Run("train", "--spec", spec, "-o", tmp.Sub("moons"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("75 examples, 25 held out", r.Err);
        Assert.Contains("held-out accuracy", r.Out);
    }

    private static int Colours(SKBitmap b, int x0, int y0, int x1, int y1)
    {
        var seen = new HashSet<uint>();
        for (int y = y0; y < y1; y += 2)
            for (int x = x0; x < x1; x += 2)
            {
                var c = b.GetPixel(x, y);
                seen.Add((uint)(c.Red >> 3) << 10 | (uint)(c.Green >> 3) << 5 | (uint)(c.Blue >> 3));
            }
        return seen.Count;
    }

    private static double Difference(SKBitmap a, SKBitmap b, int x0, int y0, int x1, int y1)
    {
        double sum = 0;
        int n = 0;
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++, n++)
            {
                SKColor p = a.GetPixel(x, y), q = b.GetPixel(x, y);
                sum += (Math.Abs(p.Red - q.Red) + Math.Abs(p.Green - q.Green) + Math.Abs(p.Blue - q.Blue)) / (3 * 255.0);
            }
        return sum / n;
    }
}
