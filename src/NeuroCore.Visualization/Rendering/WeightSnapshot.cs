namespace NeuroCore.Visualization.Rendering;

/// <summary>The network's parameters (and optionally metrics and recorded activations) at one training step.</summary>
/// <param name="Step">Global optimizer step.</param>
/// <param name="Epoch">Epoch (from 0).</param>
/// <param name="Weights">Per layer, the weight matrix <c>[out, in]</c> row-major.</param>
/// <param name="Biases">Per layer, the bias vector (entries may be null for layers without bias).</param>
public sealed record WeightSnapshot(long Step, int Epoch, IReadOnlyList<float[]> Weights, IReadOnlyList<float[]?>? Biases = null)
{
    /// <summary>Training loss at this step, when recorded.</summary>
    public float? Loss { get; init; }

    /// <summary>Training accuracy (0..1) at this step, when recorded.</summary>
    public float? Accuracy { get; init; }

    /// <summary>Learning rate at this step, when recorded.</summary>
    public float? LearningRate { get; init; }

    /// <summary>
    /// Recorded activation of every neuron per layer (input layer first), e.g. the mean over a probe batch;
    /// when null the renderer computes activations itself from the probe input.
    /// </summary>
    public IReadOnlyList<float[]>? Activations { get; init; }
}
