using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuroCore.Kernels;

// AVX2 tier (Vector256): 8 elements per iteration, the scalar reference's operations in its order, no FMA.
internal static partial class AdamKernel
{
    /// <summary>Updates the whole 8-element blocks from element <paramref name="from"/>; returns the first element not done.</summary>
    private static int StepAvx2(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in Hyper h, int from)
    {
        int n = p.Length;
        ref float rp = ref MemoryMarshal.GetReference(p);
        ref float rg = ref MemoryMarshal.GetReference(g);
        ref float rm = ref MemoryMarshal.GetReference(m);
        ref float rv = ref MemoryMarshal.GetReference(v);
        int i = from;
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var pi = Vector256.LoadUnsafe(ref rp, (nuint)i);
            var gi = Vector256.LoadUnsafe(ref rg, (nuint)i);
            var mi = Vector256.LoadUnsafe(ref rm, (nuint)i);
            var vi = Vector256.LoadUnsafe(ref rv, (nuint)i);
            gi += pi * h.L2;
            pi *= h.Decay;
            mi += (gi - mi) * (1 - h.Beta1);
            vi = vi * h.Beta2 + gi * gi * (1 - h.Beta2);
            pi -= mi / (Vector256.Sqrt(vi) * h.InvBiasCorrection2Sqrt + Vector256.Create(h.Eps)) * h.StepSize;
            pi.StoreUnsafe(ref rp, (nuint)i);
            mi.StoreUnsafe(ref rm, (nuint)i);
            vi.StoreUnsafe(ref rv, (nuint)i);
        }
        return i;
    }
}
