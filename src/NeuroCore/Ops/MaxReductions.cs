namespace NeuroCore;

public sealed partial class Tensor
{
    /// <summary>The maximum over <paramref name="dim"/> (values; the gradient flows to the arg max).</summary>
    public Tensor Max(int dim, bool keepDim = false) => throw new NotImplementedException("Max");
    /// <summary>The maximum of all elements, as a scalar tensor.</summary>
    public Tensor Max() => throw new NotImplementedException("Max");
    /// <summary>The index of the maximum over <paramref name="dim"/>, as an int64 tensor.</summary>
    public Tensor ArgMax(int dim, bool keepDim = false) => throw new NotImplementedException("ArgMax");
}
