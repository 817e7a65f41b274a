using NeuroCore.NN;
using NeuroCore.Optim;

namespace NeuroCore.Training;

/// <summary>
/// Observes a <see cref="Trainer"/> run without changing the user's loop: metrics loggers,
/// learning-rate schedules and the training-snapshot recorder plug in here. All methods are optional.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>Called once before the first step.</summary>
    void OnTrainBegin(TrainingContext context) { }

    /// <summary>Called after each optimizer step (gradients of that step are still on the parameters).</summary>
    void OnStepEnd(TrainingContext context, StepMetrics step) { }

    /// <summary>Called after each epoch, with the epoch's metrics (and validation metrics when evaluated).</summary>
    void OnEpochEnd(TrainingContext context, EpochMetrics epoch) { }

    /// <summary>Called once after the last epoch (also when training stops early).</summary>
    void OnTrainEnd(TrainingContext context) { }
}

/// <summary>What a callback can see of a running training.</summary>
public sealed class TrainingContext
{
    /// <summary>Creates a context for <paramref name="model"/> trained by <paramref name="optimizer"/>.</summary>
    public TrainingContext(Module model, Optimizer optimizer)
    {
        Model = model;
        Optimizer = optimizer;
    }

    /// <summary>The model being trained.</summary>
    public Module Model { get; }

    /// <summary>The optimizer (its <see cref="Optimizer.LearningRate"/> is the current one).</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Optimizer steps completed so far (the global step).</summary>
    public int Step { get; set; }

    /// <summary>The current epoch, starting at 0.</summary>
    public int Epoch { get; set; }

    /// <summary>Total epochs planned.</summary>
    public int Epochs { get; set; }

    /// <summary>Steps per epoch (batches the loader yields).</summary>
    public int StepsPerEpoch { get; set; }

    /// <summary>Wall-clock time since training began.</summary>
    public TimeSpan Elapsed { get; set; }

    /// <summary>Set to true in a callback to stop after the current step.</summary>
    public bool StopRequested { get; set; }
}

/// <summary>Metrics of one optimizer step.</summary>
/// <param name="Step">The global step number (1 for the first step).</param>
/// <param name="Epoch">The epoch the step belongs to (from 0).</param>
/// <param name="Loss">The batch loss before the step.</param>
/// <param name="Accuracy">The batch accuracy for classification, or null.</param>
/// <param name="LearningRate">The learning rate used for the step.</param>
public readonly record struct StepMetrics(int Step, int Epoch, float Loss, float? Accuracy, float LearningRate);

/// <summary>Metrics of one epoch.</summary>
/// <param name="Epoch">The epoch number (from 0).</param>
/// <param name="Step">The global step at the end of the epoch.</param>
/// <param name="Loss">Mean training loss over the epoch's examples (batch losses weighted by batch size).</param>
/// <param name="Accuracy">Training accuracy over the epoch, or null when not a classification.</param>
/// <param name="ValidationLoss">Loss on the validation set, when one was given.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set, when one was given.</param>
/// <param name="Elapsed">Wall-clock time since training began.</param>
public readonly record struct EpochMetrics(int Epoch, int Step, float Loss, float? Accuracy,
    float? ValidationLoss, float? ValidationAccuracy, TimeSpan Elapsed);
