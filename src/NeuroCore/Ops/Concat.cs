namespace NeuroCore;

public sealed partial class Tensor
{
    /// <summary>Joins tensors along <paramref name="dim"/>, like <c>torch.cat</c>.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int dim = 0) => throw new NotImplementedException("Concat");
}
