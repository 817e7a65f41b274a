namespace NeuroCore.NN;

public static partial class Functional
{
    /// <summary>y = input · weightᵀ + bias, with weight of shape [out, in], like <c>F.linear</c>.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) =>
        throw new NotImplementedException("Linear");
}
