namespace NeuroCore.NN;

public static partial class Functional
{
    /// <summary>
    /// Zeroes elements with probability <paramref name="p"/> and scales the rest by 1/(1−p) in training mode;
    /// the identity otherwise, like <c>F.dropout</c>.
    /// </summary>
    public static Tensor Dropout(Tensor input, float p, bool training, Generator? generator = null) =>
        throw new NotImplementedException("Dropout");
}
