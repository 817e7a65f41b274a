using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuroCore.Embeddings;

// AVX2 tier: 8 non-zeros per step, the neighbours' coordinates gathered.
internal sealed partial class Attraction
{
    // Each point's (x, y) is one 64-bit element of xy: two 4-element gathers fetch both coordinates of 8 neighbours
    // (1.6x faster in 2-D than two 8-element gathers of x and y; gathers bound this loop), and one shuffle each
    // separates x and y. The neighbours go to the gathers as (0, 1, 4, 5) and (2, 3, 6, 7), so that the in-lane
    // shuffle leaves x and y in entry order.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code, which is ~10x slower on vector code
    internal unsafe void RowsAvx2(float[] xy, float[] zs, int dims, int lo, int hi, double[] result)
    {
        const int W = 8;
        var one = Vector256<float>.One;
        var split = Vector256.Create(0, 1, 4, 5, 2, 3, 6, 7);
        fixed (float* pxy = xy, pz = zs, pv = _values)
        fixed (int* pc = _columns)
        {
            double* pairs = (double*)pxy;
            for (int i = lo; i < hi; i++)
            {
                int s = _rowStart[i], t = _rowStart[i + 1];
                var xi = Vector256.Create(xy[2 * i]);
                var yi = Vector256.Create(xy[2 * i + 1]);
                var zi = Vector256.Create(zs[i]);
                var a0 = Vector256<float>.Zero;
                var a1 = Vector256<float>.Zero;
                var a2 = Vector256<float>.Zero;
                for (int e = s; e < t; e += W)
                {
                    var idx = Vector256.Load(pc + e);
                    var p = Vector256.Load(pv + e);
                    if (t - e < W) p &= Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(t - e)).AsSingle();
                    var halves = Avx2.PermuteVar8x32(idx, split);
                    var first = Avx2.GatherVector256(pairs, halves.GetLower(), 8).AsSingle();
                    var second = Avx2.GatherVector256(pairs, halves.GetUpper(), 8).AsSingle();
                    var dx = xi - Avx.Shuffle(first, second, 0b10_00_10_00);
                    var dy = yi - Avx.Shuffle(first, second, 0b11_01_11_01);
                    Vector256<float> d2 = one + dx * dx + dy * dy, dz = default;
                    if (dims == 3)
                    {
                        dz = zi - Avx2.GatherVector256(pz, idx, 4);
                        d2 += dz * dz;
                    }
                    var pq = p / d2;
                    a0 += pq * dx;
                    a1 += pq * dy;
                    if (dims == 3) a2 += pq * dz;
                }
                result[dims * i] = Vector256.Sum(a0);
                result[dims * i + 1] = Vector256.Sum(a1);
                if (dims == 3) result[dims * i + 2] = Vector256.Sum(a2);
            }
        }
    }
}
