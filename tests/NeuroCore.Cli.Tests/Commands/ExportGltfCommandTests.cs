using NeuroCore.Cli;
using SharpGLTF.Schema2;

namespace NeuroCore.Cli.Tests.Commands;

/// <summary><c>neurocore export gltf</c> on a real recorded run (a short spiral training run made by <c>neurocore train</c>).</summary>
public class ExportGltfCommandTests
{
    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static string TrainRun(TempFolder dir)
    {
        var run = dir.Sub("run");
        var (code, _, err) = Cli("train", "--dataset", "spiral", "--samples", "60", "--layers", "8", "--epochs", "2", "--probe", "4", "-o", run);
        Assert.True(code == 0, err);
        return run;
    }

    [Fact]
    public void ExportsTheLatestStepATimelineAndAGltfWithSideFile()
    {
        using var dir = new TempFolder();
        var run = TrainRun(dir);
        var steps = NeuroCore.Snapshots.TrainingRun.Open(run).Snapshots.Select(s => s.Step).ToArray();

        var (code, stdout, err) = Cli("export", "gltf", run, "-o", dir.Sub("last.glb"));
        Assert.True(code == 0, err);
        Assert.Contains($"step {steps[^1]}", stdout);
        var last = ModelRoot.Load(dir.Sub("last.glb"));
        Assert.Single(last.LogicalNodes, n => n.Name == $"step_{steps[^1]}");
        // spiral: 2 inputs -> 8 hidden -> 2 classes (or more): named neuron nodes for every drawn neuron
        Assert.Equal(2, last.LogicalNodes.Count(n => n.Name?.StartsWith("input/neuron_") == true));
        Assert.Equal(8, last.LogicalNodes.Count(n => n.Name?.StartsWith("dense_1/neuron_") == true));

        (code, _, err) = Cli("export", "gltf", run, "--timeline", "--max-connections", "10", "-o", dir.Sub("t.glb"));
        Assert.True(code == 0, err);
        var t = ModelRoot.Load(dir.Sub("t.glb"));
        var anim = Assert.Single(t.LogicalAnimations);
        Assert.Equal(steps.Length, anim.Channels.Count);
        Assert.All(anim.Channels, c => Assert.Equal(steps.Length + 1, c.GetScaleSampler().GetLinearKeys().Count()));
        Assert.Equal(10, t.DefaultScene.Extras!["neurocore"]!["connectionsShown"]!.GetValue<long>());

        (code, _, err) = Cli("export", "gltf", run, "--timeline", "--seconds-per-step", "0.5", "-o", dir.Sub("ps.glb"));
        Assert.True(code == 0, err);
        var keys = ModelRoot.Load(dir.Sub("ps.glb")).Extras!["neurocore"]!["timeMapping"]!["keyframes"]!.AsArray();
        Assert.Equal(steps.Select(s => (s - steps[0]) * 0.5f), keys.Select(k => k!["time"]!.GetValue<float>()));

        (code, _, err) = Cli("export", "gltf", run, "--step", steps[1].ToString(), "--probe", "3", "-o", dir.Sub("s.gltf"));
        Assert.True(code == 0, err);
        Assert.True(File.Exists(dir.Sub("s.bin")));
        Assert.Equal(3, ModelRoot.Load(dir.Sub("s.gltf")).DefaultScene.Extras!["neurocore"]!["probe"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("--step", "999999", 1)]
    [InlineData("--probe", "99", 2)]
    [InlineData("--max-connections", "-5", 2)]
    public void BadArgumentsGiveOneLineErrors(string option, string value, int exitCode)
    {
        using var dir = new TempFolder();
        var run = TrainRun(dir);
        var (code, _, err) = Cli("export", "gltf", run, option, value, "-o", dir.Sub("x.glb"));
        Assert.Equal(exitCode, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains(option, err);
        Assert.False(File.Exists(dir.Sub("x.glb")));
    }

    [Fact]
    public void MissingRunAndWrongExtensionAreReported()
    {
        using var dir = new TempFolder();
        var (code, _, err) = Cli("export", "gltf", dir.Sub("nope"), "-o", dir.Sub("x.glb"));
        Assert.Equal(1, code);
        Assert.Contains("does not exist", err);
        (code, _, err) = Cli("export", "gltf", dir.Sub("nope"), "-o", dir.Sub("x.obj"));
        Assert.Equal(2, code);
        Assert.Contains(".glb", err);
        (code, _, err) = Cli("export", "gltf", dir.Sub("nope"), "--step", "1", "--timeline", "-o", dir.Sub("x.glb"));
        Assert.Equal(2, code);
    }
}
