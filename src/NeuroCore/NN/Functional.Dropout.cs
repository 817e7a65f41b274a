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
    /// <param name="generator">Seeds the Bernoulli mask (the same generator state always gives the same mask); the default generator when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">When p is outside [0, 1] (or NaN).</exception>
    public static Tensor Dropout(Tensor input, float p, bool training, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: probability p must be in [0, 1], got {p}.");
        input.RequireFloat("Dropout");
        if (!training || p == 0) return input;

        var mask = new float[input.Numel];
        if (p < 1) FillMask(mask, p, generator ?? Generator.Default);
        var x = FunctionalArgs.DenseFloats(input);
        var y = new float[mask.Length];
        TensorPrimitives.Multiply(x, mask, y);
        var shape = input.Shape;
        var result = Tensor.Wrap(y, shape);
        if (!GradMode.ShouldRecord(input)) return result;
        var maskTensor = Tensor.Wrap(mask, shape);
        // d(x·mask)/dx = mask
        return GradMode.Record(result, "dropout", [input], g => [g * maskTensor]);
    }

    /// <summary>
    /// Fills <paramref name="mask"/> with 1/(1−p) (kept) or 0 (dropped), each kept with probability 1 − p.
    /// Two draws from <paramref name="generator"/> seed a SplitMix64 stream that supplies two 32-bit uniforms
    /// per step: a per-element <see cref="Generator.NextDouble"/> costs several times more, and the mask is
    /// still a pure function of the generator's state (same seed, same mask).
    /// </summary>
    private static void FillMask(Span<float> mask, float p, Generator generator)
    {
        ulong state = ((ulong)(uint)generator.NextInt(int.MaxValue) << 31) ^ (uint)generator.NextInt(int.MaxValue);
        float keep = 1f / (1f - p);
        // u < (1 − p)·2³² for a uniform 32-bit u happens with probability 1 − p (to within 2⁻³²).
        ulong threshold = (ulong)Math.Round((1.0 - p) * 4294967296.0);
        int i = 0;
        for (; i + 1 < mask.Length; i += 2)
        {
            ulong r = SplitMix64(ref state);
            mask[i] = (r & 0xFFFFFFFFUL) < threshold ? keep : 0f;
            mask[i + 1] = (r >> 32) < threshold ? keep : 0f;
        }
        if (i < mask.Length) mask[i] = (SplitMix64(ref state) & 0xFFFFFFFFUL) < threshold ? keep : 0f;
    }

    /// <summary>One step of SplitMix64 (Steele, Lea and Flood 2014): a fast generator whose outputs pass BigCrush.</summary>
    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
