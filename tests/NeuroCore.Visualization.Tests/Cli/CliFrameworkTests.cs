using NeuroCore.Cli;
using Xunit;

namespace NeuroCore.Visualization.Tests.Cli;

public class CliFrameworkTests
{
    [Fact]
    public void OverviewListsEveryRegisteredCommand()
    {
        var r = Cli.Run("--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var c in CliApp.Commands) Assert.Contains($"  {c.Name}", r.Out);
        Assert.Equal(0, Cli.Run().ExitCode);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("inspect")]
    public void EachCommandHasHelpListingItsOptions(string name)
    {
        var command = CliApp.Commands.Single(c => c.Name == name);
        foreach (var args in new[] { new[] { name, "--help" }, new[] { name, "-h" }, new[] { "help", name } })
        {
            var r = Cli.Run(args);
            Assert.Equal(0, r.ExitCode);
            Assert.StartsWith($"Usage: neurocore {name}", r.Out);
            foreach (var o in command.Options) Assert.Contains(o.Name, r.Out);
            Assert.Equal("", r.Err);
        }
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, 2, "unknown command 'frobnicate'")]
    [InlineData(new[] { "train", "--epochs", "abc" }, 2, "--epochs expects a whole number ≥ 1, got 'abc'")]
    [InlineData(new[] { "train", "--epochs", "0" }, 2, "--epochs expects a whole number ≥ 1, got '0'")]
    [InlineData(new[] { "train", "--epoch", "3" }, 2, "unknown option '--epoch'; did you mean '--epochs'?")]
    [InlineData(new[] { "train", "--dataset", "mnist" }, 2, "--dataset expects one of spiral, moons, circles, xor, blobs, digits, fashion-mnist, got 'mnist'")]
    [InlineData(new[] { "train", "--layers", "16,x" }, 2, "--layers expects a comma-separated list of whole numbers ≥ 1 (like 16,16), got '16,x'")]
    [InlineData(new[] { "train", "--lr", "0" }, 2, "--lr expects a number > 0, got '0'")]
    [InlineData(new[] { "train", "--lr" }, 2, "--lr needs a value (X)")]
    [InlineData(new[] { "train", "--float16=yes" }, 2, "--float16 is a flag and takes no value")]
    [InlineData(new[] { "train", "--snapshot-every", "5", "--snapshot-schedule", "dense-early" }, 2, "--snapshot-every and --snapshot-schedule cannot be used together")]
    [InlineData(new[] { "train", "--snapshot-schedule", "sometimes" }, 2, "Invalid snapshot schedule 'sometimes'")]
    [InlineData(new[] { "train", "extra" }, 2, "unexpected argument 'extra'")]
    [InlineData(new[] { "inspect" }, 2, "missing RUN")]
    [InlineData(new[] { "inspect", "a", "b" }, 2, "unexpected argument 'b'")]
    [InlineData(new[] { "inspect", "/nonexistent/run/folder" }, 1, "/nonexistent/run/folder: run folder does not exist")]
    [InlineData(new[] { "train", "--spec", "/nonexistent/spec.json" }, 1, "/nonexistent/spec.json: spec file not found")]
    public void BadInputIsOneClearLineOnStderrWithANonZeroExitCode(string[] args, int exitCode, string message)
    {
        var r = Cli.Run(args);
        Assert.Equal(exitCode, r.ExitCode);
        Assert.Single(r.ErrLines);
        Assert.Contains(message, r.Err);
        Assert.StartsWith("neurocore", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void OptionsAcceptEqualsSyntaxAliasesAndNegativeNumbers()
    {
        var parsed = CliArguments.Parse(new NeuroCore.Cli.Commands.TrainCommand(), ["--epochs=5", "-o", "x", "--seed", "-3", "--learning-rate", "1e-3"]);
        Assert.Equal(5, parsed.GetInt("--epochs", 1));
        Assert.Equal("x", parsed.GetString("--output"));
        Assert.Equal(-3, parsed.GetInt("--seed", 0));
        Assert.Equal(1e-3, parsed.GetDouble("--lr", 0));
        Assert.False(parsed.Has("--force"));
    }

    [Fact]
    public void NonInteractiveProgressPrintsPlainLinesAtEveryTenthAndInteractiveRedrawsInPlace()
    {
        var plain = new StringWriter();
        var bar = new ProgressBar(plain, interactive: false, total: 200, "train");
        for (int i = 1; i <= 200; i++) bar.Report(i, "loss 1.0");
        bar.Finish("done");
        var lines = plain.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(12, lines.Length); // 0 %, 10 %, …, 100 %, then the message
        Assert.DoesNotContain('\r', plain.ToString());
        Assert.StartsWith("train 100% 200/200 loss 1.0", lines[10]);
        Assert.Equal("done", lines[11].Trim());

        var tty = new StringWriter();
        var live = new ProgressBar(tty, interactive: true, total: 10, "train");
        live.Report(10, "loss 0.5");
        live.Finish();
        Assert.StartsWith("\rtrain [########################] 100% 10/10 loss 0.5", tty.ToString());
        Assert.EndsWith(Environment.NewLine, tty.ToString());
    }
}
