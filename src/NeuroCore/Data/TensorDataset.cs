using NeuroCore.Layout;

namespace NeuroCore.Data;

/// <summary>A dataset over two tensors whose first dimension indexes examples, like <c>TensorDataset</c>.</summary>
/// <remarks>
/// The tensors are kept contiguous and detached from any autograd graph, so <see cref="DataLoader"/>
/// can copy runs of rows straight into a batch. Examples returned by the indexer are views (no copy).
/// </remarks>
public sealed class TensorDataset : IDataset
{
    /// <summary>Creates a dataset; <paramref name="inputs"/> and <paramref name="targets"/> must have the same first dimension.</summary>
    public TensorDataset(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Rank == 0 || targets.Rank == 0)
            throw new ArgumentException(
                $"TensorDataset: inputs and targets need a first dimension indexing examples, got inputs {ShapeUtil.Format(inputs.ShapeRef)} and targets {ShapeUtil.Format(targets.ShapeRef)}.");
        if (inputs.ShapeRef[0] != targets.ShapeRef[0])
            throw new ArgumentException(
                $"TensorDataset: inputs {ShapeUtil.Format(inputs.ShapeRef)} and targets {ShapeUtil.Format(targets.ShapeRef)} must have the same first dimension (number of examples).");
        Inputs = inputs.Contiguous().Detach();
        Targets = targets.Contiguous().Detach();
    }

    /// <summary>All inputs, [N, …].</summary>
    public Tensor Inputs { get; }

    /// <summary>All targets, [N, …].</summary>
    public Tensor Targets { get; }

    /// <inheritdoc />
    public int Count => Inputs.ShapeRef[0];

    /// <inheritdoc />
    public (Tensor Input, Tensor Target) this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"TensorDataset: index {index} is out of range for {Count} examples.");
            return (Row(Inputs, index), Row(Targets, index));
        }
    }

    /// <summary>Row <paramref name="index"/> of a contiguous tensor as a view sharing its storage.</summary>
    private static Tensor Row(Tensor t, int index)
    {
        var shape = t.ShapeRef[1..];
        var strides = t.StridesRef[1..];
        return t.ViewOf(shape, strides, t.Offset + index * t.StridesRef[0]);
    }
}
