using System.Runtime.Intrinsics;

namespace NeuroCore.Kernels;

/// <summary>
/// The Adam/AdamW element update fused into one pass over (p, g, m, v). Separate TensorPrimitives calls
/// need eight passes and a scratch array: the update is memory-bound, so one pass is several times faster
/// on large layers.
/// </summary>
/// <remarks>
/// Every tier performs the same operations in the same order without fused multiply-add, so the
/// Vector512, Vector256 and scalar paths give bit-identical results (the AVX-512-disabled CI run sees the
/// same numbers). The tiers live in one partial file each: <c>AdamKernel.Avx512.cs</c> (Vector512),
/// <c>AdamKernel.Avx2.cs</c> (Vector256) and <c>AdamKernel.Scalar.cs</c> (the reference and the tail).
/// </remarks>
internal static partial class AdamKernel
{
    /// <summary>Hyper-parameters of one step for one parameter tensor.</summary>
    /// <param name="Beta1">β₁.</param>
    /// <param name="Beta2">β₂.</param>
    /// <param name="StepSize">lr / (1 − β₁ᵗ).</param>
    /// <param name="InvBiasCorrection2Sqrt">1 / √(1 − β₂ᵗ).</param>
    /// <param name="Eps">ε.</param>
    /// <param name="L2">λ added as g + λ·p (Adam's weight decay), or 0.</param>
    /// <param name="Decay">Factor p is multiplied by before the update (1 − lr·λ for AdamW), or 1.</param>
    internal readonly record struct Hyper(float Beta1, float Beta2, float StepSize, float InvBiasCorrection2Sqrt, float Eps, float L2, float Decay);

    // Below this many elements per thread, waking a second thread costs more than the pass it saves
    // (a pass moves 28 bytes per element; 64 K elements are about 40 µs from L3).
    private const int ElementsPerThread = 1 << 16;

    /// <summary>
    /// <see cref="Step"/> split over up to <see cref="Parallelism.MaxThreads"/> threads for large tensors. The
    /// update is element-wise and the split points are multiples of 16 elements (every tier's vector width),
    /// so each element takes the same path as on one thread: results are identical for any thread count.
    /// </summary>
    /// <remarks><paramref name="maxThreads"/>: the most threads to use (0 = <see cref="Parallelism.MaxThreads"/>).</remarks>
    public static unsafe void StepParallel(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in Hyper h, int maxThreads = 0)
    {
        int n = p.Length;
        int threads = Math.Min(maxThreads > 0 ? maxThreads : Parallelism.MaxThreads, n / ElementsPerThread);
        if (threads <= 1 || g.Length != n || m.Length != n || v.Length != n)
        {
            Step(p, g, m, v, h);
            return;
        }
        fixed (float* pp = p, pg = g, pm = m, pv = v)
            StepOnThreads(pp, pg, pm, pv, n, h, threads); // pinned until it returns
    }

    // Separate so that the closure is allocated only when the work is split (C# allocates it on entry to
    // the method that declares the captured variables).
    private static unsafe void StepOnThreads(float* pp, float* pg, float* pm, float* pv, int n, Hyper hyper, int threads)
    {
        nint ip = (nint)pp, ig = (nint)pg, im = (nint)pm, iv = (nint)pv;
        Parallelism.For(threads, t =>
        {
            int from = (int)((long)n * t / threads) & ~15;
            int to = t == threads - 1 ? n : (int)((long)n * (t + 1) / threads) & ~15;
            Step(new Span<float>((float*)ip + from, to - from), new ReadOnlySpan<float>((float*)ig + from, to - from),
                new Span<float>((float*)im + from, to - from), new Span<float>((float*)iv + from, to - from), hyper);
        }, threads);
    }

    /// <summary>
    /// Per element: g' = g + L2·p; p = p·Decay; m = m + (1 − β₁)(g' − m); v = β₂·v + (1 − β₂)·g'²;
    /// p = p − StepSize · m / (√v · InvBc2Sqrt + ε).
    /// </summary>
    public static void Step(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in Hyper h)
    {
        int n = p.Length;
        if (g.Length != n || m.Length != n || v.Length != n) throw new ArgumentException("AdamKernel: spans differ in length.");
        int i = 0;
        if (Vector512.IsHardwareAccelerated) i = StepAvx512(p, g, m, v, h);
        if (Vector256.IsHardwareAccelerated) i = StepAvx2(p, g, m, v, h, i);
        StepScalar(p[i..], g[i..], m[i..], v[i..], h);
    }
}
