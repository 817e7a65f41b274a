using System.Numerics.Tensors;
using NeuroCore.Autograd;

namespace NeuroCore.NN;

public static partial class Functional
{
    /// <summary>
    /// Zeroes elements with probability <paramref name="p"/> and scales the rest by 1/(1−p) in training mode,
    /// so the expectation of every element is unchanged; the identity (the input itself) when
    /// <paramref name="training"/> is false or p = 0, like <c>F.dropout</c>. With p = 1 every element is zeroed.
    /// The gradient is multiplied by the same mask.
    /// </summary>
    /// <param name="input">Float32 tensor of any shape.</param>
    /// <param name="p">Drop probability in [0, 1].</param>
    /// <param name="training">Apply dropout (true) or pass the input through (false).</param>
    /// <param name="generator">Source of the Bernoulli mask (one draw per element, in row-major order); the default generator when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">When p is outside [0, 1] (or NaN).</exception>
    public static Tensor Dropout(Tensor input, float p, bool training, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: probability p must be in [0, 1], got {p}.");
        input.RequireFloat("Dropout");
        if (!training || p == 0) return input;

        var mask = new float[input.Numel];
        if (p < 1)
        {
            var g = generator ?? Generator.Default;
            float keep = 1f / (1f - p);
            // Keep with probability 1 − p: a uniform u ∈ [0, 1) is below 1 − p that often.
            double threshold = 1.0 - p;
            for (int i = 0; i < mask.Length; i++) mask[i] = g.NextDouble() < threshold ? keep : 0f;
        }
        var x = LossChecks.DenseFloats(input);
        var y = new float[mask.Length];
        TensorPrimitives.Multiply(x, mask, y);
        var shape = input.Shape;
        var result = Tensor.Wrap(y, shape);
        if (!GradMode.ShouldRecord(input)) return result;
        var maskTensor = Tensor.Wrap(mask, shape);
        // d(x·mask)/dx = mask
        return GradMode.Record(result, "dropout", [input], g => [g * maskTensor]);
    }
}
