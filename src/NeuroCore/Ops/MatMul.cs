namespace NeuroCore;

public sealed partial class Tensor
{
    /// <summary>Matrix product with <c>torch.matmul</c> rules (1-D, 2-D, batched, broadcast batch dimensions).</summary>
    public Tensor MatMul(Tensor other) => throw new NotImplementedException("MatMul");
}
