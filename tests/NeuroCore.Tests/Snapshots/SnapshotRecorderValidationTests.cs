using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Snapshots;
using NeuroCore.Training;

namespace NeuroCore.Tests.Snapshots;

/// <summary>Held-out figures in the run: each snapshot carries the last completed epoch's validation loss and accuracy.</summary>
public class SnapshotRecorderValidationTests
{
    [Fact]
    public void TheSnapshotOfAnEpochsLastStepCarriesThatEpochsHeldOutFigures()
    {
        using var tmp = SnapshotFixture.Temp();
        var train = SyntheticData.Moons(64, 0.1f, seed: 1);
        var held = SyntheticData.Moons(32, 0.1f, seed: 2);
        Generator.ManualSeed(0);
        var model = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 2));
        var loader = new DataLoader(train, 16, shuffle: true, seed: 0); // 4 steps per epoch
        var recorder = new SnapshotRecorder(tmp.Run, new() { Schedule = SnapshotSchedule.Every(4) });
        var history = new Trainer(model, new Adam(model.Parameters(), 0.05f)).With(recorder).Fit(loader, 3, new DataLoader(held, 32));
        var run = TrainingRun.Open(tmp.Run);

        Assert.Equal([0, 4, 8, 12], run.Snapshots.Select(s => s.Step));
        Assert.False(run.Snapshots[0].Metrics.ContainsKey(SnapshotRecorder.ValidationLossMetric)); // before any epoch
        for (int e = 0; e < 3; e++)
        {
            var snap = run.Snapshots[e + 1];
            Assert.Equal(history.Epochs[e].ValidationLoss!.Value, snap.Metrics[SnapshotRecorder.ValidationLossMetric], 5);
            Assert.Equal(history.Epochs[e].ValidationAccuracy!.Value, snap.Metrics[SnapshotRecorder.ValidationAccuracyMetric], 5);
            Assert.Equal("schedule", snap.Reason);
            Assert.Equal(history.Steps[4 * e + 3].Loss, snap.Loss!.Value, 5); // still the step's own loss
        }
        var summary = run.LoadSummary()!;
        Assert.Equal(history.Last!.Value.ValidationAccuracy!.Value, summary.FinalValidationAccuracy!.Value, 5);
    }

    [Fact]
    public void AHeldOutSplitIsSeededDisjointAndRecordedInTheManifest()
    {
        var spec = new TrainingSpec { Dataset = "blobs", Samples = 100, Validation = 0.3, Epochs = 1, Layers = [4] };
        var a = TrainingSession.Create(spec);
        var b = TrainingSession.Create(spec);
        Assert.Equal(70, a.Data.Count);
        Assert.Equal(30, a.HeldOut!.Count);
        Assert.Equal(a.HeldOut.Inputs.ToArray(), b.HeldOut!.Inputs.ToArray());
        var train = a.Data.Inputs.ToArray().Chunk(2).Select(p => (p[0], p[1])).ToHashSet();
        Assert.DoesNotContain(a.HeldOut.Inputs.ToArray().Chunk(2).Select(p => (p[0], p[1])), train.Contains);
        Assert.Equal(30, a.Dataset.Details["validationCount"].GetInt32());
        Assert.Null(TrainingSession.Create(spec with { Validation = null }).HeldOut); // toy sets: none by default
    }
}
