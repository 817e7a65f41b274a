using System.Numerics.Tensors;

namespace NeuroCore.Kernels;

/// <summary>
/// Reductions over one axis of a dense tensor viewed as [outer, n, inner]: the reduced axis has
/// length n and stride inner.
/// </summary>
internal static class ReductionKernels
{
    /// <summary>dst[o, i] = Σₖ src[o, k, i].</summary>
    public static void SumAxis(ReadOnlySpan<float> src, int outer, int n, int inner, Span<float> dst)
    {
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) dst[o] = TensorPrimitives.Sum(src.Slice(o * n, n));
            return;
        }
        dst.Clear();
        for (int o = 0; o < outer; o++)
        {
            var d = dst.Slice(o * inner, inner);
            int baseOffset = o * n * inner;
            for (int k = 0; k < n; k++) TensorPrimitives.Add(d, src.Slice(baseOffset + k * inner, inner), d);
        }
    }

    /// <summary>dst[o, i] = maxₖ src[o, k, i] and argmax[o, i] = the first k attaining it (NaN propagates).</summary>
    public static void MaxAxis(ReadOnlySpan<float> src, int outer, int n, int inner, Span<float> dst, Span<int> argmax) =>
        ExtremumAxis<Greater>(src, outer, n, inner, dst, argmax);

    /// <summary>dst[o, i] = minₖ src[o, k, i] and argmin[o, i] = the first k attaining it (NaN propagates).</summary>
    public static void MinAxis(ReadOnlySpan<float> src, int outer, int n, int inner, Span<float> dst, Span<int> argmin) =>
        ExtremumAxis<Less>(src, outer, n, inner, dst, argmin);

    /// <summary>
    /// dst (zeroed by the caller, [outer, n, inner]) receives g[o, i] at k = index[o, i]; every other
    /// position stays 0. The backward of a value-selecting reduction (max, min).
    /// </summary>
    public static void ScatterAxis(ReadOnlySpan<float> g, ReadOnlySpan<int> index, int outer, int n, int inner, Span<float> dst)
    {
        for (int o = 0; o < outer; o++)
        {
            int baseOffset = o * n * inner;
            for (int i = 0; i < inner; i++)
                dst[baseOffset + index[o * inner + i] * inner + i] = g[o * inner + i];
        }
    }

    private interface IBetter
    {
        static abstract bool IsBetter(float candidate, float best);
    }

    private readonly struct Greater : IBetter
    {
        public static bool IsBetter(float candidate, float best) => candidate > best;
    }

    private readonly struct Less : IBetter
    {
        public static bool IsBetter(float candidate, float best) => candidate < best;
    }

    /// <summary>The extremum selected by <typeparamref name="TBetter"/> and its first index; a NaN wins and stops the search, as in torch.</summary>
    private static void ExtremumAxis<TBetter>(ReadOnlySpan<float> src, int outer, int n, int inner, Span<float> dst, Span<int> arg)
        where TBetter : IBetter
    {
        for (int o = 0; o < outer; o++)
        {
            int baseOffset = o * n * inner;
            for (int i = 0; i < inner; i++)
            {
                float best = src[baseOffset + i];
                int bestK = 0;
                for (int k = 1; k < n && !float.IsNaN(best); k++)
                {
                    float v = src[baseOffset + k * inner + i];
                    if (TBetter.IsBetter(v, best) || float.IsNaN(v)) { best = v; bestK = k; }
                }
                dst[o * inner + i] = best;
                arg[o * inner + i] = bestK;
            }
        }
    }
}
