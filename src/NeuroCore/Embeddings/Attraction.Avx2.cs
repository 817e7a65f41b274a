using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuroCore.Embeddings;

// AVX2 tier: 8 non-zeros per step, the neighbours' coordinates gathered (vpgatherdd).
internal sealed partial class Attraction
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code, which is ~10x slower on vector code
    internal unsafe void RowsAvx2(float[] xs, float[] ys, float[] zs, int dims, int lo, int hi, double[] result)
    {
        const int W = 8;
        var one = Vector256<float>.One;
        fixed (float* px = xs, py = ys, pz = zs, pv = _values)
        fixed (int* pc = _columns)
        {
            for (int i = lo; i < hi; i++)
            {
                int s = _rowStart[i], t = _rowStart[i + 1];
                var xi = Vector256.Create(xs[i]);
                var yi = Vector256.Create(ys[i]);
                var zi = Vector256.Create(zs[i]);
                var a0 = Vector256<float>.Zero;
                var a1 = Vector256<float>.Zero;
                var a2 = Vector256<float>.Zero;
                for (int e = s; e < t; e += W)
                {
                    var idx = Vector256.Load(pc + e);
                    var p = Vector256.Load(pv + e);
                    if (t - e < W) p &= Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(t - e)).AsSingle();
                    var dx = xi - Avx2.GatherVector256(px, idx, 4);
                    var dy = yi - Avx2.GatherVector256(py, idx, 4);
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
