using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuroCore.Kernels;

// AVX-512 tier (Vector512): 16 elements per iteration, the scalar reference's operations in its order, no FMA.
internal static partial class AdamKernel
{
    /// <summary>Updates the whole 16-element blocks from the start; returns the first element not done.</summary>
    private static int StepAvx512(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in Hyper h)
    {
        int n = p.Length;
        ref float rp = ref MemoryMarshal.GetReference(p);
        ref float rg = ref MemoryMarshal.GetReference(g);
        ref float rm = ref MemoryMarshal.GetReference(m);
        ref float rv = ref MemoryMarshal.GetReference(v);
        int i = 0;
        for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var pi = Vector512.LoadUnsafe(ref rp, (nuint)i);
            var gi = Vector512.LoadUnsafe(ref rg, (nuint)i);
            var mi = Vector512.LoadUnsafe(ref rm, (nuint)i);
            var vi = Vector512.LoadUnsafe(ref rv, (nuint)i);
            gi += pi * h.L2;
            pi *= h.Decay;
            mi += (gi - mi) * (1 - h.Beta1);
            vi = vi * h.Beta2 + gi * gi * (1 - h.Beta2);
            pi -= mi / (Vector512.Sqrt(vi) * h.InvBiasCorrection2Sqrt + Vector512.Create(h.Eps)) * h.StepSize;
            pi.StoreUnsafe(ref rp, (nuint)i);
            mi.StoreUnsafe(ref rm, (nuint)i);
            vi.StoreUnsafe(ref rv, (nuint)i);
        }
        return i;
    }
}
