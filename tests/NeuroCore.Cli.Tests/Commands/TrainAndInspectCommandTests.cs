using System.Text.Json;
using NeuroCore.Snapshots;
using Xunit;

namespace NeuroCore.Cli.Tests.Commands;

public class TrainAndInspectCommandTests
{
    [Theory]
    [InlineData("leaky-relu")]
    [InlineData("leaky_relu")]
    [InlineData("LeakyReLU")]
    public void ActivationNamesAreReadByTheCoreTable(string name)
    {
        using var tmp = new TempFolder();
        string run = tmp.Sub("leaky");
        var r = CliRunner.Run("train", "--dataset", "xor", "--samples", "8", "--layers", "3", "--activation", name,
            "--epochs", "1", "--batch-size", "8", "--probe", "2", "-o", run);
        Assert.Equal(0, r.ExitCode);
        var m = TrainingRun.Open(run).Manifest;
        Assert.Equal(["Linear", "LeakyReLU", "Linear"], m.Architecture.Layers.Select(l => l.TypeName));
        Assert.Equal("leaky_relu", m.HyperParameters["activation"].GetString());
    }

    [Fact]
    public void TrainRecordsARunThatInspectDescribes()
    {
        using var tmp = new TempFolder();
        string run = tmp.Sub("spiral");
        var r = CliRunner.Run("train", "--dataset", "spiral", "--samples", "90", "--layers", "8", "--activation", "tanh",
            "--epochs", "4", "--batch-size", "30", "--snapshot-every", "5", "--probe", "6", "-o", run);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"Run written to {Path.GetFullPath(run)}", r.Out);
        Assert.Contains("train 100% 12/12", r.Err); // plain progress lines when not interactive

        var opened = TrainingRun.Open(run);
        Assert.True(opened.IsFinished);
        Assert.Empty(opened.Warnings);
        Assert.Equal([0, 5, 10, 12], opened.Snapshots.Select(s => s.Step)); // first, every 5, last
        var m = opened.Manifest;
        Assert.Equal(["Linear", "Tanh", "Linear"], m.Architecture.Layers.Select(l => l.TypeName));
        Assert.Equal("tanh", m.Architecture.Layers[0].Activation?.Name);
        Assert.Equal([3], m.Architecture.Layers[2].OutputShape!);
        Assert.Equal("spiral", m.Dataset!.Name);
        Assert.Equal(3, m.Dataset.Classes);
        Assert.Equal("adam", m.HyperParameters["optimizer"].GetString());
        Assert.Equal(6, m.Probe!.Count);
        var last = opened.LoadSnapshot(12);
        Assert.Equal([8, 2], last.Parameters["0.weight"].Shape);
        Assert.Equal([6, 8], last.Activations["1"].Shape);
        Assert.True(last.GradientNorms["2.weight"] > 0);

        var i = CliRunner.Run("inspect", run, "--steps", "--step", "5");
        Assert.Equal(0, i.ExitCode);
        Assert.Equal("", i.Err);
        Assert.Contains("Status:       finished", i.Out);
        Assert.Contains("Architecture: Sequential, 3 layers, 51 parameters", i.Out);
        Assert.Contains("in_features=2, out_features=8", i.Out);
        Assert.Contains("Snapshots:    4, steps 0–12", i.Out);
        Assert.Contains("Loss:", i.Out);
        Assert.Contains("Files:", i.Out);
        Assert.Contains("Step 5: epoch 1", i.Out);
        Assert.Contains("param 0.weight", i.Out);
        Assert.Contains("act 2", i.Out);
        Assert.DoesNotContain("Warnings", i.Out);
    }

    [Fact]
    public void SpecFileProvidesSettingsAndCommandLineOptionsWin()
    {
        using var tmp = new TempFolder();
        string spec = tmp.Sub("spec.json");
        string run = tmp.Sub("moons");
        File.WriteAllText(spec, $$"""
            { "dataset": "moons", "samples": 40, "layers": [4, 4], "optimizer": "sgd", "learningRate": 0.05,
              "epochs": 2, "batchSize": 20, "seed": 1, "snapshotSchedule": "dense-early:2:2", "float16": true,
              "gradients": "full", "output": {{JsonSerializer.Serialize(run)}} }
            """);
        var r = CliRunner.Run("train", "--spec", spec, "--seed", "7");
        Assert.Equal(0, r.ExitCode);
        var m = TrainingRun.Open(run).Manifest;
        Assert.Equal("moons", m.Dataset!.Name);
        Assert.Equal(40, m.Dataset.Count);
        Assert.Equal("sgd", m.HyperParameters["optimizer"].GetString());
        Assert.Equal(0.05, m.HyperParameters["learningRate"].GetDouble());
        Assert.Equal(7, m.HyperParameters["seed"].GetInt32()); // the command line wins over the spec
        Assert.Equal(SnapshotPrecision.Float16, m.Storage.Parameters);
        Assert.Equal(GradientRecording.Full, m.Storage.Gradients);
        Assert.Equal(5, m.Architecture.Layers.Count);
        // dense-early:2:2 over 4 steps: 0 (first), 1, 2, 4 (scheduled and last).
        Assert.Equal([0, 1, 2, 4], TrainingRun.Open(run).Snapshots.Select(s => s.Step));
    }

    [Theory]
    [InlineData("{ \"epochz\": 3 }", 1, "unknown field \"epochz\"")]
    [InlineData("{ \"epochs\": \"many\" }", 2, "spec.json: \"epochs\" expects a whole number, got \"many\"")]
    [InlineData("{ \"epochs\": 0 }", 2, "\"epochs\" in spec.json expects a whole number between 1 and 1,000,000, got 0")]
    [InlineData("{ \"batchSize\": 2147483647 }", 2, "\"batchSize\" in spec.json expects a whole number between 1 and 1,048,576, got 2147483647")]
    [InlineData("{ \"layers\": [30000, 30000] }", 2, "\"layers\" in spec.json 30000,30000 gives a network of 900,210,003 parameters")]
    [InlineData("{ \"float16\": \"perhaps\" }", 2, "spec.json: \"float16\" expects true or false, got \"perhaps\"")]
    [InlineData("{ nope", 1, "the spec file is not valid JSON")]
    [InlineData("[1]", 1, "the spec must be a JSON object")]
    public void BadSpecFilesAreOneLineErrors(string content, int exitCode, string message)
    {
        using var tmp = new TempFolder();
        string spec = tmp.Sub("spec.json");
        File.WriteAllText(spec, content);
        var r = CliRunner.Run("train", "--spec", spec, "-o", tmp.Sub("run"));
        Assert.Equal(exitCode, r.ExitCode);
        Assert.Single(r.ErrLines);
        Assert.Contains(message, r.Err);
        Assert.False(Directory.Exists(tmp.Sub("run")));
    }

    [Fact]
    public void TrainRefusesToOverwriteARunUnlessForced()
    {
        using var tmp = new TempFolder();
        string run = tmp.Sub("run");
        string[] args = ["train", "--dataset", "xor", "--samples", "20", "--epochs", "1", "--layers", "4", "-o", run];
        Assert.Equal(0, CliRunner.Run(args).ExitCode);
        var again = CliRunner.Run(args);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already holds a training run; choose another -o/--output or add --force", again.Err);
        Assert.Single(again.ErrLines);
        Assert.Equal(0, CliRunner.Run([.. args, "--force"]).ExitCode);
    }

    [Fact]
    public void InspectReportsDamageAsWarningsAndBadRequestsAsOneLineErrors()
    {
        using var tmp = new TempFolder();
        string run = tmp.Sub("run");
        Assert.Equal(0, CliRunner.Run("train", "--dataset", "blobs", "--samples", "30", "--epochs", "3", "--batch-size", "10",
            "--snapshot-every", "1", "--layers", "4", "-o", run).ExitCode);
        File.Delete(Path.Combine(run, SnapshotFormat.SnapshotFileName(4)));
        File.AppendAllText(Path.Combine(run, "index.jsonl"), "{\"step\":99,");

        var i = CliRunner.Run("inspect", run);
        Assert.Equal(0, i.ExitCode);
        Assert.Contains("Warnings (2):", i.Out);
        Assert.Contains("step-000004.safetensors: snapshot file of step 4 is missing", i.Out);
        Assert.Contains("ends with an incomplete line", i.Out);

        var unknown = CliRunner.Run("inspect", run, "--step", "4");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Single(unknown.ErrLines);
        Assert.Contains("--step 4: the run has no snapshot at that step; the nearest recorded steps are 3 and 5", unknown.Err);
        Assert.Equal("", unknown.Out); // the step is checked before the summary is printed

        using (var fs = new FileStream(Path.Combine(run, SnapshotFormat.SnapshotFileName(5)), FileMode.Open)) fs.SetLength(100);
        var truncated = CliRunner.Run("inspect", run, "--step", "6");
        Assert.Equal(0, truncated.ExitCode); // other snapshots stay readable
        Assert.Contains("step-000005.safetensors: snapshot file of step 5 is truncated", truncated.Out);

        File.WriteAllText(Path.Combine(run, "manifest.json"), "{ \"format\": \"neurocore.training-run\", \"version\": 7 }");
        var newer = CliRunner.Run("inspect", run);
        Assert.Equal(1, newer.ExitCode);
        Assert.Single(newer.ErrLines);
        Assert.Contains("manifest.json: format version 7 is newer than this NeuroCore reads (up to 2)", newer.Err);

        File.WriteAllText(Path.Combine(run, "manifest.json"), "{ corrupt");
        var corrupt = CliRunner.Run("inspect", run);
        Assert.Equal(1, corrupt.ExitCode);
        Assert.Single(corrupt.ErrLines);
        Assert.Contains("manifest.json: corrupt manifest: not valid JSON", corrupt.Err);
        Assert.DoesNotContain("   at ", corrupt.Err);
    }

    [Fact]
    public void TrainsOnTheScikitLearnDigits()
    {
        if (!File.Exists("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"))
            Assert.Skip("digits.csv.gz not installed (sudo apt-get install python3-sklearn)");
        using var tmp = new TempFolder();
        string run = tmp.Sub("digits");
        var r = CliRunner.Run("train", "--dataset", "digits", "--samples", "200", "--epochs", "1", "--layers", "16", "--probe", "10", "-o", run);
        Assert.Equal(0, r.ExitCode);
        var m = TrainingRun.Open(run).Manifest;
        Assert.Equal([64], m.Architecture.InputShape!);
        Assert.Equal(10, m.Dataset!.Classes);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), m.Probe!.Labels!); // one probe input per class
    }

    [Fact]
    public void TrainsAConvNetOnTheDigitsKeepingTheirImageShape()
    {
        ExternalTools.Require(File.Exists("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"), "scikit-learn's digits", "sudo apt-get install python3-sklearn");
        using var tmp = new TempFolder();
        string run = tmp.Sub("cnn");
        var r = CliRunner.Run("train", "--dataset", "digits", "--samples", "128", "--layers", "conv4k3,pool2,dense16", "--epochs", "1", "--probe", "10", "-o", run);
        Assert.True(r.ExitCode == 0, r.Err);
        var m = TrainingRun.Open(run).Manifest;
        Assert.Equal(["Conv2d", "ReLU", "MaxPool2d", "Flatten", "Linear", "ReLU", "Linear"], m.Architecture.Layers.Select(l => l.TypeName));
        Assert.Equal([1, 8, 8], m.Probe!.InputShape);
        Assert.Equal([4, 4, 4], m.Architecture.Layers[2].OutputShape!);
        Assert.Equal("cnn", m.HyperParameters["model"].GetString());
        Assert.Equal("conv4k3,pool2,16", m.HyperParameters["layers"].GetString());
    }

    [Theory]
    [InlineData("iris", 4)]
    [InlineData("wine", 13)]
    public void TrainsOnTheScikitLearnTables(string dataset, int features)
    {
        ExternalTools.Require(Directory.Exists("/usr/lib/python3/dist-packages/sklearn/datasets/data"), "scikit-learn's data files", "sudo apt-get install python3-sklearn");
        using var tmp = new TempFolder();
        string run = tmp.Sub(dataset);
        var r = CliRunner.Run("train", "--dataset", dataset, "--layers", "8", "--epochs", "30", "-o", run);
        Assert.True(r.ExitCode == 0, r.Err);
        var m = TrainingRun.Open(run).Manifest;
        Assert.Equal([features], m.Architecture.InputShape!);
        Assert.Equal(3, m.Dataset!.Classes);
        Assert.Matches(@"accuracy (9\d|100)\.\d %", r.Out); // standardized features: 90 % or more within 30 epochs
    }

    [Fact]
    public void CtrlCStopsAfterTheCurrentStepAndStillRecordsTheLastSnapshot()
    {
        using var tmp = new TempFolder();
        string run = tmp.Sub("run");
        using var cts = new CancellationTokenSource();
        cts.Cancel(); // as if Ctrl+C came during the first step
        var o = new StringWriter();
        var e = new StringWriter();
        int code = NeuroCore.Cli.CliApp.Run(["train", "--dataset", "moons", "--samples", "40", "--epochs", "5", "--batch-size", "10", "--snapshot-every", "100", "-o", run], o, e, false, cts.Token);
        Assert.Equal(130, code);
        Assert.Contains("Stopped early", e.ToString());
        var opened = TrainingRun.Open(run);
        Assert.True(opened.IsFinished);
        Assert.Equal([0, 1], opened.Snapshots.Select(s => s.Step));
        Assert.Equal("last", opened.Snapshots[1].Reason);
    }
}
