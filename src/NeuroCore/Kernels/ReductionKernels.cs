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
    public static void MaxAxis(ReadOnlySpan<float> src, int outer, int n, int inner, Span<float> dst, Span<int> argmax)
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
                    if (v > best || float.IsNaN(v)) { best = v; bestK = k; }
                }
                dst[o * inner + i] = best;
                argmax[o * inner + i] = bestK;
            }
        }
    }
}
