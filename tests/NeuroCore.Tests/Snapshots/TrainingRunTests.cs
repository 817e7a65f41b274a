using System.Text;
using NeuroCore.Autograd;
using NeuroCore.Snapshots;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Snapshots;

public class TrainingRunTests
{
    [Fact]
    public void RecordedRunRoundTripsManifestIndexAndTensors()
    {
        using var tmp = SnapshotFixture.Temp();
        var model = SnapshotFixture.Model();
        var probe = SnapshotFixture.Probe();
        var recorder = new SnapshotRecorder(tmp.Run, new SnapshotRecorderOptions
        {
            Probe = probe,
            Dataset = new DatasetInfo { Name = "toy", Count = 2, InputShape = [3], Classes = 2 },
            HyperParameters = new Dictionary<string, object?> { ["optimizer"] = "sgd", ["learningRate"] = 0.1, ["epochs"] = 3 },
        });
        recorder.Capture(model, 0, 0, learningRate: 0.1);
        float loss = SnapshotFixture.Step(model);
        var expectedWeight = model.StateDict()["2.weight"].ToArray();
        var expectedNorm = (float)Math.Sqrt(model.StateDict()["0.weight"].Grad!.ToArray().Sum(v => (double)v * v));
        Tensor expectedOutput;
        using (GradMode.NoGrad()) expectedOutput = model.Call(probe.Inputs);
        recorder.Capture(model, 1, 0, loss, new Dictionary<string, double> { ["accuracy"] = 0.5 }, 0.1);

        var run = TrainingRun.Open(tmp.Run);
        Assert.Empty(run.Warnings);
        var m = run.Manifest;
        Assert.Equal(SnapshotFormat.Name, m.Format);
        Assert.Equal(SnapshotFormat.Version, m.Version);
        Assert.Equal("Sequential", m.Architecture.TypeName);
        Assert.Equal(12, m.Architecture.ParameterCount);
        Assert.Equal(["0", "1", "2"], m.Architecture.Layers.Select(l => l.Name));
        Assert.Equal(["ScaleShift", "Sigmoid", "ScaleShift"], m.Architecture.Layers.Select(l => l.TypeName));
        var first = m.Architecture.Layers[0];
        Assert.Equal(3, first.Config["features"].GetInt32());
        Assert.Equal(["0.weight", "0.bias"], first.Parameters.Select(p => p.Name));
        Assert.Equal([3], first.Parameters[0].Shape);
        Assert.False(first.IsActivation);
        Assert.Equal("sigmoid", first.Activation?.Name); // the activation that follows it
        Assert.True(m.Architecture.Layers[1].IsActivation);
        Assert.Null(m.Architecture.Layers[2].Activation);
        Assert.Equal([3], m.Architecture.Layers[2].OutputShape!);
        Assert.Equal("toy", m.Dataset!.Name);
        Assert.Equal("sgd", m.HyperParameters["optimizer"].GetString());
        Assert.Equal(3, m.HyperParameters["epochs"].GetInt32());
        Assert.Equal([1L, 0L], m.Probe!.Labels!);

        Assert.Equal([0, 1], run.Snapshots.Select(s => s.Step));
        var e = run.Snapshots[1];
        Assert.Equal(loss, e.Loss!.Value, 6);
        Assert.Equal(0.1, e.LearningRate!.Value, 6);
        Assert.Equal(0.5, e.Metrics["accuracy"]);
        Assert.Equal("snapshots/step-000001.safetensors", e.File);
        Assert.Null(run.Snapshots[0].Loss);

        var snap = run.LoadSnapshot(1);
        TensorAssert.Close(expectedWeight, snap.Parameters["2.weight"], 0, 0);
        Assert.Equal(expectedNorm, snap.GradientNorms["0.weight"], 5);
        Assert.Empty(snap.Gradients); // norms only by default
        TensorAssert.Close(expectedOutput.ToArray(), snap.Activations["2"], 1e-6, 1e-7);
        TensorAssert.ShapeIs(snap.Activations["1"], 2, 3);
        Assert.Empty(run.LoadSnapshot(0).GradientNorms); // nothing had gradients before the first step

        var p = run.LoadProbe()!;
        TensorAssert.Close(probe.Inputs.ToArray(), p.Inputs, 0, 0);
        Assert.Equal([1L, 0L], p.Labels!.ToLongArray());
    }

    [Fact]
    public void Float16StorageIsSmallerAndCloseToTheFloat32Values()
    {
        using var tmp32 = SnapshotFixture.Temp();
        using var tmp16 = SnapshotFixture.Temp();
        var model = SnapshotFixture.Model();
        SnapshotFixture.Step(model);
        new SnapshotRecorder(tmp32.Run, new() { Probe = SnapshotFixture.Probe(), Gradients = GradientRecording.Full }).Capture(model, 1, 0);
        new SnapshotRecorder(tmp16.Run, new()
        {
            Probe = SnapshotFixture.Probe(), Gradients = GradientRecording.Full,
            ParameterPrecision = SnapshotPrecision.Float16, ActivationPrecision = SnapshotPrecision.Float16,
        }).Capture(model, 1, 0);

        var full = TrainingRun.Open(tmp32.Run);
        var half = TrainingRun.Open(tmp16.Run);
        Assert.Equal(SnapshotPrecision.Float16, half.Manifest.Storage.Parameters);
        Assert.True(half.Snapshots[0].Bytes < full.Snapshots[0].Bytes, $"{half.Snapshots[0].Bytes} vs {full.Snapshots[0].Bytes}");
        var a = full.LoadSnapshot(1);
        var b = half.LoadSnapshot(1);
        foreach (var (name, t) in a.Parameters)
            TensorAssert.Close(t.ToArray(), b.Parameters[name], 1e-3, 1e-4, name); // half keeps ~11 significant bits
        foreach (var (name, t) in a.Activations)
            TensorAssert.Close(t.ToArray(), b.Activations[name], 1e-3, 1e-4, name);
        foreach (var (name, t) in a.Gradients)
            TensorAssert.Close(t.ToArray(), b.Gradients[name], 1e-3, 1e-4, name);
        // Norms are always computed from the float32 gradient.
        Assert.Equal(a.GradientNorms["0.weight"], b.GradientNorms["0.weight"]);
    }

    [Fact]
    public void FullGradientsMatchTheParametersGradients()
    {
        using var tmp = SnapshotFixture.Temp();
        var model = SnapshotFixture.Model();
        SnapshotFixture.Step(model);
        var want = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Grad!.ToArray());
        new SnapshotRecorder(tmp.Run, new() { Gradients = GradientRecording.Full }).Capture(model, 1, 0);
        var snap = TrainingRun.Open(tmp.Run).LoadSnapshot(1);
        Assert.Equal(want.Keys.Order(), snap.Gradients.Keys.Order());
        foreach (var (name, g) in want) TensorAssert.Close(g, snap.Gradients[name], 0, 0, name);
        Assert.Empty(snap.Activations); // no probe given
    }

    [Fact]
    public void ProbeRunsInEvalModeWithoutGradAndRestoresTrainingMode()
    {
        using var tmp = SnapshotFixture.Temp();
        var spy = new ModeSpy();
        var model = new NeuroCore.NN.Sequential(new ScaleShift(3, 1), spy);
        model.Train();
        new SnapshotRecorder(tmp.Run, new() { Probe = SnapshotFixture.Probe() }).Capture(model, 0, 0);
        Assert.False(spy.SawTraining);
        Assert.False(spy.SawGradEnabled);
        Assert.True(model.IsTraining);
        Assert.True(spy.IsTraining);
        Assert.True(GradMode.IsEnabled);

        model.Eval();
        new SnapshotRecorder(tmp.Path + "/second", new() { Probe = SnapshotFixture.Probe() }).Capture(model, 0, 0);
        Assert.False(model.IsTraining); // an eval-mode model stays in eval mode
    }

    [Fact]
    public void RefreshFollowsARunWhileItIsWrittenAndIgnoresAnIncompleteLastLine()
    {
        using var tmp = SnapshotFixture.Temp();
        var model = SnapshotFixture.Model();
        var recorder = new SnapshotRecorder(tmp.Run);
        recorder.Capture(model, 0, 0);
        var run = TrainingRun.Open(tmp.Run);
        Assert.Single(run.Snapshots);
        Assert.False(run.IsFinished);

        recorder.Capture(model, 5, 0, 1.0);
        recorder.Capture(model, 10, 1, 0.5);
        Assert.Equal(2, run.Refresh());
        Assert.Equal([0, 5, 10], run.Snapshots.Select(s => s.Step));
        Assert.Equal(0, run.Refresh());

        // A writer caught mid-line: the reader must not consume (or warn about) the partial line.
        string index = Path.Combine(tmp.Run, SnapshotFormat.IndexFileName);
        recorder.Capture(model, 15, 1, 0.25);
        var lines = File.ReadAllText(index);
        string last = lines.TrimEnd('\n').Split('\n')[^1] + "\n";
        File.WriteAllText(index, lines[..^last.Length] + last[..20]);
        Assert.Equal(0, run.Refresh());
        Assert.True(run.HasIncompleteIndexLine);
        File.AppendAllText(index, last[20..]);
        Assert.Equal(1, run.Refresh());
        Assert.False(run.HasIncompleteIndexLine);
        Assert.Equal(15, run.Latest!.Step);
        Assert.Empty(run.Warnings);

        recorder.Complete();
        Assert.True(run.IsFinished);
    }

    [Fact]
    public void TornIndexLineMissingAndTruncatedSnapshotFilesAreSkippedWithWarnings()
    {
        using var tmp = SnapshotFixture.Temp();
        var model = SnapshotFixture.Model();
        var recorder = new SnapshotRecorder(tmp.Run);
        foreach (int step in new[] { 0, 1, 2, 3, 4 }) recorder.Capture(model, step, 0, step);
        string index = Path.Combine(tmp.Run, SnapshotFormat.IndexFileName);
        var lines = File.ReadAllLines(index);
        lines[1] = lines[1][..(lines[1].Length / 2)]; // torn line (a complete line follows it)
        File.WriteAllLines(index, lines);
        File.Delete(Path.Combine(tmp.Run, SnapshotFormat.SnapshotFileName(2)));
        string truncated = Path.Combine(tmp.Run, SnapshotFormat.SnapshotFileName(3));
        using (var fs = new FileStream(truncated, FileMode.Open)) fs.SetLength(fs.Length - 7);

        var run = TrainingRun.Open(tmp.Run);
        Assert.Equal([0, 4], run.Snapshots.Select(s => s.Step));
        Assert.Equal(3, run.Warnings.Count);
        Assert.Contains(run.Warnings, w => w.Contains("index.jsonl: line 2 is torn or corrupt"));
        Assert.Contains(run.Warnings, w => w.Contains("step-000002.safetensors") && w.Contains("missing"));
        Assert.Contains(run.Warnings, w => w.Contains("step-000003.safetensors") && w.Contains("truncated"));
        Assert.Equal(4.0, run.LoadSnapshot(4).Entry.Loss);
    }

    [Fact]
    public void LoadingATruncatedOrCorruptSnapshotFileThrowsNamingTheFile()
    {
        using var tmp = SnapshotFixture.Temp();
        var model = SnapshotFixture.Model();
        var recorder = new SnapshotRecorder(tmp.Run);
        recorder.Capture(model, 0, 0);
        recorder.Capture(model, 1, 0);
        var run = TrainingRun.Open(tmp.Run);

        string f0 = Path.Combine(tmp.Run, SnapshotFormat.SnapshotFileName(0));
        using (var fs = new FileStream(f0, FileMode.Open)) fs.SetLength(fs.Length - 4);
        var e = Assert.Throws<SnapshotFormatException>(() => run.LoadSnapshot(0));
        Assert.Contains("step-000000.safetensors", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("tensor 'param/2.bias'", e.Message); // the last tensor, the one the cut went through
        Assert.IsType<InvalidDataException>(e.InnerException);

        string f1 = Path.Combine(tmp.Run, SnapshotFormat.SnapshotFileName(1));
        var bytes = File.ReadAllBytes(f1);
        bytes[10] = (byte)'#';
        File.WriteAllBytes(f1, bytes);
        e = Assert.Throws<SnapshotFormatException>(() => run.LoadSnapshot(1));
        Assert.Contains("step-000001.safetensors", e.Message);
        Assert.Contains("not a valid safetensors file", e.Message);
        Assert.Contains("'#_metadata__'", e.Message); // the damaged header key

        File.WriteAllBytes(f1, [1, 2, 3]);
        e = Assert.Throws<SnapshotFormatException>(() => run.LoadSnapshot(1));
        Assert.Contains("too short for the 8-byte header", e.Message);
    }

    [Fact]
    public void UnknownStepNamesTheStepAndWhatTheRunHas()
    {
        using var tmp = SnapshotFixture.Temp();
        var model = SnapshotFixture.Model();
        var recorder = new SnapshotRecorder(tmp.Run);
        recorder.Capture(model, 0, 0);
        recorder.Capture(model, 10, 0);
        var run = TrainingRun.Open(tmp.Run);
        var e = Assert.Throws<KeyNotFoundException>(() => run.LoadSnapshot(7));
        Assert.Contains("no snapshot at step 7", e.Message);
        Assert.Contains("between steps 0 and 10", e.Message);
        Assert.Contains("nearest: 0, 10", e.Message);
        Assert.False(run.TryGetEntry(7, out _));
    }

    [Theory]
    [InlineData("{ not json", "corrupt manifest: not valid JSON")]
    [InlineData("[1, 2]", "corrupt manifest: not a JSON object")]
    [InlineData("{\"format\": \"something-else\", \"version\": 1}", "unknown format \"something-else\"")]
    [InlineData("{\"version\": 1}", "not a NeuroCore training run")]
    [InlineData("{\"format\": \"neurocore.training-run\", \"version\": 99, \"architecture\": {}}", "format version 99 is newer than this NeuroCore reads (up to 2)")]
    [InlineData("{\"format\": \"neurocore.training-run\", \"version\": \"one\"}", "\"version\" must be a positive integer")]
    [InlineData("{\"format\": \"neurocore.training-run\", \"version\": 1}", "corrupt manifest: missing \"architecture\"")]
    [InlineData("", "corrupt manifest: not valid JSON")]
    public void BadManifestsGiveClearErrorsNamingTheFile(string manifest, string expected)
    {
        using var tmp = SnapshotFixture.Temp();
        Directory.CreateDirectory(tmp.Run);
        File.WriteAllText(Path.Combine(tmp.Run, "manifest.json"), manifest, new UTF8Encoding(false));
        var e = Assert.Throws<SnapshotFormatException>(() => TrainingRun.Open(tmp.Run));
        Assert.Contains(expected, e.Message);
        Assert.EndsWith("manifest.json", e.FilePath);
        Assert.StartsWith(e.FilePath + ": ", e.Message);
    }

    [Fact]
    public void MissingFolderOrManifestIsAClearError()
    {
        using var tmp = SnapshotFixture.Temp();
        var e1 = Assert.Throws<DirectoryNotFoundException>(() => TrainingRun.Open(Path.Combine(tmp.Path, "nope")));
        Assert.Contains("nope: run folder does not exist", e1.Message);
        var e2 = Assert.Throws<SnapshotFormatException>(() => TrainingRun.Open(tmp.Path));
        Assert.Contains("manifest.json: missing", e2.Message);
    }

    [Fact]
    public void UnknownFieldsAndTensorsFromNewerWritersAreIgnored()
    {
        using var tmp = SnapshotFixture.Temp();
        var model = SnapshotFixture.Model();
        new SnapshotRecorder(tmp.Run).Capture(model, 3, 0, 1.5);
        string manifest = Path.Combine(tmp.Run, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"version\": 1,", "\"version\": 1, \"futureField\": {\"x\": 1},"));
        string index = Path.Combine(tmp.Run, "index.jsonl");
        File.WriteAllText(index, File.ReadAllText(index).Replace("\"step\":3,", "\"step\":3,\"futureField\":[1,2],"));
        var run = TrainingRun.Open(tmp.Run);
        Assert.Empty(run.Warnings);
        Assert.Equal(1.5, run.LoadSnapshot(3).Entry.Loss);
    }

    [Fact]
    public void NonFiniteLossesRoundTrip()
    {
        using var tmp = SnapshotFixture.Temp();
        var model = SnapshotFixture.Model();
        var recorder = new SnapshotRecorder(tmp.Run);
        recorder.Capture(model, 1, 0, double.NaN, new Dictionary<string, double> { ["grad_max"] = double.PositiveInfinity });
        var run = TrainingRun.Open(tmp.Run);
        Assert.True(double.IsNaN(run.Snapshots[0].Loss!.Value));
        Assert.Equal(double.PositiveInfinity, run.Snapshots[0].Metrics["grad_max"]);
    }

    [Fact]
    public void RecorderRefusesToOverwriteAnExistingRunUnlessAsked()
    {
        using var tmp = SnapshotFixture.Temp();
        var model = SnapshotFixture.Model();
        // The first recorder is done with the folder (a live one holds it: see RunFolderExclusivityTests).
        using (var first = new SnapshotRecorder(tmp.Run)) first.Capture(model, 0, 0);
        var e = Assert.Throws<IOException>(() => new SnapshotRecorder(tmp.Run).Capture(model, 0, 0));
        Assert.Contains("already holds a training run", e.Message);

        var again = new SnapshotRecorder(tmp.Run, new() { Overwrite = true });
        again.Capture(model, 7, 0);
        Assert.Equal([7], TrainingRun.Open(tmp.Run).Snapshots.Select(s => s.Step));
    }

    [Fact]
    public void CapturingTheSameStepTwiceWritesOneSnapshot()
    {
        using var tmp = SnapshotFixture.Temp();
        var model = SnapshotFixture.Model();
        var recorder = new SnapshotRecorder(tmp.Run);
        Assert.NotNull(recorder.Capture(model, 4, 0));
        Assert.Null(recorder.Capture(model, 4, 0));
        Assert.Single(TrainingRun.Open(tmp.Run).Snapshots);
    }

    [Fact]
    public void NoTemporaryFilesRemainAfterWriting()
    {
        using var tmp = SnapshotFixture.Temp();
        var model = SnapshotFixture.Model();
        var recorder = new SnapshotRecorder(tmp.Run, new() { Probe = SnapshotFixture.Probe() });
        recorder.Capture(model, 0, 0);
        recorder.Complete();
        Assert.Empty(Directory.GetFiles(tmp.Run, "*.tmp", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(tmp.Run, "probe.safetensors")));
    }

    [Fact]
    public void LibraryLayersGetTheirActivationNamesAndConfig()
    {
        using var tmp = SnapshotFixture.Temp();
        var model = new NeuroCore.NN.Sequential(
            new NeuroCore.NN.Linear(3, 4), new NeuroCore.NN.GELU(GeluApproximation.Tanh),
            new NeuroCore.NN.Linear(4, 4), new NeuroCore.NN.LeakyReLU(0.2f),
            new NeuroCore.NN.Linear(4, 2), new NeuroCore.NN.LogSoftmax());
        new SnapshotRecorder(tmp.Run, new() { Probe = SnapshotFixture.Probe() }).Capture(model, 0, 0);
        var layers = TrainingRun.Open(tmp.Run).Manifest.Architecture.Layers;
        Assert.Equal(["gelu", "gelu", "leaky_relu", "leaky_relu", "log_softmax", "log_softmax"], layers.Select(l => l.Activation?.Name));
        Assert.Equal([false, true, false, true, false, true], layers.Select(l => l.IsActivation));
        Assert.Equal("tanh", layers[1].Config["approximate"].GetString());
        Assert.Equal(0.2f, layers[3].Config["negative_slope"].GetSingle());
        Assert.Equal(4, layers[0].Config["out_features"].GetInt32());
        Assert.Equal([2], layers[5].OutputShape!);
    }
}
