using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuroCore.Kernels;

// AVX2 tier (Vector256) of the shallow convolution product: 32 columns with four independent
// accumulators, then 8 at a time; the k FMAs of each column in order, as in every tier.
internal static partial class ConvKernels
{
    /// <summary>yq[j] = b + Σₖ wq[k]·col[k·p + j] for whole 8-column blocks from column <paramref name="from"/>; returns the first column not done.</summary>
    private static int ShallowRowAvx2(ReadOnlySpan<float> wq, ReadOnlySpan<float> col, int p, float b, Span<float> yq, int from)
    {
        ref float cs = ref MemoryMarshal.GetReference(col);
        ref float ys = ref MemoryMarshal.GetReference(yq);
        int k = wq.Length;
        int j = from;
        for (; j + 32 <= p; j += 32)
        {
            var a0 = Vector256.Create(b);
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            for (int kk = 0; kk < k; kk++)
            {
                var wv = Vector256.Create(wq[kk]);
                nuint at = (nuint)(kk * p + j);
                a0 = Vector256.FusedMultiplyAdd(wv, Vector256.LoadUnsafe(ref cs, at), a0);
                a1 = Vector256.FusedMultiplyAdd(wv, Vector256.LoadUnsafe(ref cs, at + 8), a1);
                a2 = Vector256.FusedMultiplyAdd(wv, Vector256.LoadUnsafe(ref cs, at + 16), a2);
                a3 = Vector256.FusedMultiplyAdd(wv, Vector256.LoadUnsafe(ref cs, at + 24), a3);
            }
            a0.StoreUnsafe(ref ys, (nuint)j);
            a1.StoreUnsafe(ref ys, (nuint)j + 8);
            a2.StoreUnsafe(ref ys, (nuint)j + 16);
            a3.StoreUnsafe(ref ys, (nuint)j + 24);
        }
        for (; j + 8 <= p; j += 8)
        {
            var acc = Vector256.Create(b);
            for (int kk = 0; kk < k; kk++)
                acc = Vector256.FusedMultiplyAdd(Vector256.Create(wq[kk]), Vector256.LoadUnsafe(ref cs, (nuint)(kk * p + j)), acc);
            acc.StoreUnsafe(ref ys, (nuint)j);
        }
        return j;
    }
}
