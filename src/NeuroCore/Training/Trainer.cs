using System.Diagnostics;
using NeuroCore.Autograd;
using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Training;

/// <summary>
/// Runs the standard loop — zero-grad, forward, loss, backward, optimizer step — over mini-batches for a
/// number of epochs, collecting loss (and accuracy for classification) per step and per epoch.
/// </summary>
/// <remarks>
/// The loop is exactly what a user would write by hand (and can: the Trainer adds nothing the model or
/// optimizer need). Observers plug in as <see cref="ITrainingCallback"/>s (learning-rate schedules, the
/// snapshot recorder) or through the <see cref="StepCompleted"/> and <see cref="EpochCompleted"/> events.
/// Callbacks run before events, in the order they were added.
/// </remarks>
public sealed class Trainer
{
    /// <summary>Creates a trainer.</summary>
    /// <param name="model">The model to train.</param>
    /// <param name="optimizer">The optimizer over the model's parameters.</param>
    /// <param name="lossFunction">(output, target) → scalar loss; null picks <see cref="DefaultLoss"/>.</param>
    public Trainer(Module model, Optimizer optimizer, Func<Tensor, Tensor, Tensor>? lossFunction = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        Model = model;
        Optimizer = optimizer;
        LossFunction = lossFunction ?? DefaultLoss;
    }

    /// <summary>The model being trained.</summary>
    public Module Model { get; }

    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The loss: (model output, batch targets) → scalar tensor.</summary>
    public Func<Tensor, Tensor, Tensor> LossFunction { get; set; }

    /// <summary>
    /// How each step clears gradients (see <see cref="Optimizer.ZeroGrad(bool)"/>): true (the default) sets
    /// them to null; false zeroes the gradient tensors in place. Both reuse gradient memory as long as no
    /// callback reads <see cref="Tensor.Grad"/>; with false, a parameter that gets no gradient keeps a zero
    /// gradient and optimizers with momentum or weight decay still move it, and a callback that keeps a
    /// parameter's <see cref="Tensor.Grad"/> past the step must copy it.
    /// </summary>
    public bool ZeroGradSetToNone { get; set; } = true;

    /// <summary>Observers called during <see cref="Fit"/>, in order.</summary>
    public IList<ITrainingCallback> Callbacks { get; } = new List<ITrainingCallback>();

    /// <summary>Raised after each optimizer step (after the callbacks).</summary>
    public event EventHandler<StepMetrics>? StepCompleted;

    /// <summary>Raised after each epoch (after the callbacks).</summary>
    public event EventHandler<EpochMetrics>? EpochCompleted;

    /// <summary>
    /// Set to true (e.g. from an event handler or another thread) to stop after the current step; a callback
    /// can also set <see cref="TrainingContext.StopRequested"/>. Reset at the start of each <see cref="Fit"/>.
    /// </summary>
    public bool StopRequested { get; set; }

    /// <summary>
    /// Cross entropy for int64 class targets (the usual classification set-up); mean squared error for
    /// float32 targets.
    /// </summary>
    public static Tensor DefaultLoss(Tensor output, Tensor target) =>
        target.DType == DType.Int64 ? F.CrossEntropy(output, target) : F.MseLoss(output, target);

    /// <summary>Adds a callback and returns this trainer (for chaining).</summary>
    public Trainer With(ITrainingCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Callbacks.Add(callback);
        return this;
    }

    /// <summary>
    /// Trains for <paramref name="epochs"/> passes over <paramref name="train"/>; after each epoch evaluates on
    /// <paramref name="validation"/> when given. Returns every step's and epoch's metrics.
    /// </summary>
    public TrainingHistory Fit(IEnumerable<Batch> train, int epochs, IEnumerable<Batch>? validation = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (epochs < 0) throw new ArgumentOutOfRangeException(nameof(epochs), $"Trainer.Fit: epochs must be >= 0, got {epochs}.");
        StopRequested = false;
        var context = new TrainingContext(Model, Optimizer)
        {
            Epochs = epochs,
            StepsPerEpoch = train switch
            {
                DataLoader loader => loader.BatchCount,
                IReadOnlyCollection<Batch> list => list.Count,
                _ => 0,
            },
        };
        var history = new TrainingHistory();
        var clock = Stopwatch.StartNew();
        Model.Train();
        foreach (var cb in Callbacks) cb.OnTrainBegin(context);

        for (int epoch = 0; epoch < epochs && !Stopping(context); epoch++)
        {
            context.Epoch = epoch;
            double lossSum = 0;
            long seen = 0, correct = 0;
            bool classification = true;
            foreach (var (inputs, targets) in train)
            {
                float lr = Optimizer.LearningRate;
                Optimizer.ZeroGrad(ZeroGradSetToNone);
                var output = Model.Call(inputs);
                var loss = LossFunction(output, targets);
                loss.Backward();
                Optimizer.Step();

                int n = inputs.Rank == 0 ? 1 : inputs.Size(0);
                float lossValue = loss.Item();
                float? accuracy = null;
                if (Metrics.IsClassification(output, targets))
                {
                    int c = Metrics.CorrectCount(output, targets);
                    correct += c;
                    accuracy = n == 0 ? 0f : (float)c / n;
                }
                else
                {
                    classification = false;
                }
                lossSum += (double)lossValue * n;
                seen += n;

                context.Step++;
                context.Elapsed = clock.Elapsed;
                var step = new StepMetrics(context.Step, epoch, lossValue, accuracy, lr);
                history.AddStep(step);
                foreach (var cb in Callbacks) cb.OnStepEnd(context, step);
                StepCompleted?.Invoke(this, step);
                if (Stopping(context)) break;
            }

            float? valLoss = null, valAccuracy = null;
            if (validation is not null)
            {
                var result = Evaluate(Model, validation, LossFunction);
                valLoss = result.Loss;
                valAccuracy = result.Accuracy;
            }
            context.Elapsed = clock.Elapsed;
            var metrics = new EpochMetrics(epoch, context.Step,
                seen == 0 ? float.NaN : (float)(lossSum / seen),
                classification && seen > 0 ? (float)correct / seen : null,
                valLoss, valAccuracy, clock.Elapsed);
            history.AddEpoch(metrics);
            foreach (var cb in Callbacks) cb.OnEpochEnd(context, metrics);
            EpochCompleted?.Invoke(this, metrics);
        }

        history.Stopped = Stopping(context);
        context.Elapsed = clock.Elapsed;
        foreach (var cb in Callbacks) cb.OnTrainEnd(context);
        return history;
    }

    /// <summary>
    /// Mean loss (weighted by batch size) and, for classification, accuracy of <paramref name="model"/> over
    /// <paramref name="batches"/>, computed in evaluation mode without recording gradients. The model's
    /// training mode is restored afterwards.
    /// </summary>
    /// <param name="model">The model to evaluate.</param>
    /// <param name="batches">The batches (a <see cref="DataLoader"/>, usually unshuffled).</param>
    /// <param name="lossFunction">(output, target) → scalar loss; null picks <see cref="DefaultLoss"/>.</param>
    public static EvaluationResult Evaluate(Module model, IEnumerable<Batch> batches, Func<Tensor, Tensor, Tensor>? lossFunction = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batches);
        var loss = lossFunction ?? DefaultLoss;
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using var _ = GradMode.NoGrad();
            double lossSum = 0;
            long seen = 0, correct = 0;
            bool classification = true;
            foreach (var (inputs, targets) in batches)
            {
                var output = model.Call(inputs);
                int n = inputs.Rank == 0 ? 1 : inputs.Size(0);
                lossSum += (double)loss(output, targets).Item() * n;
                seen += n;
                if (Metrics.IsClassification(output, targets)) correct += Metrics.CorrectCount(output, targets);
                else classification = false;
            }
            return new EvaluationResult(
                seen == 0 ? float.NaN : (float)(lossSum / seen),
                classification && seen > 0 ? (float)correct / seen : null,
                (int)seen);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    private bool Stopping(TrainingContext context) => StopRequested || context.StopRequested;
}

/// <summary>The result of <see cref="Trainer.Evaluate"/>.</summary>
/// <param name="Loss">Mean loss over all examples (NaN when there were none).</param>
/// <param name="Accuracy">Fraction classified correctly, or null when not a classification.</param>
/// <param name="Count">Number of examples evaluated.</param>
public readonly record struct EvaluationResult(float Loss, float? Accuracy, int Count);

/// <summary>What <see cref="Trainer.Fit"/> observed: every step's and every epoch's metrics.</summary>
public sealed class TrainingHistory
{
    private readonly List<StepMetrics> _steps = [];
    private readonly List<EpochMetrics> _epochs = [];

    /// <summary>Metrics of each optimizer step, in order.</summary>
    public IReadOnlyList<StepMetrics> Steps => _steps;

    /// <summary>Metrics of each completed epoch, in order.</summary>
    public IReadOnlyList<EpochMetrics> Epochs => _epochs;

    /// <summary>True when training ended early because a stop was requested.</summary>
    public bool Stopped { get; internal set; }

    /// <summary>The last epoch's metrics, or null when no epoch ran.</summary>
    public EpochMetrics? Last => _epochs.Count == 0 ? null : _epochs[^1];

    internal void AddStep(StepMetrics step) => _steps.Add(step);

    internal void AddEpoch(EpochMetrics epoch) => _epochs.Add(epoch);
}
