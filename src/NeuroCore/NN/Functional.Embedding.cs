namespace NeuroCore.NN;

public static partial class Functional
{
    /// <summary>Looks up rows of <paramref name="weight"/> [V, D] for int64 <paramref name="indices"/>, like <c>F.embedding</c>.</summary>
    public static Tensor Embedding(Tensor indices, Tensor weight) =>
        throw new NotImplementedException("Embedding");
}
