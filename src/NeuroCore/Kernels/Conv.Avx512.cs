using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuroCore.Kernels;

// AVX-512 tier (Vector512) of the shallow convolution product: 64 columns with four independent
// accumulators, then 16 at a time; the k FMAs of each column in order, as in every tier.
internal static partial class ConvKernels
{
    /// <summary>yq[j] = b + Σₖ wq[k]·col[k·p + j] for whole 16-column blocks from 0; returns the first column not done.</summary>
    private static int ShallowRowAvx512(ReadOnlySpan<float> wq, ReadOnlySpan<float> col, int p, float b, Span<float> yq)
    {
        ref float cs = ref MemoryMarshal.GetReference(col);
        ref float ys = ref MemoryMarshal.GetReference(yq);
        int k = wq.Length;
        int j = 0;
        // Four independent accumulators hide the FMA latency of the k-long chains.
        for (; j + 64 <= p; j += 64)
        {
            var a0 = Vector512.Create(b);
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            for (int kk = 0; kk < k; kk++)
            {
                var wv = Vector512.Create(wq[kk]);
                nuint at = (nuint)(kk * p + j);
                a0 = Vector512.FusedMultiplyAdd(wv, Vector512.LoadUnsafe(ref cs, at), a0);
                a1 = Vector512.FusedMultiplyAdd(wv, Vector512.LoadUnsafe(ref cs, at + 16), a1);
                a2 = Vector512.FusedMultiplyAdd(wv, Vector512.LoadUnsafe(ref cs, at + 32), a2);
                a3 = Vector512.FusedMultiplyAdd(wv, Vector512.LoadUnsafe(ref cs, at + 48), a3);
            }
            a0.StoreUnsafe(ref ys, (nuint)j);
            a1.StoreUnsafe(ref ys, (nuint)j + 16);
            a2.StoreUnsafe(ref ys, (nuint)j + 32);
            a3.StoreUnsafe(ref ys, (nuint)j + 48);
        }
        for (; j + 16 <= p; j += 16)
        {
            var acc = Vector512.Create(b);
            for (int kk = 0; kk < k; kk++)
                acc = Vector512.FusedMultiplyAdd(Vector512.Create(wq[kk]), Vector512.LoadUnsafe(ref cs, (nuint)(kk * p + j)), acc);
            acc.StoreUnsafe(ref ys, (nuint)j);
        }
        return j;
    }
}
