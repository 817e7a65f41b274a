using NeuroCore.Data;
using NeuroCore.Embeddings;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Snapshots;
using NeuroCore.Training;
using NeuroCore.Visualization.Embeddings;
using NeuroCore.Visualization.Runs;

namespace NeuroCore.Visualization.Tests.Embeddings;

/// <summary>
/// A run's layer over more than its probe batch (the network rebuilt at a snapshot and run over scikit-learn's
/// digits) and across snapshots (frames), on a small run trained here: the values are the network's, the
/// labels the data's, and bad data or layer names get clear errors.
/// </summary>
public class RunLayerEmbeddingTests
{
    private static string DigitsCsv => Path.Combine(SklearnDatasets.DefaultDirectory, "digits.csv.gz");

    /// <summary>64-32-10 ReLU MLP on the digits for 2 epochs with Adam, snapshots every 20 steps, a probe of 24.</summary>
    private static string Train(TempDir dir)
    {
        var digits = SklearnDatasets.LoadDigits().Data;
        var model = new Sequential(new Linear(64, 32, generator: new Generator(1)), new ReLU(), new Linear(32, 10, generator: new Generator(2)));
        var folder = dir.File("digits");
        var recorder = new SnapshotRecorder(folder, new SnapshotRecorderOptions
        {
            Schedule = SnapshotSchedule.Every(20),
            Probe = ProbeBatch.FromDataset(digits, 24, 0),
            Dataset = new DatasetInfo { Name = "digits", Count = digits.Count, InputShape = [64], Classes = 10 },
        });
        // Trained on the raw pixel values 0..16, which is also how EmbeddingFiles reads the CSV below.
        new Trainer(model, new Adam(model.Parameters(), 0.01f)).With(recorder).Fit(new DataLoader(digits, 64, shuffle: true, seed: 0), 2);
        return folder;
    }

    [Fact]
    public void AModelPlusDataEmbedsTheDataSetsRowsThroughTheRecordedNetwork()
    {
        ExternalTools.Require(File.Exists(DigitsCsv), $"scikit-learn's digits data ({DigitsCsv})", SklearnDatasets.InstallHint);
        using var dir = new TempDir();
        var run = RunModel.Open(Train(dir));
        var data = EmbeddingFiles.Read(DigitsCsv).Take(500);
        var source = RunLayerEmbedding.FromData(run, "dense_1", data, cancellation: TestContext.Current.CancellationToken);
        // dense_1 is drawn after its ReLU: 32 values per digit, the data's labels.
        Assert.Equal(500, source.Input.Count);
        Assert.Equal(32, source.Input.Dimensions);
        Assert.Equal(data.Labels, source.Labels);
        Assert.Contains("over digits.csv.gz (500 rows)", source.Description);
        // The values are the latest snapshot's network's: compare row 7 with a forward pass of RunModel.LoadNetwork.
        var net = run.LoadNetwork(run.Steps.Count - 1);
        Tensor expected;
        using (NeuroCore.Autograd.GradMode.NoGrad()) expected = net[1].Call(net[0].Call(Tensor.FromArray(data.Input.Row(7).ToArray(), 1, 64)));
        // (A batch of 256 rows and a batch of one sum in other orders: equal to float rounding.)
        var want = expected.ToArray();
        var got = source.Input.Row(7).ToArray();
        for (int k = 0; k < want.Length; k++) Assert.Equal(want[k], got[k], 1e-5 * (1 + Math.Abs(want[k])));
        // A real signal: the trained layer separates the digits (leave-one-out kNN accuracy in a PCA of the layer).
        var view = EmbeddingPipeline.Run(source, new EmbedSettings { Method = "pca", Dimensions = 3 }, cancellation: TestContext.Current.CancellationToken);
        Assert.True(view.Metrics["knnAccuracy"] > 0.6, $"kNN accuracy {view.Metrics["knnAccuracy"]}");
        // An earlier snapshot gives other values (the same rows through other weights).
        var first = RunLayerEmbedding.FromData(run, "1", data, step: run.Steps[0], cancellation: TestContext.Current.CancellationToken);
        Assert.NotEqual(first.Input.Data, source.Input.Data);
    }

    [Fact]
    public void OnARealRunWarmStartedFramesMoveLessThanIndependentOnes()
    {
        ExternalTools.Require(File.Exists(DigitsCsv), $"scikit-learn's digits data ({DigitsCsv})", SklearnDatasets.InstallHint);
        using var dir = new TempDir();
        var run = RunModel.Open(Train(dir));
        var data = EmbeddingFiles.Read(DigitsCsv).Take(400);
        var steps = RunLayerEmbedding.PickSteps(run, 5);
        var ct = TestContext.Current.CancellationToken;
        // dense_1 over the same 400 digits through each snapshot's network.
        var rows = steps.Select(s => RunLayerEmbedding.FromData(run, "dense_1", data, s, ct).Input).ToList();
        var tsne = new TsneOptions { Dimensions = 2, Iterations = 500, Seed = 1 };
        var warm = EmbeddingAnimation.Compute(steps, f => rows[f], new EmbeddingAnimationOptions { Tsne = tsne, Cancellation = ct });
        var independent = EmbeddingAnimation.Compute(steps, f => rows[f], new EmbeddingAnimationOptions { Tsne = tsne, WarmStart = false, Cancellation = ct });
        double w = warm.Frames.Skip(1).Average(f => f.Displacement), i = independent.Frames.Skip(1).Average(f => f.Displacement);
        TestContext.Current.SendDiagnosticMessage($"real run, 400 digits, {steps.Length} frames: warm {w:F3}, independent {i:F3}");
        // Measured 2026-12-04 (steps 0, 20, 40, 58): warm 0.55, 0.16, 0.09 against independent 0.89, 0.25, 0.41 (mean 0.27 / 0.52).
        // The first step changes the layer most (random weights to trained), so every frame must move there; the bound leaves room.
        Assert.True(w < 0.75 * i, $"warm-started frames moved {w:F3} (RMS / radius), independent ones {i:F3}");
        // And the shorter schedule still converges: each warm frame's KL within 0.1 of its independent full run's.
        for (int f = 1; f < steps.Length; f++)
            Assert.True(warm.Frames[f].KlDivergence < independent.Frames[f].KlDivergence + 0.1,
                $"step {steps[f]}: KL {warm.Frames[f].KlDivergence:F3} warm against {independent.Frames[f].KlDivergence:F3} independent");
    }

    [Fact]
    public void BadDataLayersAndStepsAreClearErrors()
    {
        ExternalTools.Require(File.Exists(DigitsCsv), $"scikit-learn's digits data ({DigitsCsv})", SklearnDatasets.InstallHint);
        using var dir = new TempDir();
        var run = RunModel.Open(Train(dir));
        var iris = EmbeddingFiles.Read(Path.Combine(SklearnDatasets.DefaultDirectory, "iris.csv"));
        var ct = TestContext.Current.CancellationToken;
        Assert.Contains("4 values per row but the network takes 64", Assert.Throws<ArgumentException>(() => RunLayerEmbedding.FromData(run, "dense_1", iris, cancellation: ct)).Message);
        var digits = EmbeddingFiles.Read(DigitsCsv);
        var layer = Assert.Throws<ArgumentException>(() => RunLayerEmbedding.FromData(run, "dense_7", digits, cancellation: ct)).Message;
        Assert.Contains("no layer is named 'dense_7'", layer);
        Assert.Contains("dense_1 (= module 1)", layer);
        Assert.Contains("input", Assert.Throws<ArgumentException>(() => RunLayerEmbedding.FromData(run, "input", digits, cancellation: ct)).Message);
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => RunLayerEmbedding.FromData(run, "dense_1", digits.Take(1), cancellation: ct)).Message);
        Assert.Contains("no snapshot at step 3", Assert.Throws<ArgumentException>(() => RunLayerEmbedding.FromData(run, "dense_1", digits, step: 3, cancellation: ct)).Message);
        // t-SNE on too few rows says how many it needs.
        var few = RunLayerEmbedding.FromData(run, "dense_1", digits.Take(40), cancellation: ct);
        Assert.Contains("at least 91 points", Assert.Throws<ArgumentException>(() => EmbeddingPipeline.Run(few, new EmbedSettings(), cancellation: ct)).Message);
    }

    [Fact]
    public void FramesAcrossSnapshotsOfTheProbeAndOfDataAreWrittenWithTheirIndex()
    {
        ExternalTools.Require(File.Exists(DigitsCsv), $"scikit-learn's digits data ({DigitsCsv})", SklearnDatasets.InstallHint);
        using var dir = new TempDir();
        var run = RunModel.Open(Train(dir));
        var steps = RunLayerEmbedding.PickSteps(run, 4);
        Assert.Equal(4, steps.Length);
        Assert.Equal(run.Steps[0], steps[0]);
        Assert.Equal(run.Steps[^1], steps[^1]);
        var ct = TestContext.Current.CancellationToken;
        // The probe's 24 recorded activations, PCA (aligned) frames.
        var probe = RunLayerEmbedding.Animate(run, "dense_1", steps, new EmbedSettings { Method = "pca", Dimensions = 3 }, cancellation: ct);
        Assert.Equal(4, probe.Animation.Frames.Count);
        Assert.Equal(24, probe.Animation.Count);
        Assert.Equal("1", probe.RecordedAs);
        Assert.Equal(probe.Last.Coordinates, probe.Animation.Frames[^1].Coordinates);
        // The data's 300 rows through each snapshot's network, t-SNE warm-started.
        var data = EmbeddingFiles.Read(DigitsCsv);
        var frames = RunLayerEmbedding.Animate(run, "dense_1", steps, new EmbedSettings { Method = "tsne", Dimensions = 2, Iterations = 300 }, data,
            maxPoints: 300, warmIterations: 100, cancellation: ct);
        Assert.Equal(300, frames.Animation.Count);
        Assert.Equal(data.Labels![..300], frames.Last.Source.Labels);
        Assert.All(frames.Animation.Frames.Skip(1), f => Assert.Equal(100, f.Iterations));
        var written = EmbeddingFramesFiles.Write(frames, dir.Path);
        Assert.Equal(5, written.Count);
        var index = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "frames", "frames.json"))).RootElement;
        Assert.Equal("neurocore-embedding-frames", index.GetProperty("format").GetString());
        var listed = index.GetProperty("frames").EnumerateArray().ToList();
        Assert.Equal(steps, listed.Select(f => f.GetProperty("step").GetInt64()));
        for (int f = 0; f < listed.Count; f++)
        {
            var lines = File.ReadAllLines(Path.Combine(dir.Path, "frames", listed[f].GetProperty("file").GetString()!));
            Assert.Equal(300, lines.Length);
            var first = lines[0].Split('\t').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            // embedding.tsv's 7 significant digits.
            for (int a = 0; a < 2; a++) Assert.Equal(frames.Animation.Frames[f].Coordinates[a], first[a], 1e-6 * (1 + Math.Abs(first[a])));
        }
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "frames"), "*.tmp"));
        // Steps must ascend and exist.
        Assert.Contains("ascend", Assert.Throws<ArgumentException>(() => RunLayerEmbedding.Animate(run, "dense_1", [steps[1], steps[0]], new EmbedSettings { Method = "pca" }, cancellation: ct)).Message);
        Assert.Contains("no snapshot at step 3", Assert.Throws<ArgumentException>(() => RunLayerEmbedding.Animate(run, "dense_1", [3], new EmbedSettings { Method = "pca" }, cancellation: ct)).Message);
    }
}
