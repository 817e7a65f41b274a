using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuroCore.Kernels;

// AVX-512 tier: a 8 x 32 register tile (16 zmm accumulators + 2 B vectors + 1 broadcast A of the 32
// zmm registers). Per k step: 2 vector loads of B and 8 broadcasts of A feed 16 FMAs, so loads stay
// well under the FMA rate, and 16 independent accumulators cover the 4-cycle FMA latency at 2 FMAs per
// cycle. 8 rows divide the training shapes' batch of 64 evenly (no padded edge tiles); a 12 x 32 tile
// (24 accumulators) measured no faster on square 1024 (208 vs 210 GFLOP/s, one Zen 5 core) and wastes a
// third of a tile at m = 64.
// Generated code: one line per accumulator keeps the JIT's register allocation predictable.
internal static unsafe partial class Gemm
{
    private const int Avx512Mr = 8;
    private const int Avx512Nr = 32;

    /// <summary>C[m×n tile] = alpha·(Ap·Bp) + beta·C for packed panels Ap (kc×8, k-major) and Bp (kc×32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelAvx512(int kc, float* a, float* b, float* c, int ldc, int m, int n, float alpha, float beta, long bStride = 32)
    {
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
        // Two depth steps per iteration halve the loop overhead; the order of the FMAs per accumulator is unchanged.
        int p = 0;
        for (; p + 2 <= kc; p += 2)
        {
            {
                var b0 = Avx512F.LoadVector512(b + 0);
                var b1 = Avx512F.LoadVector512(b + 16);
                var a0 = Vector512.Create(a[0]);
                c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
                c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
                var a1 = Vector512.Create(a[1]);
                c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
                c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
                var a2 = Vector512.Create(a[2]);
                c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
                c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
                var a3 = Vector512.Create(a[3]);
                c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
                c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
                var a4 = Vector512.Create(a[4]);
                c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
                c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
                var a5 = Vector512.Create(a[5]);
                c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
                c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
                var a6 = Vector512.Create(a[6]);
                c60 = Avx512F.FusedMultiplyAdd(a6, b0, c60);
                c61 = Avx512F.FusedMultiplyAdd(a6, b1, c61);
                var a7 = Vector512.Create(a[7]);
                c70 = Avx512F.FusedMultiplyAdd(a7, b0, c70);
                c71 = Avx512F.FusedMultiplyAdd(a7, b1, c71);
            }
            {
                var b0 = Avx512F.LoadVector512(b + bStride);
                var b1 = Avx512F.LoadVector512(b + bStride + 16);
                var a0 = Vector512.Create(a[8]);
                c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
                c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
                var a1 = Vector512.Create(a[9]);
                c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
                c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
                var a2 = Vector512.Create(a[10]);
                c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
                c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
                var a3 = Vector512.Create(a[11]);
                c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
                c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
                var a4 = Vector512.Create(a[12]);
                c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
                c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
                var a5 = Vector512.Create(a[13]);
                c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
                c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
                var a6 = Vector512.Create(a[14]);
                c60 = Avx512F.FusedMultiplyAdd(a6, b0, c60);
                c61 = Avx512F.FusedMultiplyAdd(a6, b1, c61);
                var a7 = Vector512.Create(a[15]);
                c70 = Avx512F.FusedMultiplyAdd(a7, b0, c70);
                c71 = Avx512F.FusedMultiplyAdd(a7, b1, c71);
            }
            a += 16;
            b += 2 * bStride;
        }
        if (p < kc)
        {
            var b0 = Avx512F.LoadVector512(b);
            var b1 = Avx512F.LoadVector512(b + 16);
            var a0 = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
            var a6 = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(a6, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(a6, b1, c61);
            var a7 = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(a7, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(a7, b1, c71);
        }
        if (m == 8 && n == 32)
        {
            var va = Vector512.Create(alpha);
            if (beta == 0)
            {
                Avx512F.Store(c + 0 * ldc, c00 * va); Avx512F.Store(c + 0 * ldc + 16, c01 * va);
                Avx512F.Store(c + 1 * ldc, c10 * va); Avx512F.Store(c + 1 * ldc + 16, c11 * va);
                Avx512F.Store(c + 2 * ldc, c20 * va); Avx512F.Store(c + 2 * ldc + 16, c21 * va);
                Avx512F.Store(c + 3 * ldc, c30 * va); Avx512F.Store(c + 3 * ldc + 16, c31 * va);
                Avx512F.Store(c + 4 * ldc, c40 * va); Avx512F.Store(c + 4 * ldc + 16, c41 * va);
                Avx512F.Store(c + 5 * ldc, c50 * va); Avx512F.Store(c + 5 * ldc + 16, c51 * va);
                Avx512F.Store(c + 6 * ldc, c60 * va); Avx512F.Store(c + 6 * ldc + 16, c61 * va);
                Avx512F.Store(c + 7 * ldc, c70 * va); Avx512F.Store(c + 7 * ldc + 16, c71 * va);
            }
            else
            {
                var vb = Vector512.Create(beta);
                Update512(c + 0 * ldc, c00, c01, va, vb, beta);
                Update512(c + 1 * ldc, c10, c11, va, vb, beta);
                Update512(c + 2 * ldc, c20, c21, va, vb, beta);
                Update512(c + 3 * ldc, c30, c31, va, vb, beta);
                Update512(c + 4 * ldc, c40, c41, va, vb, beta);
                Update512(c + 5 * ldc, c50, c51, va, vb, beta);
                Update512(c + 6 * ldc, c60, c61, va, vb, beta);
                Update512(c + 7 * ldc, c70, c71, va, vb, beta);
            }
            return;
        }
        float* tile = stackalloc float[8 * 32];
        Avx512F.Store(tile + 0, c00); Avx512F.Store(tile + 16, c01);
        Avx512F.Store(tile + 32, c10); Avx512F.Store(tile + 48, c11);
        Avx512F.Store(tile + 64, c20); Avx512F.Store(tile + 80, c21);
        Avx512F.Store(tile + 96, c30); Avx512F.Store(tile + 112, c31);
        Avx512F.Store(tile + 128, c40); Avx512F.Store(tile + 144, c41);
        Avx512F.Store(tile + 160, c50); Avx512F.Store(tile + 176, c51);
        Avx512F.Store(tile + 192, c60); Avx512F.Store(tile + 208, c61);
        Avx512F.Store(tile + 224, c70); Avx512F.Store(tile + 240, c71);
        StoreTile(tile, 32, c, ldc, m, n, alpha, beta);
    }

    /// <summary>c[0..32) = alpha·acc + beta·c with one rounding of the FMA, as <see cref="StoreTile"/> does per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update512(float* c, Vector512<float> acc0, Vector512<float> acc1, Vector512<float> va, Vector512<float> vb, float beta)
    {
        var o0 = Avx512F.LoadVector512(c);
        var o1 = Avx512F.LoadVector512(c + 16);
        if (beta != 1) { o0 *= vb; o1 *= vb; }
        Avx512F.Store(c, Avx512F.FusedMultiplyAdd(acc0, va, o0));
        Avx512F.Store(c + 16, Avx512F.FusedMultiplyAdd(acc1, va, o1));
    }
}
