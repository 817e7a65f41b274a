namespace NeuroCore.Data;

/// <summary>A random-access collection of (input, target) examples, like <c>torch.utils.data.Dataset</c>.</summary>
public interface IDataset
{
    /// <summary>Number of examples.</summary>
    int Count { get; }

    /// <summary>The example at <paramref name="index"/>: an input tensor and its target (float32 or int64).</summary>
    (Tensor Input, Tensor Target) this[int index] { get; }
}

/// <summary>A mini-batch: stacked inputs [B, …] and targets [B, …].</summary>
/// <param name="Inputs">The batch inputs.</param>
/// <param name="Targets">The batch targets (int64 class indices for classification).</param>
public readonly record struct Batch(Tensor Inputs, Tensor Targets);
