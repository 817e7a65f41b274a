using NeuroCore.Optim;
using NeuroCore.Snapshots;
using NeuroCore.Training;

namespace NeuroCore.Tests.Snapshots;

public class SnapshotRecorderTests
{
    private sealed class FixedLrOptimizer(IEnumerable<Tensor> p, float lr) : Optimizer(p, lr)
    {
        public override void Step() => StepCount++;
    }

    /// <summary>Drives the recorder exactly as a Trainer would: begin, step ends, epoch ends, end.</summary>
    private static TrainingRun Simulate(string folder, SnapshotSchedule schedule, int steps, int stepsPerEpoch = 4,
        Action<SnapshotRecorder, int>? beforeStep = null)
    {
        var model = SnapshotFixture.Model();
        var recorder = new SnapshotRecorder(folder, new() { Schedule = schedule, Probe = SnapshotFixture.Probe() });
        ITrainingCallback callback = recorder;
        var context = new TrainingContext(model, new FixedLrOptimizer(model.Parameters(), 0.05f)) { Epochs = 99, StepsPerEpoch = stepsPerEpoch };
        callback.OnTrainBegin(context);
        for (int step = 1; step <= steps; step++)
        {
            beforeStep?.Invoke(recorder, step);
            float loss = SnapshotFixture.Step(model);
            context.Step = step;
            context.Epoch = (step - 1) / stepsPerEpoch;
            callback.OnStepEnd(context, new StepMetrics(step, context.Epoch, loss, 0.75f, 0.05f));
            if (step % stepsPerEpoch == 0)
                callback.OnEpochEnd(context, new EpochMetrics(context.Epoch, step, loss, 0.75f, null, null, TimeSpan.Zero));
        }
        callback.OnTrainEnd(context);
        return TrainingRun.Open(folder);
    }

    [Fact]
    public void AsACallbackItRecordsTheFirstStepTheScheduleAndTheLastStep()
    {
        using var tmp = SnapshotFixture.Temp();
        var run = Simulate(tmp.Run, SnapshotSchedule.Every(3), steps: 7);
        Assert.Equal([0, 3, 6, 7], run.Snapshots.Select(s => s.Step));
        Assert.Equal(["first", "schedule", "schedule", "last"], run.Snapshots.Select(s => s.Reason));
        Assert.Null(run.Snapshots[0].Loss);
        Assert.Equal(0.05, run.Snapshots[0].LearningRate!.Value, 6);
        Assert.Equal(0.75, run.Snapshots[1].Metrics["accuracy"], 6);
        Assert.Equal(1, run.Snapshots[3].Epoch);
        Assert.True(run.IsFinished);
        Assert.Empty(run.Warnings);
        // Losses recorded are the losses of those steps (the toy problem's loss falls).
        Assert.True(run.Snapshots[3].Loss < run.Snapshots[1].Loss);
    }

    [Fact]
    public void LastStepIsNotRecordedTwiceWhenTheScheduleAlreadyHitIt()
    {
        using var tmp = SnapshotFixture.Temp();
        var run = Simulate(tmp.Run, SnapshotSchedule.Every(4), steps: 8);
        Assert.Equal([0, 4, 8], run.Snapshots.Select(s => s.Step));
    }

    [Fact]
    public void RequestSnapshotRecordsTheNextStep()
    {
        using var tmp = SnapshotFixture.Temp();
        var run = Simulate(tmp.Run, SnapshotSchedule.OnDemand, steps: 6, beforeStep: (r, step) =>
        {
            if (step == 3) r.RequestSnapshot();
        });
        Assert.Equal([0, 3, 6], run.Snapshots.Select(s => s.Step));
        Assert.Equal("request", run.Snapshots[1].Reason);
    }

    [Fact]
    public void EverySchedule()
    {
        Assert.Equal([3, 6, 9], SnapshotSchedule.Every(3).StepsUpTo(10));
        Assert.Equal([1, 2, 3], SnapshotSchedule.Every(1).StepsUpTo(3));
        Assert.False(SnapshotSchedule.Every(3).ShouldCapture(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SnapshotSchedule.Every(0));
    }

    [Fact]
    public void DenseEarlyScheduleIsEveryStepThenGeometric()
    {
        // 5 dense steps, then each gap is half the previous step (rounded): 5+3=8, 8+4=12, 12+6=18, 18+9=27.
        Assert.Equal([1, 2, 3, 4, 5, 8, 12, 18, 27], SnapshotSchedule.DenseEarly(5, 1.5).StepsUpTo(30));
        // Querying out of order gives the same answers (the schedule extends lazily).
        var s = SnapshotSchedule.DenseEarly(5, 1.5);
        Assert.True(s.ShouldCapture(27));
        Assert.True(s.ShouldCapture(8));
        Assert.False(s.ShouldCapture(26));
    }

    [Fact]
    public void DenseEarlyGetsSparseButStaysBoundedByMaxInterval()
    {
        var steps = SnapshotSchedule.DenseEarly(20, 1.25).StepsUpTo(100_000).ToList();
        Assert.Equal(Enumerable.Range(1, 20), steps.Take(20));
        Assert.InRange(steps.Count, 40, 80); // logarithmic in the run length
        var gaps = steps.Zip(steps.Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps.Zip(gaps.Skip(1)).All(g => g.Second >= g.First), "gaps never shrink");

        var capped = SnapshotSchedule.DenseEarly(10, 2, maxInterval: 100).StepsUpTo(2000).ToList();
        Assert.True(capped.Zip(capped.Skip(1), (a, b) => b - a).Max() <= 100);
    }

    [Theory]
    [InlineData("every:5", "every 5 steps")]
    [InlineData("7", "every 7 steps")]
    [InlineData("dense-early", "every step up to 20, then intervals growing ×1.25")]
    [InlineData("dense-early:10:1.5", "every step up to 10, then intervals growing ×1.5")]
    [InlineData("on-demand", "on demand")]
    [InlineData("steps:10,2,5", "at steps 2,5,10")]
    public void ParseReadsEverySpelling(string text, string description) =>
        Assert.Equal(description, SnapshotSchedule.Parse(text).ToString());

    [Theory]
    [InlineData("every:0")]
    [InlineData("every")]
    [InlineData("sometimes")]
    [InlineData("dense-early:x")]
    [InlineData("dense-early:10:0.5")]
    public void ParseRejectsNonsense(string text)
    {
        var e = Assert.Throws<FormatException>(() => SnapshotSchedule.Parse(text));
        Assert.Contains($"'{text}'", e.Message);
    }

    [Fact]
    public void ProbeFromDatasetCyclesThroughClassesDeterministically()
    {
        var inputs = Enumerable.Range(0, 30).Select(i => new[] { (float)i, -i }).ToArray();
        var labels = Enumerable.Range(0, 30).Select(i => (long)(i % 3)).ToArray();
        var ds = new ArrayDataset(inputs, labels);
        var probe = ProbeBatch.FromDataset(ds, count: 7, seed: 1);
        Assert.Equal([7, 2], probe.Inputs.Shape);
        Assert.Equal([0L, 1, 2, 0, 1, 2, 0], probe.Labels!.ToLongArray());
        // Each picked input really belongs to its label.
        var x = probe.Inputs.ToArray();
        for (int i = 0; i < 7; i++) Assert.Equal(labels[(int)x[2 * i]], probe.Labels.ToLongArray()[i]);
        Assert.Equal(x, ProbeBatch.FromDataset(ds, 7, seed: 1).Inputs.ToArray());
        Assert.NotEqual(x, ProbeBatch.FromDataset(ds, 7, seed: 2).Inputs.ToArray());
        Assert.Equal(30, ProbeBatch.FromDataset(ds, 100).Count);
    }
}
