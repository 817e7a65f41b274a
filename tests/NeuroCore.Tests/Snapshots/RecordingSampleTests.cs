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
        int[] expected = [0, .. SnapshotSchedule.DenseEarly().StepsUpTo(300), .. SnapshotSchedule.DenseEarly().ShouldCapture(300) ? Array.Empty<int>() : [300]];
        Assert.Equal(expected, trainer.Snapshots.Select(s => s.Step));
        Assert.Equal(expected, ownLoop.Snapshots.Select(s => s.Step));
        // Same seed, same data, same steps: the two routes record the same weights.
        Assert.Equal(trainer.LoadSnapshot(300).Parameters["0.weight"].ToArray(), ownLoop.LoadSnapshot(300).Parameters["0.weight"].ToArray());
        // Rerunning into the same folder replaces the run (Overwrite), it does not fail or mix runs.
        Assert.Equal(expected, RecordingSample.RecordWithTrainer(_dir.File("trainer")).Snapshots.Select(s => s.Step));
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
