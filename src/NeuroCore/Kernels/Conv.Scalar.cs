namespace NeuroCore.Kernels;

// Scalar tier of the shallow convolution product: the reference (the k FMAs of a column in order) and
// the tail of the vector tiers.
internal static partial class ConvKernels
{
    /// <summary>yq[j] = b + Σₖ wq[k]·col[k·p + j] for columns <paramref name="from"/> to p − 1.</summary>
    private static void ShallowRowScalar(ReadOnlySpan<float> wq, ReadOnlySpan<float> col, int p, float b, Span<float> yq, int from)
    {
        int k = wq.Length;
        for (int j = from; j < p; j++)
        {
            float acc = b;
            for (int kk = 0; kk < k; kk++) acc = MathF.FusedMultiplyAdd(wq[kk], col[kk * p + j], acc);
            yq[j] = acc;
        }
    }
}
