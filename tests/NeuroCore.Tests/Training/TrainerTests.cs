using NeuroCore.Autograd;
using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Training;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Tests.Training;

public class TrainerTests
{
    /// <summary>logits = x · w (per-class scale, broadcast over the batch): trainable with only foundation ops.</summary>
    private sealed class Scale : Module
    {
        public Scale(int classes) => Weight = RegisterParameter("weight", Tensor.Full([classes], 0.1f));
        public Tensor Weight { get; }
        public List<bool> ModesSeen { get; } = [];
        public override Tensor Forward(Tensor input)
        {
            ModesSeen.Add(IsTraining);
            return input * Weight;
        }
    }

    /// <summary>8 examples in 2 classes: class k has a large input in column k, so a positive scale classifies them.</summary>
    private static TensorDataset TwoClasses()
    {
        var x = new float[16];
        var y = new long[8];
        for (int i = 0; i < 8; i++)
        {
            y[i] = i % 2;
            x[i * 2 + (i % 2)] = 1f + i * 0.1f;
        }
        return new TensorDataset(Tensor.FromArray(x, 8, 2), Tensor.FromArray(y, 8));
    }

    private sealed class Recorder : ITrainingCallback
    {
        public List<string> Events { get; } = [];
        public int StopAtStep { get; init; } = -1;
        public bool GradientsPresentAtStepEnd { get; private set; } = true;
        public void OnTrainBegin(TrainingContext c) => Events.Add($"begin {c.Epochs}x{c.StepsPerEpoch}");
        public void OnStepEnd(TrainingContext c, StepMetrics s)
        {
            Events.Add($"step {s.Step}");
            GradientsPresentAtStepEnd &= c.Model.Parameters().All(p => p.Grad is not null);
            if (s.Step == StopAtStep) c.StopRequested = true;
        }
        public void OnEpochEnd(TrainingContext c, EpochMetrics e) => Events.Add($"epoch {e.Epoch}");
        public void OnTrainEnd(TrainingContext c) => Events.Add("end");
    }

    [Fact]
    public void FitRunsEveryStepAndReportsLossAndAccuracy()
    {
        var model = new Scale(2);
        var trainer = new Trainer(model, new SGD(model.Parameters(), 0.5f));
        var history = trainer.Fit(new DataLoader(TwoClasses(), batchSize: 4), epochs: 5);

        Assert.Equal(10, history.Steps.Count);
        Assert.Equal(Enumerable.Range(1, 10), history.Steps.Select(s => s.Step));
        Assert.Equal(5, history.Epochs.Count);
        Assert.All(history.Steps, s => Assert.NotNull(s.Accuracy));
        Assert.All(history.Steps, s => Assert.Equal(0.5f, s.LearningRate));
        Assert.True(history.Epochs[^1].Loss < history.Epochs[0].Loss, "the loss should fall while training");
        Assert.Equal(1f, history.Last!.Value.Accuracy);
        Assert.Equal(10, history.Last.Value.Step);
        Assert.False(history.Stopped);
        Assert.Null(history.Last.Value.ValidationLoss);
    }

    [Fact]
    public void EpochLossIsTheMeanOfItsStepLosses()
    {
        var model = new Scale(2);
        var history = new Trainer(model, new SGD(model.Parameters(), 0.1f)).Fit(new DataLoader(TwoClasses(), 4), 1);
        Assert.Equal((history.Steps[0].Loss + history.Steps[1].Loss) / 2, history.Epochs[0].Loss, 5);
        Assert.Equal((history.Steps[0].Accuracy!.Value + history.Steps[1].Accuracy!.Value) / 2, history.Epochs[0].Accuracy!.Value, 5);
    }

    [Fact]
    public void CallbacksRunInOrderBeforeEventsAndSeeTheGradients()
    {
        var model = new Scale(2);
        var recorder = new Recorder();
        var trainer = new Trainer(model, new SGD(model.Parameters(), 0.1f)).With(recorder);
        trainer.StepCompleted += (_, s) => recorder.Events.Add($"event step {s.Step}");
        trainer.EpochCompleted += (_, e) => recorder.Events.Add($"event epoch {e.Epoch}");
        trainer.Fit(new DataLoader(TwoClasses(), 4), 2);

        Assert.Equal(
            ["begin 2x2", "step 1", "event step 1", "step 2", "event step 2", "epoch 0", "event epoch 0",
             "step 3", "event step 3", "step 4", "event step 4", "epoch 1", "event epoch 1", "end"],
            recorder.Events);
        Assert.True(recorder.GradientsPresentAtStepEnd);
    }

    [Fact]
    public void StopRequestedByACallbackEndsTrainingAfterThatStep()
    {
        var model = new Scale(2);
        var recorder = new Recorder { StopAtStep = 3 };
        var history = new Trainer(model, new SGD(model.Parameters(), 0.1f)).With(recorder).Fit(new DataLoader(TwoClasses(), 4), 10);
        Assert.True(history.Stopped);
        Assert.Equal(3, history.Steps.Count);
        Assert.Equal("end", recorder.Events[^1]);
    }

    [Fact]
    public void StopRequestedOnTheTrainerFromAnEventHandler()
    {
        var model = new Scale(2);
        var trainer = new Trainer(model, new SGD(model.Parameters(), 0.1f));
        trainer.StepCompleted += (_, s) => { if (s.Step == 2) trainer.StopRequested = true; };
        var history = trainer.Fit(new DataLoader(TwoClasses(), 2), 3);
        Assert.Equal(2, history.Steps.Count);
        Assert.True(history.Stopped);
    }

    [Fact]
    public void ValidationIsEvaluatedEachEpochInEvalModeWithoutGradients()
    {
        var model = new Scale(2);
        var data = TwoClasses();
        var trainer = new Trainer(model, new SGD(model.Parameters(), 0.5f));
        var history = trainer.Fit(new DataLoader(data, 4), 2, validation: new DataLoader(data, 8));
        Assert.All(history.Epochs, e => Assert.NotNull(e.ValidationLoss));
        Assert.All(history.Epochs, e => Assert.NotNull(e.ValidationAccuracy));
        // Per epoch: two training batches (train mode), then one validation batch (eval mode).
        Assert.Equal([true, true, false, true, true, false], model.ModesSeen);
        Assert.True(model.IsTraining);
    }

    [Fact]
    public void EvaluateMatchesAHandComputedLossAndRestoresTheMode()
    {
        var model = new Scale(2);
        var data = TwoClasses();
        model.Eval();
        var result = Trainer.Evaluate(model, new DataLoader(data, 3));
        Assert.False(model.IsTraining); // restored to what it was
        model.Train();
        var again = Trainer.Evaluate(model, new DataLoader(data, 3));
        Assert.True(model.IsTraining);
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));

        float expected = F.CrossEntropy(data.Inputs * model.Weight, data.Targets).Item();
        Assert.Equal(expected, result.Loss, 5); // batch sizes 3, 3, 2 are weighted to the full-set mean
        Assert.Equal(expected, again.Loss, 5);
        Assert.Equal(8, result.Count);
        Assert.Equal(1f, result.Accuracy);
    }

    [Fact]
    public void FloatTargetsUseMeanSquaredErrorAndReportNoAccuracy()
    {
        var model = new Scale(2);
        var ds = new TensorDataset(Tensor.Ones(4, 2), Tensor.Full([4, 2], 2f));
        var history = new Trainer(model, new SGD(model.Parameters(), 0.1f)).Fit(new DataLoader(ds, 2), 20);
        Assert.Null(history.Steps[0].Accuracy);
        Assert.Null(history.Epochs[0].Accuracy);
        Assert.Equal((2f - 0.1f) * (2f - 0.1f), history.Steps[0].Loss, 4);
        Assert.True(history.Epochs[^1].Loss < 0.01f);
    }

    [Fact]
    public void ACustomLossFunctionIsUsed()
    {
        var model = new Scale(2);
        int calls = 0;
        var trainer = new Trainer(model, new SGD(model.Parameters(), 0.1f), (o, t) => { calls++; return (o * o).Mean(); });
        trainer.Fit(new DataLoader(TwoClasses(), 8), 3);
        Assert.Equal(3, calls);
    }

    [Fact]
    public void ASchedulerCallbackSetsTheRateEachStepUses()
    {
        var model = new Scale(2);
        var optimizer = new SGD(model.Parameters(), 1f);
        var warmup = new LinearWarmup(optimizer, warmupSteps: 4, then: null, startFactor: 0.25f);
        var history = new Trainer(model, optimizer).With(warmup).Fit(new DataLoader(TwoClasses(), 2), 2);
        // Like LinearLR: factor = 0.25 + 0.75·t/4 for t = 0..3, then 1.
        Assert.Equal([0.25f, 0.4375f, 0.625f, 0.8125f, 1f, 1f, 1f, 1f], history.Steps.Select(s => s.LearningRate));

        var perEpoch = new SGD(model.Parameters(), 1f);
        var decay = new StepLR(perEpoch, stepSize: 1, gamma: 0.5f);
        var h2 = new Trainer(model, perEpoch).With(decay).Fit(new DataLoader(TwoClasses(), 4), 3);
        Assert.Equal([1f, 1f, 0.5f, 0.5f, 0.25f, 0.25f], h2.Steps.Select(s => s.LearningRate));
    }

    [Fact]
    public void MetricsAccuracyCountsArgMaxMatches()
    {
        var logits = Tensor.FromArray([0.1f, 0.9f, 0.8f, 0.2f, 0.5f, 0.5f], 3, 2);
        Assert.Equal(2, Metrics.CorrectCount(logits, Tensor.FromArray([1L, 0L, 1L])));
        Assert.Equal(2f / 3, Metrics.Accuracy(logits, Tensor.FromArray([1L, 0L, 1L])), 6);
        Assert.Throws<ArgumentException>(() => Metrics.Accuracy(logits, Tensor.FromArray([1f, 0f, 1f])));
    }

    [Fact]
    public void TrainingWithoutGradModeOffStillRecords()
    {
        // Evaluate's no-grad scope must not leak into later training.
        var model = new Scale(2);
        Trainer.Evaluate(model, new DataLoader(TwoClasses(), 8));
        Assert.True(GradMode.IsEnabled);
    }
}
