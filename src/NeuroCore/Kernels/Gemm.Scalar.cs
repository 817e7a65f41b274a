namespace NeuroCore.Kernels;

// Scalar tier, for machines (or DOTNET_EnableAVX2=0 runs) without AVX2+FMA: a 4 x 4 tile of scalar
// accumulators, which fits the 16 SSE registers. It is the readable reference of what the vector
// micro-kernels do.
internal static unsafe partial class Gemm
{
    private const int ScalarMr = 4;
    private const int ScalarNr = 4;

    /// <summary>C[m×n tile] = alpha·(Ap·Bp) + beta·C for packed panels Ap (kc×4, k-major) and Bp (kc×4).</summary>
    private static void KernelScalar(int kc, float* a, float* b, float* c, int ldc, int m, int n, float alpha, float beta)
    {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++, a += 4, b += 4)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            float a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        float* tile = stackalloc float[16]
        {
            c00, c01, c02, c03,
            c10, c11, c12, c13,
            c20, c21, c22, c23,
            c30, c31, c32, c33,
        };
        StoreTile(tile, 4, c, ldc, m, n, alpha, beta);
    }
}
