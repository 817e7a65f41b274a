using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NeuroCore.Kernels;

// Portable SIMD tier (Vector<T>, any width): max pooling vectorized across a row's output columns.
internal static partial class PoolKernels
{
    /// <summary>
    /// <see cref="MaxForward"/> for any window and stride: for each window offset (i, j) the strided inputs
    /// of an output row are gathered into a contiguous row and compared/selected lane-wise.
    /// </summary>
    private static void MaxForwardVector(ReadOnlySpan<float> x, int planes, int h, int w, int k, int stride, int oh, int ow,
        Span<float> y, Span<int> argmax)
    {
        int width = (ow + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count; // padded lanes are ignored
        float[]? rented = width > 512 ? ArrayPool<float>.Shared.Rent(2 * width) : null;
        int[]? rentedIdx = width > 512 ? ArrayPool<int>.Shared.Rent(width) : null;
        Span<float> buf = rented ?? stackalloc float[2 * width];
        Span<int> idx = rentedIdx ?? stackalloc int[width];
        var vals = buf[..width];
        var best = buf.Slice(width, width);
        var valsV = MemoryMarshal.Cast<float, Vector<float>>(vals);
        var bestV = MemoryMarshal.Cast<float, Vector<float>>(best);
        var idxV = MemoryMarshal.Cast<int, Vector<int>>(idx);
        vals[ow..].Fill(float.NegativeInfinity);
        for (int pl = 0; pl < planes; pl++)
        {
            var src = x.Slice(pl * h * w, h * w);
            for (int r = 0; r < oh; r++)
            {
                best.Fill(float.NegativeInfinity);
                idx.Clear();
                for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                {
                    var row = src[((r * stride + i) * w + j)..];
                    if (stride == 1) row[..ow].CopyTo(vals);
                    else for (int c = 0; c < ow; c++) vals[c] = row[c * stride];
                    var pos = new Vector<int>(i * w + j);
                    for (int q = 0; q < valsV.Length; q++)
                    {
                        var v = valsV[q];
                        var take = Vector.GreaterThan(v, bestV[q]) | ~Vector.Equals(v, v); // v > best or v is NaN
                        bestV[q] = Vector.ConditionalSelect(take, v, bestV[q]);
                        idxV[q] = Vector.ConditionalSelect(take, pos, idxV[q]);
                    }
                }
                int o = (pl * oh + r) * ow, start = r * stride * w;
                best[..ow].CopyTo(y.Slice(o, ow));
                for (int c = 0; c < ow; c++) argmax[o + c] = start + c * stride + idx[c];
            }
        }
        if (rented is not null) ArrayPool<float>.Shared.Return(rented);
        if (rentedIdx is not null) ArrayPool<int>.Shared.Return(rentedIdx);
    }
}
