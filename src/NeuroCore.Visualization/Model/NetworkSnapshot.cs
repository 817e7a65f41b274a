namespace NeuroCore.Visualization.Model;

/// <summary>
/// The state of the network at one recorded training step: weights of each weighted layer and,
/// when recorded, each layer's activations on the chosen probe input.
/// </summary>
/// <param name="Step">The training step (optimizer steps taken) when the snapshot was recorded.</param>
/// <param name="Weights">Per layer (same index as <see cref="NetworkArchitecture.Layers"/>): weights, null for layers without them.</param>
/// <param name="Activations">Per layer: activations of the probe input (NeuronCount values, row-major), null when not recorded.</param>
public sealed record NetworkSnapshot(long Step, IReadOnlyList<LayerWeights?> Weights, IReadOnlyList<float[]?>? Activations = null)
{
    /// <summary>Optional metrics at this step (e.g. "loss", "accuracy"), copied into the scene's extras.</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }
}
