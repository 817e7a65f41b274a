using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuroCore.Embeddings;

// AVX-512 tier (Vector512): 16 pairs per step, the last partial block masked.
// Two independent sets of accumulators: one set alone waits on the FMA latency (4 cycles) every step.
internal static partial class ExactRepulsion
{
    internal static void RowsAvx512(float[] xs, float[] ys, float[] zs, int n, int dims, int lo, int hi, double[] force, double[] rowZ)
    {
        const int W = 16;
        ref float rx = ref MemoryMarshal.GetArrayDataReference(xs);
        ref float ry = ref MemoryMarshal.GetArrayDataReference(ys);
        ref float rz = ref MemoryMarshal.GetArrayDataReference(zs);
        int full = n & ~(W - 1);
        var tail = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(n - full)).AsSingle();
        var one = Vector512<float>.One;
        for (int i = lo; i < hi; i++)
        {
            var xi = Vector512.Create(xs[i]);
            var yi = Vector512.Create(ys[i]);
            if (dims == 2)
            {
                Vector512<float> sz0 = Vector512<float>.Zero, fx0 = Vector512<float>.Zero, fy0 = Vector512<float>.Zero;
                Vector512<float> sz1 = Vector512<float>.Zero, fx1 = Vector512<float>.Zero, fy1 = Vector512<float>.Zero;
                int j = 0;
                for (; j <= n - 2 * W; j += 2 * W)
                {
                    var dx0 = xi - Vector512.LoadUnsafe(ref rx, (nuint)(j));
                    var dy0 = yi - Vector512.LoadUnsafe(ref ry, (nuint)(j));
                    var q0 = one / Vector512.FusedMultiplyAdd(dx0, dx0, Vector512.FusedMultiplyAdd(dy0, dy0, one));
                    sz0 += q0;
                    var q20 = q0 * q0;
                    fx0 = Vector512.FusedMultiplyAdd(q20, dx0, fx0);
                    fy0 = Vector512.FusedMultiplyAdd(q20, dy0, fy0);
                    var dx1 = xi - Vector512.LoadUnsafe(ref rx, (nuint)(j + W));
                    var dy1 = yi - Vector512.LoadUnsafe(ref ry, (nuint)(j + W));
                    var q1 = one / Vector512.FusedMultiplyAdd(dx1, dx1, Vector512.FusedMultiplyAdd(dy1, dy1, one));
                    sz1 += q1;
                    var q21 = q1 * q1;
                    fx1 = Vector512.FusedMultiplyAdd(q21, dx1, fx1);
                    fy1 = Vector512.FusedMultiplyAdd(q21, dy1, fy1);
                }
                if (j < full)
                {
                    var dx0 = xi - Vector512.LoadUnsafe(ref rx, (nuint)(j));
                    var dy0 = yi - Vector512.LoadUnsafe(ref ry, (nuint)(j));
                    var q0 = one / Vector512.FusedMultiplyAdd(dx0, dx0, Vector512.FusedMultiplyAdd(dy0, dy0, one));
                    sz0 += q0;
                    var q20 = q0 * q0;
                    fx0 = Vector512.FusedMultiplyAdd(q20, dx0, fx0);
                    fy0 = Vector512.FusedMultiplyAdd(q20, dy0, fy0);
                }
                if (full < n)
                {
                    var dx1 = xi - Vector512.LoadUnsafe(ref rx, (nuint)(full));
                    var dy1 = yi - Vector512.LoadUnsafe(ref ry, (nuint)(full));
                    var q1 = (one / Vector512.FusedMultiplyAdd(dx1, dx1, Vector512.FusedMultiplyAdd(dy1, dy1, one))) & tail;
                    sz1 += q1;
                    var q21 = q1 * q1;
                    fx1 = Vector512.FusedMultiplyAdd(q21, dx1, fx1);
                    fy1 = Vector512.FusedMultiplyAdd(q21, dy1, fy1);
                }
                force[2 * i] = Vector512.Sum(fx0 + fx1);
                force[2 * i + 1] = Vector512.Sum(fy0 + fy1);
                rowZ[i] = (double)Vector512.Sum(sz0 + sz1) - 1; // the self pair added q = 1
            }
            else
            {
                var zi = Vector512.Create(zs[i]);
                Vector512<float> sz0 = Vector512<float>.Zero, fx0 = Vector512<float>.Zero, fy0 = Vector512<float>.Zero, fz0 = Vector512<float>.Zero;
                Vector512<float> sz1 = Vector512<float>.Zero, fx1 = Vector512<float>.Zero, fy1 = Vector512<float>.Zero, fz1 = Vector512<float>.Zero;
                int j = 0;
                for (; j <= n - 2 * W; j += 2 * W)
                {
                    var dx0 = xi - Vector512.LoadUnsafe(ref rx, (nuint)(j));
                    var dy0 = yi - Vector512.LoadUnsafe(ref ry, (nuint)(j));
                    var dz0 = zi - Vector512.LoadUnsafe(ref rz, (nuint)(j));
                    var q0 = one / Vector512.FusedMultiplyAdd(dx0, dx0, Vector512.FusedMultiplyAdd(dy0, dy0, Vector512.FusedMultiplyAdd(dz0, dz0, one)));
                    sz0 += q0;
                    var q20 = q0 * q0;
                    fx0 = Vector512.FusedMultiplyAdd(q20, dx0, fx0);
                    fy0 = Vector512.FusedMultiplyAdd(q20, dy0, fy0);
                    fz0 = Vector512.FusedMultiplyAdd(q20, dz0, fz0);
                    var dx1 = xi - Vector512.LoadUnsafe(ref rx, (nuint)(j + W));
                    var dy1 = yi - Vector512.LoadUnsafe(ref ry, (nuint)(j + W));
                    var dz1 = zi - Vector512.LoadUnsafe(ref rz, (nuint)(j + W));
                    var q1 = one / Vector512.FusedMultiplyAdd(dx1, dx1, Vector512.FusedMultiplyAdd(dy1, dy1, Vector512.FusedMultiplyAdd(dz1, dz1, one)));
                    sz1 += q1;
                    var q21 = q1 * q1;
                    fx1 = Vector512.FusedMultiplyAdd(q21, dx1, fx1);
                    fy1 = Vector512.FusedMultiplyAdd(q21, dy1, fy1);
                    fz1 = Vector512.FusedMultiplyAdd(q21, dz1, fz1);
                }
                if (j < full)
                {
                    var dx0 = xi - Vector512.LoadUnsafe(ref rx, (nuint)(j));
                    var dy0 = yi - Vector512.LoadUnsafe(ref ry, (nuint)(j));
                    var dz0 = zi - Vector512.LoadUnsafe(ref rz, (nuint)(j));
                    var q0 = one / Vector512.FusedMultiplyAdd(dx0, dx0, Vector512.FusedMultiplyAdd(dy0, dy0, Vector512.FusedMultiplyAdd(dz0, dz0, one)));
                    sz0 += q0;
                    var q20 = q0 * q0;
                    fx0 = Vector512.FusedMultiplyAdd(q20, dx0, fx0);
                    fy0 = Vector512.FusedMultiplyAdd(q20, dy0, fy0);
                    fz0 = Vector512.FusedMultiplyAdd(q20, dz0, fz0);
                }
                if (full < n)
                {
                    var dx1 = xi - Vector512.LoadUnsafe(ref rx, (nuint)(full));
                    var dy1 = yi - Vector512.LoadUnsafe(ref ry, (nuint)(full));
                    var dz1 = zi - Vector512.LoadUnsafe(ref rz, (nuint)(full));
                    var q1 = (one / Vector512.FusedMultiplyAdd(dx1, dx1, Vector512.FusedMultiplyAdd(dy1, dy1, Vector512.FusedMultiplyAdd(dz1, dz1, one)))) & tail;
                    sz1 += q1;
                    var q21 = q1 * q1;
                    fx1 = Vector512.FusedMultiplyAdd(q21, dx1, fx1);
                    fy1 = Vector512.FusedMultiplyAdd(q21, dy1, fy1);
                    fz1 = Vector512.FusedMultiplyAdd(q21, dz1, fz1);
                }
                force[3 * i] = Vector512.Sum(fx0 + fx1);
                force[3 * i + 1] = Vector512.Sum(fy0 + fy1);
                force[3 * i + 2] = Vector512.Sum(fz0 + fz1);
                rowZ[i] = (double)Vector512.Sum(sz0 + sz1) - 1; // the self pair added q = 1
            }
        }
    }
}
