using NeuroCore.Samples;
using NeuroCore.Snapshots;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Snapshots;

/// <summary>The recording sample (samples/Recording, shown in docs/recording.md) runs and writes readable, finished runs.</summary>
public sealed class RecordingSampleTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TrainerAndOwnLoopRecordTheSameStepsUnderTheDefaultSchedule()
    {
        var trainer = RecordingSample.RecordWithTrainer(_dir.File("trainer"));
        var ownLoop = RecordingSample.RecordOwnLoop(_dir.File("own-loop"));
        foreach (var run in new[] { trainer, ownLoop })
        {
            Assert.True(run.IsFinished);
            Assert.Empty(run.Warnings);
            Assert.Equal([2], run.Manifest.Architecture.InputShape);
            Assert.Equal(64, run.LoadProbe()!.Count);
            var last = run.LoadSnapshot(run.Latest!);
            Assert.Equal(3, last.Activations.Count); // Linear, Tanh, Linear
        }
        // 300 points in batches of 32: 10 steps per epoch, 300 steps in all.
        long[] expected = [0, .. SnapshotSchedule.DenseEarly().StepsUpTo(300).Select(s => (long)s), .. SnapshotSchedule.DenseEarly().ShouldCapture(300) ? Array.Empty<long>() : [300L]];
        Assert.Equal(expected, trainer.Snapshots.Select(s => s.Step));
        Assert.Equal(expected, ownLoop.Snapshots.Select(s => s.Step));
        // Same seed, same data, same steps: the two routes record the same weights.
        Assert.Equal(trainer.LoadSnapshot(300).Parameters["0.weight"].ToArray(), ownLoop.LoadSnapshot(300).Parameters["0.weight"].ToArray());
        // Rerunning into the same folder replaces the run (Overwrite), it does not fail or mix runs.
        Assert.Equal(expected, RecordingSample.RecordWithTrainer(_dir.File("trainer")).Snapshots.Select(s => s.Step));
    }

    [Theory]
    [InlineData("trainer")]
    [InlineData("own-loop")]
    public void DocsShowTheSampleVerbatim(string region)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "samples", "Recording", "RecordingSample.cs"));
        int start = Array.FindIndex(lines, l => l.Trim() == $"// <{region}>");
        int end = Array.FindIndex(lines, l => l.Trim() == $"// </{region}>");
        Assert.True(start >= 0 && end > start, $"RecordingSample.cs must contain a // <{region}> region");
        var body = lines[(start + 1)..end];
        int indent = body.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        string code = string.Join("\n", body.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
        string doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "recording.md")).Replace("\r\n", "\n");
        Assert.Contains($"<!-- recording:{region} -->\n```csharp\n{code}\n```", doc);
    }

    [Fact]
    public void DocumentedSnapshotCountsAreTheDefaultSchedules()
    {
        // docs/recording.md: "a 300-step run gets 34 snapshots, a 100,000-step run about 60" (with step 0 and the last step).
        static int Count(int steps) => new[] { 0, steps }.Concat(SnapshotSchedule.DenseEarly().StepsUpTo(steps)).Distinct().Count();
        Assert.Equal(34, Count(300));
        Assert.InRange(Count(100_000), 55, 65);
    }

    [Fact]
    public void ApiDefaultScheduleIsTheCliDefault()
    {
        // `neurocore train` defaults to --snapshot-schedule dense-early; the library's default is the same schedule.
        var api = new SnapshotRecorderOptions().Schedule;
        Assert.Equal(SnapshotSchedule.Parse("dense-early").StepsUpTo(100_000), api.StepsUpTo(100_000));
        Assert.Equal(SnapshotSchedule.Parse("dense-early").ToString(), api.ToString());
    }
}
