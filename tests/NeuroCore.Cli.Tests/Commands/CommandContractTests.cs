using NeuroCore.Snapshots;

namespace NeuroCore.Cli.Tests.Commands;

/// <summary>What the commands promise a new user: re-runnable demo, one step rule, honest hints and messages.</summary>
public class CommandContractTests
{
    [Theory]
    [InlineData("manifest.json")]
    [InlineData("index.jsonl")]
    public void AFolderWhereARunFileShouldBeSaysSoInsteadOfAccessDenied(string file)
    {
        using var tmp = new TempFolder();
        string run = CliRunner.TrainSmallRun(tmp);
        string path = Path.Combine(run, file);
        File.Delete(path);
        Directory.CreateDirectory(path);
        foreach (var args in new[] { new[] { "inspect", run }, ["export", "gltf", run, "-o", tmp.Sub("x.glb")] })
        {
            var r = CliRunner.Run(args);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains($"{path}: is a folder, not a file", Assert.Single(r.ErrLines));
            Assert.DoesNotContain("denied", r.Err);
        }
    }

    [Fact]
    public void AFileWhereTheDataFolderShouldBeIsAUsageErrorNamingTheOption()
    {
        using var tmp = new TempFolder();
        string file = tmp.Sub("digits.csv");
        File.WriteAllText(file, "not a folder");
        var r = CliRunner.Run("train", "--dataset", "digits", "--data-dir", file, "-o", tmp.Sub("run"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"--data-dir names a file ({file}), not a folder; give the folder holding the dataset files", Assert.Single(r.ErrLines));
        Assert.False(Directory.Exists(tmp.Sub("run")));
    }

    [Fact]
    public void DemoRunTwiceIntoTheSameFolderReplacesOnlyTheEarlierDemo()
    {
        using var tmp = new TempFolder();
        string folder = tmp.Sub("demo");
        string[] args = ["demo", "-o", folder, "--epochs", "2", "--duration", "0.5"];
        var first = CliRunner.Run(args);
        Assert.True(first.ExitCode == 0, first.Err);
        string mine = Path.Combine(folder, "run", "snapshots", "notes.txt");
        File.WriteAllText(mine, "mine");
        File.WriteAllText(Path.Combine(folder, "README.txt"), "mine too");

        var second = CliRunner.Run(args);
        Assert.True(second.ExitCode == 0, second.Err);
        Assert.True(File.Exists(mine));
        Assert.True(File.Exists(Path.Combine(folder, "README.txt")));
        var run = TrainingRun.Open(Path.Combine(folder, "run"));
        Assert.Empty(run.Warnings);
        Assert.Equal(run.Snapshots.Count, Directory.GetFiles(Path.Combine(folder, "run", "snapshots"), "step-*.safetensors").Length);
        Assert.Contains($"Inspect it with 'neurocore inspect {Path.Combine(folder, "run")}'", second.Out);
        Assert.Contains($"  {Path.Combine(folder, "spiral-timeline.glb")}\n", second.Out.Replace("\r", "")); // named as the user named the folder, like the run and the video
    }

    [Fact]
    public void TrainForceRemovesOnlyWhatARunWrote()
    {
        using var tmp = new TempFolder();
        string run = CliRunner.TrainSmallRun(tmp);
        string mine = Path.Combine(run, "snapshots", "keep.me");
        File.WriteAllText(mine, "x");
        var r = CliRunner.Run("train", "--dataset", "xor", "--samples", "20", "--epochs", "1", "--layers", "4", "-o", run, "--force");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.True(File.Exists(mine));
        var opened = TrainingRun.Open(run);
        Assert.Equal("xor", opened.Manifest.Dataset!.Name);
        Assert.Equal(opened.Snapshots.Count, Directory.GetFiles(Path.Combine(run, "snapshots"), "step-*.safetensors").Length);
    }

    [Fact]
    public void ExportAndInspectFollowOneRuleForStepsThatWereNotRecorded()
    {
        using var tmp = new TempFolder();
        string run = CliRunner.TrainSmallRun(tmp); // 20 steps, dense-early: 0..20 every step
        var steps = TrainingRun.Open(run).Snapshots.Select(s => s.Step).ToList();
        Assert.Equal(Enumerable.Range(0, 21).Select(i => (long)i), steps);

        var export = CliRunner.Run("export", "gltf", run, "--step", "600", "-o", tmp.Sub("a.glb"));
        var inspect = CliRunner.Run("inspect", run, "--step", "600");
        Assert.Equal(1, export.ExitCode);
        Assert.Equal(1, inspect.ExitCode);
        const string message = "--step 600: the run has no snapshot at that step; the nearest recorded step is 20";
        Assert.Contains(message, export.Err);
        Assert.Contains(message, inspect.Err);
        Assert.Single(export.ErrLines);
        Assert.Single(inspect.ErrLines);
        Assert.Equal("", inspect.Out);
        Assert.False(File.Exists(tmp.Sub("a.glb")));

        var nearest = CliRunner.Run("export", "gltf", run, "--step", "600", "--nearest", "-o", tmp.Sub("a.glb"));
        Assert.True(nearest.ExitCode == 0, nearest.Err);
        Assert.Contains("step 20", nearest.Out);
        var inspectNearest = CliRunner.Run("inspect", run, "--step", "600", "--nearest");
        Assert.Equal(0, inspectNearest.ExitCode);
        Assert.Contains("Step 20:", inspectNearest.Out);
    }

    [Fact]
    public void RenderingFramesPrintsAnFfmpegLineWithTheirOwnFrameRate()
    {
        using var tmp = new TempFolder();
        string run = CliRunner.TrainSmallRun(tmp);
        var r = CliRunner.Run("render", run, "-o", tmp.Sub("frames") + "/", "--fps", "5", "--duration", "1", "--width", "64", "--height", "64");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("ffmpeg -framerate 5 -i", r.Out);
        Assert.Equal(5, Directory.GetFiles(tmp.Sub("frames"), "frame_*.png").Length);

        // A shorter render into the same folder leaves only its own frames (and the user's other files).
        File.WriteAllText(Path.Combine(tmp.Sub("frames"), "notes.txt"), "x");
        var shorter = CliRunner.Run("render", run, "-o", tmp.Sub("frames") + "/", "--fps", "3", "--duration", "1", "--width", "64", "--height", "64");
        Assert.True(shorter.ExitCode == 0, shorter.Err);
        Assert.Equal(3, Directory.GetFiles(tmp.Sub("frames"), "frame_*.png").Length);
        Assert.True(File.Exists(Path.Combine(tmp.Sub("frames"), "notes.txt")));
    }

    [Fact]
    public void ADivergingRunPrintsAWarning()
    {
        using var tmp = new TempFolder();
        var r = CliRunner.Run("train", "--dataset", "spiral", "--samples", "90", "--epochs", "5", "--lr", "50", "-o", tmp.Sub("run"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("warning: training diverged", r.Err);
        Assert.Contains("smaller --lr", r.Err);
        var calm = CliRunner.Run("train", "--dataset", "spiral", "--samples", "90", "--epochs", "5", "-o", tmp.Sub("calm"));
        Assert.DoesNotContain("warning", calm.Err);
    }

    [Fact]
    public void AFolderWhereAFileIsExpectedAndTheReverseAreNamed()
    {
        using var tmp = new TempFolder();
        string run = CliRunner.TrainSmallRun(tmp);
        Directory.CreateDirectory(tmp.Sub("out.glb"));
        var export = CliRunner.Run("export", "gltf", run, "-o", tmp.Sub("out.glb"));
        Assert.Equal(2, export.ExitCode);
        Assert.Contains("is a folder; give a file name ending in .glb or .gltf", export.Err);

        var render = CliRunner.Run("render", run, "-o", tmp.Path);
        Assert.Equal(2, render.ExitCode);
        Assert.Contains("is a folder; write PNG frames into it with", render.Err);

        File.WriteAllText(tmp.Sub("file"), "x");
        var train = CliRunner.Run("train", "-o", tmp.Sub("file"));
        Assert.Equal(1, train.ExitCode);
        Assert.Contains("is a file; --output needs a folder", train.Err);
        var demo = CliRunner.Run("demo", "-o", tmp.Sub("file"));
        Assert.Equal(2, demo.ExitCode);
        Assert.Contains("is a file; the demo needs a folder", demo.Err);

        foreach (var command in new[] { new[] { "inspect" }, new[] { "export", "gltf" }, new[] { "render" } })
        {
            string[] args = [.. command, Path.Combine(run, "manifest.json")];
            if (command[0] != "inspect") args = [.. args, "-o", tmp.Sub(command[0] == "render" ? "x.png" : "x.glb")];
            var r = CliRunner.Run(args);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("is the run's manifest; give the run folder that holds it", r.Err);
        }

        var spec = CliRunner.Run("train", "--spec", tmp.Path);
        Assert.Equal(1, spec.ExitCode);
        Assert.Contains("is a folder, not a spec file", spec.Err);
        Assert.DoesNotContain("Access to the path", spec.Err);
    }
}
