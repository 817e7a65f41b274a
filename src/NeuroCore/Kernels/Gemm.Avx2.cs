using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuroCore.Kernels;

// AVX2 + FMA tier: the classic 6 x 16 tile. Without AVX-512 there are 16 ymm registers: 12 accumulators,
// 2 B vectors and 1 broadcast A fit without spills, and 12 independent FMAs cover the FMA latency.
// Generated code: one line per accumulator keeps the JIT's register allocation predictable.
internal static unsafe partial class Gemm
{
    private const int Avx2Mr = 6;
    private const int Avx2Nr = 16;

    /// <summary>C[m×n tile] = alpha·(Ap·Bp) + beta·C for packed panels Ap (kc×6, k-major) and Bp (kc×16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelAvx2(int kc, float* a, float* b, float* c, int ldc, int m, int n, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Avx.LoadVector256(b);
            var b1 = Avx.LoadVector256(b + 8);
            var a0 = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            c11 = Fma.MultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            c21 = Fma.MultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
            c31 = Fma.MultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(a4, b0, c40);
            c41 = Fma.MultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(a5, b0, c50);
            c51 = Fma.MultiplyAdd(a5, b1, c51);
            a += 6;
            b += 16;
        }
        if (m == 6 && n == 16)
        {
            var va = Vector256.Create(alpha);
            if (beta == 0)
            {
                Avx.Store(c + 0 * ldc, c00 * va); Avx.Store(c + 0 * ldc + 8, c01 * va);
                Avx.Store(c + 1 * ldc, c10 * va); Avx.Store(c + 1 * ldc + 8, c11 * va);
                Avx.Store(c + 2 * ldc, c20 * va); Avx.Store(c + 2 * ldc + 8, c21 * va);
                Avx.Store(c + 3 * ldc, c30 * va); Avx.Store(c + 3 * ldc + 8, c31 * va);
                Avx.Store(c + 4 * ldc, c40 * va); Avx.Store(c + 4 * ldc + 8, c41 * va);
                Avx.Store(c + 5 * ldc, c50 * va); Avx.Store(c + 5 * ldc + 8, c51 * va);
            }
            else
            {
                var vb = Vector256.Create(beta);
                Update256(c + 0 * ldc, c00, c01, va, vb, beta);
                Update256(c + 1 * ldc, c10, c11, va, vb, beta);
                Update256(c + 2 * ldc, c20, c21, va, vb, beta);
                Update256(c + 3 * ldc, c30, c31, va, vb, beta);
                Update256(c + 4 * ldc, c40, c41, va, vb, beta);
                Update256(c + 5 * ldc, c50, c51, va, vb, beta);
            }
            return;
        }
        float* tile = stackalloc float[6 * 16];
        Avx.Store(tile + 0, c00); Avx.Store(tile + 8, c01);
        Avx.Store(tile + 16, c10); Avx.Store(tile + 24, c11);
        Avx.Store(tile + 32, c20); Avx.Store(tile + 40, c21);
        Avx.Store(tile + 48, c30); Avx.Store(tile + 56, c31);
        Avx.Store(tile + 64, c40); Avx.Store(tile + 72, c41);
        Avx.Store(tile + 80, c50); Avx.Store(tile + 88, c51);
        StoreTile(tile, 16, c, ldc, m, n, alpha, beta);
    }

    /// <summary>c[0..16) = alpha·acc + beta·c with one rounding of the FMA, as <see cref="StoreTile"/> does per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update256(float* c, Vector256<float> acc0, Vector256<float> acc1, Vector256<float> va, Vector256<float> vb, float beta)
    {
        var o0 = Avx.LoadVector256(c);
        var o1 = Avx.LoadVector256(c + 8);
        if (beta != 1) { o0 *= vb; o1 *= vb; }
        Avx.Store(c, Fma.MultiplyAdd(acc0, va, o0));
        Avx.Store(c + 8, Fma.MultiplyAdd(acc1, va, o1));
    }
}
