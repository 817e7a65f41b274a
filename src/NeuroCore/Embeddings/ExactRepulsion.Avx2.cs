using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuroCore.Embeddings;

// AVX2 tier (Vector256): 8 pairs per step and row.
// Derived from ExactRepulsion.Avx512.cs (Vector512 -> Vector256, Avx512 -> Avx2, width 16 -> 8): edit that file
// and regenerate this one with NEUROCORE_REGENERATE=1 and the test class ExactRepulsionTierSourceTests,
// which fails while the two differ. The blocks are unrolled by hand: two rows per pass, 2-D and 3-D apart.
// Rows go in pairs: both rows share each block's loads of the coordinates and the load and store of the
// accumulators, which with one row at a time bound the loop in 3-D.
internal static partial class ExactRepulsion
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code, which is ~10x slower on vector code
    internal static void RowsAvx2(float[] xs, float[] ys, float[] zs, int n, int dims, int lo, int hi,
        float[] accX, float[] accY, float[] accZ, double[] rowZ)
    {
        const int W = 8;
        ref float rx = ref MemoryMarshal.GetArrayDataReference(xs);
        ref float ry = ref MemoryMarshal.GetArrayDataReference(ys);
        ref float rz = ref MemoryMarshal.GetArrayDataReference(zs);
        ref float ax = ref MemoryMarshal.GetArrayDataReference(accX);
        ref float ay = ref MemoryMarshal.GetArrayDataReference(accY);
        ref float az = ref MemoryMarshal.GetArrayDataReference(accZ);
        var lane = Vector256<int>.Indices;
        var count = Vector256.Create(n);
        var one = Vector256<float>.One;
        if (dims == 2)
        {
            int i = lo;
            for (; i + 1 < hi; i += 2)
            {
                var self0 = Vector256.Create(i + 0);
                var x0 = Vector256.Create(xs[i + 0]);
                var y0 = Vector256.Create(ys[i + 0]);
                Vector256<float> sz0 = Vector256<float>.Zero, fx0 = Vector256<float>.Zero, fy0 = Vector256<float>.Zero;
                var self1 = Vector256.Create(i + 1);
                var x1 = Vector256.Create(xs[i + 1]);
                var y1 = Vector256.Create(ys[i + 1]);
                Vector256<float> sz1 = Vector256<float>.Zero, fx1 = Vector256<float>.Zero, fy1 = Vector256<float>.Zero;
                int j = (i + 1) & ~(W - 1);
                if (j < n)
                {
                    var cx = Vector256.LoadUnsafe(ref rx, (nuint)j);
                    var cy = Vector256.LoadUnsafe(ref ry, (nuint)j);
                    var idx = lane + Vector256.Create(j);
                    var inside = Vector256.LessThan(idx, count);
                    var dx0 = x0 - cx;
                    var dy0 = y0 - cy;
                    var q0 = (one / Vector256.FusedMultiplyAdd(dx0, dx0, Vector256.FusedMultiplyAdd(dy0, dy0, one))) & (Vector256.GreaterThan(idx, self0) & inside).AsSingle();
                    sz0 += q0;
                    var w0 = q0 * q0;
                    var dx1 = x1 - cx;
                    var dy1 = y1 - cy;
                    var q1 = (one / Vector256.FusedMultiplyAdd(dx1, dx1, Vector256.FusedMultiplyAdd(dy1, dy1, one))) & (Vector256.GreaterThan(idx, self1) & inside).AsSingle();
                    sz1 += q1;
                    var w1 = q1 * q1;
                    var gx0 = w0 * dx0;
                    fx0 += gx0;
                    var gx1 = w1 * dx1;
                    fx1 += gx1;
                    (Vector256.LoadUnsafe(ref ax, (nuint)j) - (gx0 + gx1)).StoreUnsafe(ref ax, (nuint)j);
                    var gy0 = w0 * dy0;
                    fy0 += gy0;
                    var gy1 = w1 * dy1;
                    fy1 += gy1;
                    (Vector256.LoadUnsafe(ref ay, (nuint)j) - (gy0 + gy1)).StoreUnsafe(ref ay, (nuint)j);
                }
                for (j += W; j <= n - W; j += W)
                {
                    var cx = Vector256.LoadUnsafe(ref rx, (nuint)j);
                    var cy = Vector256.LoadUnsafe(ref ry, (nuint)j);
                    var dx0 = x0 - cx;
                    var dy0 = y0 - cy;
                    var q0 = one / Vector256.FusedMultiplyAdd(dx0, dx0, Vector256.FusedMultiplyAdd(dy0, dy0, one));
                    sz0 += q0;
                    var w0 = q0 * q0;
                    var dx1 = x1 - cx;
                    var dy1 = y1 - cy;
                    var q1 = one / Vector256.FusedMultiplyAdd(dx1, dx1, Vector256.FusedMultiplyAdd(dy1, dy1, one));
                    sz1 += q1;
                    var w1 = q1 * q1;
                    var gx0 = w0 * dx0;
                    fx0 += gx0;
                    var gx1 = w1 * dx1;
                    fx1 += gx1;
                    (Vector256.LoadUnsafe(ref ax, (nuint)j) - (gx0 + gx1)).StoreUnsafe(ref ax, (nuint)j);
                    var gy0 = w0 * dy0;
                    fy0 += gy0;
                    var gy1 = w1 * dy1;
                    fy1 += gy1;
                    (Vector256.LoadUnsafe(ref ay, (nuint)j) - (gy0 + gy1)).StoreUnsafe(ref ay, (nuint)j);
                }
                if (j < n)
                {
                    var cx = Vector256.LoadUnsafe(ref rx, (nuint)j);
                    var cy = Vector256.LoadUnsafe(ref ry, (nuint)j);
                    var idx = lane + Vector256.Create(j);
                    var inside = Vector256.LessThan(idx, count);
                    var dx0 = x0 - cx;
                    var dy0 = y0 - cy;
                    var q0 = (one / Vector256.FusedMultiplyAdd(dx0, dx0, Vector256.FusedMultiplyAdd(dy0, dy0, one))) & (Vector256.GreaterThan(idx, self0) & inside).AsSingle();
                    sz0 += q0;
                    var w0 = q0 * q0;
                    var dx1 = x1 - cx;
                    var dy1 = y1 - cy;
                    var q1 = (one / Vector256.FusedMultiplyAdd(dx1, dx1, Vector256.FusedMultiplyAdd(dy1, dy1, one))) & (Vector256.GreaterThan(idx, self1) & inside).AsSingle();
                    sz1 += q1;
                    var w1 = q1 * q1;
                    var gx0 = w0 * dx0;
                    fx0 += gx0;
                    var gx1 = w1 * dx1;
                    fx1 += gx1;
                    (Vector256.LoadUnsafe(ref ax, (nuint)j) - (gx0 + gx1)).StoreUnsafe(ref ax, (nuint)j);
                    var gy0 = w0 * dy0;
                    fy0 += gy0;
                    var gy1 = w1 * dy1;
                    fy1 += gy1;
                    (Vector256.LoadUnsafe(ref ay, (nuint)j) - (gy0 + gy1)).StoreUnsafe(ref ay, (nuint)j);
                }
                accX[i + 0] += Vector256.Sum(fx0);
                accY[i + 0] += Vector256.Sum(fy0);
                rowZ[i + 0] = Vector256.Sum(sz0);
                accX[i + 1] += Vector256.Sum(fx1);
                accY[i + 1] += Vector256.Sum(fy1);
                rowZ[i + 1] = Vector256.Sum(sz1);
            }
            if (i < hi)
            {
                var self0 = Vector256.Create(i + 0);
                var x0 = Vector256.Create(xs[i + 0]);
                var y0 = Vector256.Create(ys[i + 0]);
                Vector256<float> sz0 = Vector256<float>.Zero, fx0 = Vector256<float>.Zero, fy0 = Vector256<float>.Zero;
                int j = (i + 1) & ~(W - 1);
                if (j < n)
                {
                    var cx = Vector256.LoadUnsafe(ref rx, (nuint)j);
                    var cy = Vector256.LoadUnsafe(ref ry, (nuint)j);
                    var idx = lane + Vector256.Create(j);
                    var inside = Vector256.LessThan(idx, count);
                    var dx0 = x0 - cx;
                    var dy0 = y0 - cy;
                    var q0 = (one / Vector256.FusedMultiplyAdd(dx0, dx0, Vector256.FusedMultiplyAdd(dy0, dy0, one))) & (Vector256.GreaterThan(idx, self0) & inside).AsSingle();
                    sz0 += q0;
                    var w0 = q0 * q0;
                    var gx0 = w0 * dx0;
                    fx0 += gx0;
                    (Vector256.LoadUnsafe(ref ax, (nuint)j) - (gx0)).StoreUnsafe(ref ax, (nuint)j);
                    var gy0 = w0 * dy0;
                    fy0 += gy0;
                    (Vector256.LoadUnsafe(ref ay, (nuint)j) - (gy0)).StoreUnsafe(ref ay, (nuint)j);
                }
                for (j += W; j <= n - W; j += W)
                {
                    var cx = Vector256.LoadUnsafe(ref rx, (nuint)j);
                    var cy = Vector256.LoadUnsafe(ref ry, (nuint)j);
                    var dx0 = x0 - cx;
                    var dy0 = y0 - cy;
                    var q0 = one / Vector256.FusedMultiplyAdd(dx0, dx0, Vector256.FusedMultiplyAdd(dy0, dy0, one));
                    sz0 += q0;
                    var w0 = q0 * q0;
                    var gx0 = w0 * dx0;
                    fx0 += gx0;
                    (Vector256.LoadUnsafe(ref ax, (nuint)j) - (gx0)).StoreUnsafe(ref ax, (nuint)j);
                    var gy0 = w0 * dy0;
                    fy0 += gy0;
                    (Vector256.LoadUnsafe(ref ay, (nuint)j) - (gy0)).StoreUnsafe(ref ay, (nuint)j);
                }
                if (j < n)
                {
                    var cx = Vector256.LoadUnsafe(ref rx, (nuint)j);
                    var cy = Vector256.LoadUnsafe(ref ry, (nuint)j);
                    var idx = lane + Vector256.Create(j);
                    var inside = Vector256.LessThan(idx, count);
                    var dx0 = x0 - cx;
                    var dy0 = y0 - cy;
                    var q0 = (one / Vector256.FusedMultiplyAdd(dx0, dx0, Vector256.FusedMultiplyAdd(dy0, dy0, one))) & (Vector256.GreaterThan(idx, self0) & inside).AsSingle();
                    sz0 += q0;
                    var w0 = q0 * q0;
                    var gx0 = w0 * dx0;
                    fx0 += gx0;
                    (Vector256.LoadUnsafe(ref ax, (nuint)j) - (gx0)).StoreUnsafe(ref ax, (nuint)j);
                    var gy0 = w0 * dy0;
                    fy0 += gy0;
                    (Vector256.LoadUnsafe(ref ay, (nuint)j) - (gy0)).StoreUnsafe(ref ay, (nuint)j);
                }
                accX[i + 0] += Vector256.Sum(fx0);
                accY[i + 0] += Vector256.Sum(fy0);
                rowZ[i + 0] = Vector256.Sum(sz0);
            }
        }
        else
        {
            int i = lo;
            for (; i + 1 < hi; i += 2)
            {
                var self0 = Vector256.Create(i + 0);
                var x0 = Vector256.Create(xs[i + 0]);
                var y0 = Vector256.Create(ys[i + 0]);
                var z0 = Vector256.Create(zs[i + 0]);
                Vector256<float> sz0 = Vector256<float>.Zero, fx0 = Vector256<float>.Zero, fy0 = Vector256<float>.Zero, fz0 = Vector256<float>.Zero;
                var self1 = Vector256.Create(i + 1);
                var x1 = Vector256.Create(xs[i + 1]);
                var y1 = Vector256.Create(ys[i + 1]);
                var z1 = Vector256.Create(zs[i + 1]);
                Vector256<float> sz1 = Vector256<float>.Zero, fx1 = Vector256<float>.Zero, fy1 = Vector256<float>.Zero, fz1 = Vector256<float>.Zero;
                int j = (i + 1) & ~(W - 1);
                if (j < n)
                {
                    var cx = Vector256.LoadUnsafe(ref rx, (nuint)j);
                    var cy = Vector256.LoadUnsafe(ref ry, (nuint)j);
                    var cz = Vector256.LoadUnsafe(ref rz, (nuint)j);
                    var idx = lane + Vector256.Create(j);
                    var inside = Vector256.LessThan(idx, count);
                    var dx0 = x0 - cx;
                    var dy0 = y0 - cy;
                    var dz0 = z0 - cz;
                    var q0 = (one / Vector256.FusedMultiplyAdd(dx0, dx0, Vector256.FusedMultiplyAdd(dy0, dy0, Vector256.FusedMultiplyAdd(dz0, dz0, one)))) & (Vector256.GreaterThan(idx, self0) & inside).AsSingle();
                    sz0 += q0;
                    var w0 = q0 * q0;
                    var dx1 = x1 - cx;
                    var dy1 = y1 - cy;
                    var dz1 = z1 - cz;
                    var q1 = (one / Vector256.FusedMultiplyAdd(dx1, dx1, Vector256.FusedMultiplyAdd(dy1, dy1, Vector256.FusedMultiplyAdd(dz1, dz1, one)))) & (Vector256.GreaterThan(idx, self1) & inside).AsSingle();
                    sz1 += q1;
                    var w1 = q1 * q1;
                    var gx0 = w0 * dx0;
                    fx0 += gx0;
                    var gx1 = w1 * dx1;
                    fx1 += gx1;
                    (Vector256.LoadUnsafe(ref ax, (nuint)j) - (gx0 + gx1)).StoreUnsafe(ref ax, (nuint)j);
                    var gy0 = w0 * dy0;
                    fy0 += gy0;
                    var gy1 = w1 * dy1;
                    fy1 += gy1;
                    (Vector256.LoadUnsafe(ref ay, (nuint)j) - (gy0 + gy1)).StoreUnsafe(ref ay, (nuint)j);
                    var gz0 = w0 * dz0;
                    fz0 += gz0;
                    var gz1 = w1 * dz1;
                    fz1 += gz1;
                    (Vector256.LoadUnsafe(ref az, (nuint)j) - (gz0 + gz1)).StoreUnsafe(ref az, (nuint)j);
                }
                for (j += W; j <= n - W; j += W)
                {
                    var cx = Vector256.LoadUnsafe(ref rx, (nuint)j);
                    var cy = Vector256.LoadUnsafe(ref ry, (nuint)j);
                    var cz = Vector256.LoadUnsafe(ref rz, (nuint)j);
                    var dx0 = x0 - cx;
                    var dy0 = y0 - cy;
                    var dz0 = z0 - cz;
                    var q0 = one / Vector256.FusedMultiplyAdd(dx0, dx0, Vector256.FusedMultiplyAdd(dy0, dy0, Vector256.FusedMultiplyAdd(dz0, dz0, one)));
                    sz0 += q0;
                    var w0 = q0 * q0;
                    var dx1 = x1 - cx;
                    var dy1 = y1 - cy;
                    var dz1 = z1 - cz;
                    var q1 = one / Vector256.FusedMultiplyAdd(dx1, dx1, Vector256.FusedMultiplyAdd(dy1, dy1, Vector256.FusedMultiplyAdd(dz1, dz1, one)));
                    sz1 += q1;
                    var w1 = q1 * q1;
                    var gx0 = w0 * dx0;
                    fx0 += gx0;
                    var gx1 = w1 * dx1;
                    fx1 += gx1;
                    (Vector256.LoadUnsafe(ref ax, (nuint)j) - (gx0 + gx1)).StoreUnsafe(ref ax, (nuint)j);
                    var gy0 = w0 * dy0;
                    fy0 += gy0;
                    var gy1 = w1 * dy1;
                    fy1 += gy1;
                    (Vector256.LoadUnsafe(ref ay, (nuint)j) - (gy0 + gy1)).StoreUnsafe(ref ay, (nuint)j);
                    var gz0 = w0 * dz0;
                    fz0 += gz0;
                    var gz1 = w1 * dz1;
                    fz1 += gz1;
                    (Vector256.LoadUnsafe(ref az, (nuint)j) - (gz0 + gz1)).StoreUnsafe(ref az, (nuint)j);
                }
                if (j < n)
                {
                    var cx = Vector256.LoadUnsafe(ref rx, (nuint)j);
                    var cy = Vector256.LoadUnsafe(ref ry, (nuint)j);
                    var cz = Vector256.LoadUnsafe(ref rz, (nuint)j);
                    var idx = lane + Vector256.Create(j);
                    var inside = Vector256.LessThan(idx, count);
                    var dx0 = x0 - cx;
                    var dy0 = y0 - cy;
                    var dz0 = z0 - cz;
                    var q0 = (one / Vector256.FusedMultiplyAdd(dx0, dx0, Vector256.FusedMultiplyAdd(dy0, dy0, Vector256.FusedMultiplyAdd(dz0, dz0, one)))) & (Vector256.GreaterThan(idx, self0) & inside).AsSingle();
                    sz0 += q0;
                    var w0 = q0 * q0;
                    var dx1 = x1 - cx;
                    var dy1 = y1 - cy;
                    var dz1 = z1 - cz;
                    var q1 = (one / Vector256.FusedMultiplyAdd(dx1, dx1, Vector256.FusedMultiplyAdd(dy1, dy1, Vector256.FusedMultiplyAdd(dz1, dz1, one)))) & (Vector256.GreaterThan(idx, self1) & inside).AsSingle();
                    sz1 += q1;
                    var w1 = q1 * q1;
                    var gx0 = w0 * dx0;
                    fx0 += gx0;
                    var gx1 = w1 * dx1;
                    fx1 += gx1;
                    (Vector256.LoadUnsafe(ref ax, (nuint)j) - (gx0 + gx1)).StoreUnsafe(ref ax, (nuint)j);
                    var gy0 = w0 * dy0;
                    fy0 += gy0;
                    var gy1 = w1 * dy1;
                    fy1 += gy1;
                    (Vector256.LoadUnsafe(ref ay, (nuint)j) - (gy0 + gy1)).StoreUnsafe(ref ay, (nuint)j);
                    var gz0 = w0 * dz0;
                    fz0 += gz0;
                    var gz1 = w1 * dz1;
                    fz1 += gz1;
                    (Vector256.LoadUnsafe(ref az, (nuint)j) - (gz0 + gz1)).StoreUnsafe(ref az, (nuint)j);
                }
                accX[i + 0] += Vector256.Sum(fx0);
                accY[i + 0] += Vector256.Sum(fy0);
                accZ[i + 0] += Vector256.Sum(fz0);
                rowZ[i + 0] = Vector256.Sum(sz0);
                accX[i + 1] += Vector256.Sum(fx1);
                accY[i + 1] += Vector256.Sum(fy1);
                accZ[i + 1] += Vector256.Sum(fz1);
                rowZ[i + 1] = Vector256.Sum(sz1);
            }
            if (i < hi)
            {
                var self0 = Vector256.Create(i + 0);
                var x0 = Vector256.Create(xs[i + 0]);
                var y0 = Vector256.Create(ys[i + 0]);
                var z0 = Vector256.Create(zs[i + 0]);
                Vector256<float> sz0 = Vector256<float>.Zero, fx0 = Vector256<float>.Zero, fy0 = Vector256<float>.Zero, fz0 = Vector256<float>.Zero;
                int j = (i + 1) & ~(W - 1);
                if (j < n)
                {
                    var cx = Vector256.LoadUnsafe(ref rx, (nuint)j);
                    var cy = Vector256.LoadUnsafe(ref ry, (nuint)j);
                    var cz = Vector256.LoadUnsafe(ref rz, (nuint)j);
                    var idx = lane + Vector256.Create(j);
                    var inside = Vector256.LessThan(idx, count);
                    var dx0 = x0 - cx;
                    var dy0 = y0 - cy;
                    var dz0 = z0 - cz;
                    var q0 = (one / Vector256.FusedMultiplyAdd(dx0, dx0, Vector256.FusedMultiplyAdd(dy0, dy0, Vector256.FusedMultiplyAdd(dz0, dz0, one)))) & (Vector256.GreaterThan(idx, self0) & inside).AsSingle();
                    sz0 += q0;
                    var w0 = q0 * q0;
                    var gx0 = w0 * dx0;
                    fx0 += gx0;
                    (Vector256.LoadUnsafe(ref ax, (nuint)j) - (gx0)).StoreUnsafe(ref ax, (nuint)j);
                    var gy0 = w0 * dy0;
                    fy0 += gy0;
                    (Vector256.LoadUnsafe(ref ay, (nuint)j) - (gy0)).StoreUnsafe(ref ay, (nuint)j);
                    var gz0 = w0 * dz0;
                    fz0 += gz0;
                    (Vector256.LoadUnsafe(ref az, (nuint)j) - (gz0)).StoreUnsafe(ref az, (nuint)j);
                }
                for (j += W; j <= n - W; j += W)
                {
                    var cx = Vector256.LoadUnsafe(ref rx, (nuint)j);
                    var cy = Vector256.LoadUnsafe(ref ry, (nuint)j);
                    var cz = Vector256.LoadUnsafe(ref rz, (nuint)j);
                    var dx0 = x0 - cx;
                    var dy0 = y0 - cy;
                    var dz0 = z0 - cz;
                    var q0 = one / Vector256.FusedMultiplyAdd(dx0, dx0, Vector256.FusedMultiplyAdd(dy0, dy0, Vector256.FusedMultiplyAdd(dz0, dz0, one)));
                    sz0 += q0;
                    var w0 = q0 * q0;
                    var gx0 = w0 * dx0;
                    fx0 += gx0;
                    (Vector256.LoadUnsafe(ref ax, (nuint)j) - (gx0)).StoreUnsafe(ref ax, (nuint)j);
                    var gy0 = w0 * dy0;
                    fy0 += gy0;
                    (Vector256.LoadUnsafe(ref ay, (nuint)j) - (gy0)).StoreUnsafe(ref ay, (nuint)j);
                    var gz0 = w0 * dz0;
                    fz0 += gz0;
                    (Vector256.LoadUnsafe(ref az, (nuint)j) - (gz0)).StoreUnsafe(ref az, (nuint)j);
                }
                if (j < n)
                {
                    var cx = Vector256.LoadUnsafe(ref rx, (nuint)j);
                    var cy = Vector256.LoadUnsafe(ref ry, (nuint)j);
                    var cz = Vector256.LoadUnsafe(ref rz, (nuint)j);
                    var idx = lane + Vector256.Create(j);
                    var inside = Vector256.LessThan(idx, count);
                    var dx0 = x0 - cx;
                    var dy0 = y0 - cy;
                    var dz0 = z0 - cz;
                    var q0 = (one / Vector256.FusedMultiplyAdd(dx0, dx0, Vector256.FusedMultiplyAdd(dy0, dy0, Vector256.FusedMultiplyAdd(dz0, dz0, one)))) & (Vector256.GreaterThan(idx, self0) & inside).AsSingle();
                    sz0 += q0;
                    var w0 = q0 * q0;
                    var gx0 = w0 * dx0;
                    fx0 += gx0;
                    (Vector256.LoadUnsafe(ref ax, (nuint)j) - (gx0)).StoreUnsafe(ref ax, (nuint)j);
                    var gy0 = w0 * dy0;
                    fy0 += gy0;
                    (Vector256.LoadUnsafe(ref ay, (nuint)j) - (gy0)).StoreUnsafe(ref ay, (nuint)j);
                    var gz0 = w0 * dz0;
                    fz0 += gz0;
                    (Vector256.LoadUnsafe(ref az, (nuint)j) - (gz0)).StoreUnsafe(ref az, (nuint)j);
                }
                accX[i + 0] += Vector256.Sum(fx0);
                accY[i + 0] += Vector256.Sum(fy0);
                accZ[i + 0] += Vector256.Sum(fz0);
                rowZ[i + 0] = Vector256.Sum(sz0);
            }
        }
    }
}
