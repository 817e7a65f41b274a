namespace NeuroCore.Data;

/// <summary>A dataset over two tensors whose first dimension indexes examples, like <c>TensorDataset</c>.</summary>
public sealed class TensorDataset : IDataset
{
    /// <summary>Creates a dataset; <paramref name="inputs"/> and <paramref name="targets"/> must have the same first dimension.</summary>
    public TensorDataset(Tensor inputs, Tensor targets) => throw new NotImplementedException("TensorDataset");

    /// <summary>All inputs, [N, …].</summary>
    public Tensor Inputs => throw new NotImplementedException();

    /// <summary>All targets, [N, …].</summary>
    public Tensor Targets => throw new NotImplementedException();

    /// <inheritdoc />
    public int Count => throw new NotImplementedException();

    /// <inheritdoc />
    public (Tensor Input, Tensor Target) this[int index] => throw new NotImplementedException();
}
