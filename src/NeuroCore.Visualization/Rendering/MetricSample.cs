namespace NeuroCore.Visualization.Rendering;

/// <summary>One point of the metric history.</summary>
/// <param name="Step">Global step.</param>
/// <param name="Loss">Training loss.</param>
/// <param name="Accuracy">Training accuracy (0..1), or null.</param>
/// <param name="LearningRate">Learning rate, or null.</param>
/// <param name="ValidationLoss">Held-out loss of the last epoch completed by this step, or null.</param>
/// <param name="ValidationAccuracy">Held-out accuracy (0..1) of the last epoch completed by this step, or null.</param>
public readonly record struct MetricSample(long Step, float Loss, float? Accuracy = null, float? LearningRate = null,
    float? ValidationLoss = null, float? ValidationAccuracy = null);
