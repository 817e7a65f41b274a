namespace NeuroCore.Kernels;

/// <summary>
/// Companions of <see cref="ReductionKernels.MaxAxis"/> over a dense tensor viewed as
/// [outer, n, inner]: the minimum with its first arg min, and the scatter that routes a reduced
/// gradient back to the selected positions.
/// </summary>
internal static class ArgReductionKernels
{
    /// <summary>dst[o, i] = minₖ src[o, k, i] and argmin[o, i] = the first k attaining it (NaN propagates).</summary>
    public static void MinAxis(ReadOnlySpan<float> src, int outer, int n, int inner, Span<float> dst, Span<int> argmin)
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
                    if (v < best || float.IsNaN(v)) { best = v; bestK = k; }
                }
                dst[o * inner + i] = best;
                argmin[o * inner + i] = bestK;
            }
        }
    }

    /// <summary>
    /// dst (zeroed by the caller, [outer, n, inner]) receives g[o, i] at k = index[o, i]; every other
    /// position stays 0. The backward of a value-selecting reduction.
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
}
