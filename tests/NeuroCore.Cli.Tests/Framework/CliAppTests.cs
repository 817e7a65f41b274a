using System.CommandLine;
using NeuroCore.Cli;

namespace NeuroCore.Cli.Tests.Framework;

/// <summary>The command tree, help, and the error policy (one line on stderr, exit 2 for usage, 1 for failures).</summary>
public class CliAppTests
{
    [Fact]
    public void OverviewListsEveryRegisteredCommand()
    {
        var root = CliApp.CreateRootCommand();
        var r = CliRunner.Run("--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["train", "inspect", "export", "render", "demo", "explain", "serve", "worker", "embed", "word2vec"], root.Subcommands.Select(c => c.Name));
        foreach (var c in root.Subcommands) Assert.Contains($"  {c.Name}", r.Out);
        Assert.Contains("Usage:\n  neurocore [command] [options]", r.Out.Replace("\r", ""));
        var bare = CliRunner.Run();
        Assert.Equal(0, bare.ExitCode);
        Assert.Equal(r.Out, bare.Out);
    }

    [Fact]
    public void ExportIsAParentSoFormatsCanBeAddedBesideGltf()
    {
        var export = CliApp.CreateRootCommand().Subcommands.Single(c => c.Name == "export");
        Assert.Equal(["gltf", "onnx"], export.Subcommands.Select(c => c.Name));
        var r = CliRunner.Run("export", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("gltf", r.Out);
        var missing = CliRunner.Run("export");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("neurocore export: missing a command after 'export' (gltf, onnx)", missing.Err);
    }

    public static TheoryData<string[]> CommandPaths => new() { new[] { "train" }, new[] { "inspect" }, new[] { "export", "gltf" }, new[] { "render" }, new[] { "demo" }, new[] { "export", "onnx" }, new[] { "explain" }, new[] { "serve" }, new[] { "worker" }, new[] { "embed" }, new[] { "word2vec" } };

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public void EachCommandHasHelpListingItsOptionsAndExamples(string[] path)
    {
        Command command = CliApp.CreateRootCommand();
        foreach (var word in path) command = command.Subcommands.Single(c => c.Name == word);
        foreach (var args in new[] { [.. path, "--help"], [.. path, "-h"], new[] { "help" }.Concat(path).ToArray() })
        {
            var r = CliRunner.Run(args);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains($"neurocore {string.Join(' ', path)}", r.Out);
            Assert.Contains(command.Description!, r.Out);
            foreach (var o in command.Options) Assert.Contains(o.Name, r.Out);
            Assert.Contains(path[0] == "demo" ? "Writes into the folder:" : "Examples:", r.Out); // the details after the options
            Assert.Equal("", r.Err);
        }
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, 2, "neurocore: unknown command 'frobnicate'. Commands: train, inspect, export, render, demo, explain, serve, worker, embed, word2vec")]
    [InlineData(new[] { "train", "--epochs", "abc" }, 2, "--epochs expects a whole number between 1 and 1,000,000, got 'abc'")]
    [InlineData(new[] { "train", "--epochs", "0" }, 2, "--epochs expects a whole number between 1 and 1,000,000, got '0'")]
    [InlineData(new[] { "train", "--epoch", "3" }, 2, "unknown option '--epoch'; did you mean '--epochs'?")]
    [InlineData(new[] { "train", "--dataset", "mnist" }, 2, "--dataset expects one of spiral, moons, circles, xor, blobs, iris, wine, digits, fashion-mnist, got 'mnist'")]
    [InlineData(new[] { "train", "--activation", "softmax" }, 2, "--activation expects one of relu, tanh, sigmoid, gelu, leaky_relu, got 'softmax'")]
    [InlineData(new[] { "train", "--layers", "16,x" }, 2, "--layers expects comma-separated layers such as 16,16 or conv16k3,pool2,dense64, got '16,x'")]
    [InlineData(new[] { "train", "--layers", "70000" }, 2, "--layers 70000: dense sizes must be between 1 and 65,536, got 70000")]
    [InlineData(new[] { "train", "--layers", "conv8k3" }, 2, "--layers conv8k3: convolution and pooling need an image dataset (digits or fashion-mnist), not spiral")]
    [InlineData(new[] { "train", "--dataset", "digits", "--layers", "conv8k4" }, 2, "conv8k4 needs an odd kernel between 1 and 15")]
    [InlineData(new[] { "train", "--lr", "0" }, 2, "--lr expects a number > 0 and ≤ 1,000,000, got '0'")]
    [InlineData(new[] { "train", "--lr" }, 2, "--lr needs a value (X)")]
    [InlineData(new[] { "train", "--float16=yes" }, 2, "--float16 is a flag and takes no value (got '--float16=yes')")]
    [InlineData(new[] { "train", "--snapshot-every", "5", "--snapshot-schedule", "dense-early" }, 2, "--snapshot-every and --snapshot-schedule cannot be used together")]
    [InlineData(new[] { "train", "--snapshot-schedule", "sometimes" }, 2, "--snapshot-schedule: Invalid snapshot schedule 'sometimes'")]
    [InlineData(new[] { "train", "--noise", "0.1", "--dataset", "digits" }, 2, "--noise only applies to the toy 2-D datasets, not digits")]
    [InlineData(new[] { "train", "extra" }, 2, "unexpected argument 'extra'")]
    [InlineData(new[] { "train", "--batch-size", "2147483647" }, 2, "--batch-size expects a whole number between 1 and 1,048,576, got '2147483647'")]
    [InlineData(new[] { "train", "--samples", "2147483647" }, 2, "--samples expects a whole number between 1 and 1,000,000, got '2147483647'")]
    [InlineData(new[] { "train", "--layers", "30000,30000" }, 2, "--layers 30000,30000 gives a network of 900,210,003 parameters on spiral (2 inputs, 3 classes); at most 100,000,000 are supported")]
    [InlineData(new[] { "export", "gltf", "r", "-o", "x.glb", "--max-connections", "2147483647" }, 2, "--max-connections expects a whole number between 0 and 2,000,000, got '2147483647'")]
    [InlineData(new[] { "render", "r", "-o", "x.png", "--max-connections", "2147483647" }, 2, "--max-connections expects a whole number between 0 and 2,000,000, got '2147483647'")]
    [InlineData(new[] { "export", "gltf", "r" }, 2, "missing -o/--output FILE")]
    [InlineData(new[] { "export", "gltf", "r", "-o", "x.glb", "--seconds-per-snapshot", "1e-50" }, 2, "--seconds-per-snapshot expects a number between 0.0001 and 3600, got '1e-50'")]
    [InlineData(new[] { "inspect" }, 2, "missing RUN")]
    [InlineData(new[] { "inspect", "a", "b" }, 2, "unexpected argument 'b'")]
    [InlineData(new[] { "inspect", "r", "--nearest" }, 2, "--nearest needs --step N")]
    [InlineData(new[] { "inspect", "/nonexistent/run/folder" }, 1, "/nonexistent/run/folder: run folder does not exist")]
    [InlineData(new[] { "train", "--spec", "/nonexistent/spec.json" }, 1, "/nonexistent/spec.json: spec file not found")]
    public void BadInputIsOneClearLineOnStderrWithANonZeroExitCode(string[] args, int exitCode, string message)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(exitCode, r.ExitCode);
        Assert.Single(r.ErrLines);
        Assert.Contains(message, r.Err);
        Assert.StartsWith("neurocore", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.DoesNotContain("(Parameter '", r.Err);
        if (exitCode == 2) Assert.EndsWith("--help')", r.Err.TrimEnd());
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void OptionsAcceptEqualsSyntaxAliasesAndNegativeNumbers()
    {
        var seed = CliOptions.Int("--seed", "N", "seed");
        var epochs = CliOptions.Int("--epochs", "N", "epochs", 1);
        var lr = CliOptions.Number("--lr", "X", "lr", 0, 1, minExclusive: true, "--learning-rate");
        var output = CliOptions.Text("--output", "DIR", "out", "-o");
        var force = CliOptions.Flag("--force", "force");
        var command = new RootCommand { seed, epochs, lr, output, force };
        var p = command.Parse(["--epochs=5", "-o", "x", "--seed", "-3", "--learning-rate", "1e-3"]);
        Assert.Empty(p.Errors);
        Assert.Equal(5, p.GetValue(epochs));
        Assert.Equal("x", p.GetValue(output));
        Assert.Equal(-3, p.GetValue(seed));
        Assert.Equal(1e-3, p.GetValue(lr));
        Assert.False(p.GetValue(force));
        Assert.False(p.Given(force));
        Assert.True(p.Given(seed));
    }
}
