namespace NeuroCore;

/// <summary>Element types a <see cref="Tensor"/> can hold.</summary>
public enum DType
{
    /// <summary>32-bit IEEE float: values, parameters and gradients.</summary>
    Float32,
    /// <summary>64-bit integer: class targets and embedding indices (PyTorch's <c>torch.long</c>).</summary>
    Int64,
}
