using NeuroCore.Cli;

namespace NeuroCore.Cli.Tests.Framework;

/// <summary>Progress lines, tables and suggested command lines.</summary>
public class OutputTests
{
    [Fact]
    public void RedirectedProgressPrintsAPlainLineAtEveryTenth()
    {
        var err = new StringWriter();
        var context = new CliContext(new StringWriter(), err, isInteractive: false);
        int result = context.WithProgress(200, "train", bar =>
        {
            for (int i = 1; i <= 200; i++) bar.Report(i, "loss 1.0");
            return 7;
        });
        Assert.Equal(7, result);
        var lines = err.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(11, lines.Length); // 0 %, 10 %, …, 100 %
        Assert.DoesNotContain('\r', err.ToString());
        Assert.DoesNotContain('\u001b', err.ToString()); // no escape codes in logs
        Assert.StartsWith("train 100% 200/200 loss 1.0", lines[^1]);
    }

    [Fact]
    public void InteractiveProgressIsASpectreBarOnStderr()
    {
        var err = new StringWriter();
        var context = new CliContext(new StringWriter(), err, isInteractive: true);
        context.WithProgress(10, "train", bar =>
        {
            for (int i = 1; i <= 10; i++) bar.Report(i, $"loss {i}");
            return 0;
        });
        string text = err.ToString();
        Assert.Contains("100%", text);
        Assert.Contains("train loss 10", text);
    }

    [Fact]
    public void TablesAlignColumnsAndRightAlignNumbers()
    {
        var table = new CliTable("step", "loss", "reason");
        table.Add("0", "-", "first");
        table.Add("120", "0.25", "schedule");
        var w = new StringWriter();
        table.Write(w);
        var lines = w.ToString().Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["  step  loss  reason", "     0  -     first", "   120  0.25  schedule"], lines);
        Assert.Equal("4.2 kB", CliTable.Bytes(4200));
    }

    [Theory]
    [InlineData("runs/spiral", "runs/spiral")]
    [InlineData("my runs/a", "'my runs/a'")]
    [InlineData("it's", "'it'\\''s'")]
    public void SuggestedCommandsQuoteWhatTheShellWouldSplit(string word, string quoted) =>
        Assert.Equal(quoted, Invocation.Quote(word));

    [Fact]
    public void StepChoiceNamesTheNearestStepsOrPicksOne()
    {
        long[] steps = [0, 1, 2, 10, 20];
        Assert.Equal(3, StepChoice.Resolve(steps, 10, nearest: false));
        var e = Assert.Throws<CliException>(() => StepChoice.Resolve(steps, 14, nearest: false));
        Assert.Contains("--step 14: the run has no snapshot at that step; the nearest recorded steps are 10 and 20", e.Message);
        Assert.Contains("--nearest", e.Message);
        var note = new StringWriter();
        Assert.Equal(3, StepChoice.Resolve(steps, 14, nearest: true, note));
        Assert.Equal(4, StepChoice.Resolve(steps, 16, nearest: true));
        Assert.Equal(4, StepChoice.Resolve(steps, 600, nearest: true));
        Assert.Contains("using the nearest recorded step, 10", note.ToString());
        Assert.Contains("the nearest recorded step is 20", Assert.Throws<CliException>(() => StepChoice.Resolve(steps, 600, false)).Message);
    }
}
