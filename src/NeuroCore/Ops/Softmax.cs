namespace NeuroCore;

public sealed partial class Tensor
{
    /// <summary>Softmax over <paramref name="dim"/>.</summary>
    public Tensor Softmax(int dim) => throw new NotImplementedException("Softmax");
    /// <summary>Log-softmax over <paramref name="dim"/> (numerically stable).</summary>
    public Tensor LogSoftmax(int dim) => throw new NotImplementedException("LogSoftmax");
}
