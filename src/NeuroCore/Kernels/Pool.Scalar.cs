namespace NeuroCore.Kernels;

// Scalar tier: the reference forms, narrow outputs, and the scatters of backward that have no SIMD form.
internal static partial class PoolKernels
{
    /// <summary>The scalar reference of <see cref="MaxForward"/> (narrow outputs, or no SIMD).</summary>
    internal static void MaxForwardScalar(ReadOnlySpan<float> x, int planes, int h, int w, int k, int stride, int oh, int ow,
        Span<float> y, Span<int> argmax)
    {
        for (int pl = 0; pl < planes; pl++)
        {
            var src = x.Slice(pl * h * w, h * w);
            int o = pl * oh * ow;
            for (int r = 0; r < oh; r++)
            for (int c = 0; c < ow; c++, o++)
            {
                int start = r * stride * w + c * stride;
                float best = float.NegativeInfinity;
                int bestIndex = start;
                for (int i = 0; i < k; i++)
                {
                    int rowStart = start + i * w;
                    for (int j = 0; j < k; j++)
                    {
                        float v = src[rowStart + j];
                        if (v > best || float.IsNaN(v))
                        {
                            best = v;
                            bestIndex = rowStart + j;
                        }
                    }
                }
                y[o] = best;
                argmax[o] = bestIndex;
            }
        }
    }

    /// <summary>dx[plane] = 0, then dx[plane, argmax] += g for every output (overlapping windows accumulate).</summary>
    /// <remarks>
    /// dx is overwritten, so callers allocate it uninitialized: clearing one plane right before its scatter
    /// keeps it in L1, where zeroing the whole (often large-object-heap) array first costs a separate pass
    /// over memory.
    /// </remarks>
    public static void MaxBackward(ReadOnlySpan<float> g, ReadOnlySpan<int> argmax, int planes, int hw, int ohw, Span<float> dx)
    {
        for (int pl = 0; pl < planes; pl++)
        {
            var d = dx.Slice(pl * hw, hw);
            d.Clear();
            for (int o = pl * ohw, end = o + ohw; o < end; o++) d[argmax[o]] += g[o];
        }
    }

    /// <summary>dx[plane] = 0, then dx[window element] += g / k² for every output's window.</summary>
    /// <remarks>dx is overwritten (see <see cref="MaxBackward(ReadOnlySpan{float}, ReadOnlySpan{int}, int, int, int, Span{float})"/>).</remarks>
    public static void AvgBackward(ReadOnlySpan<float> g, int planes, int h, int w, int k, int stride, int oh, int ow, Span<float> dx)
    {
        float scale = 1f / (k * k);
        for (int pl = 0; pl < planes; pl++)
        {
            var d = dx.Slice(pl * h * w, h * w);
            d.Clear();
            int o = pl * oh * ow;
            for (int r = 0; r < oh; r++)
            for (int c = 0; c < ow; c++, o++)
            {
                int start = r * stride * w + c * stride;
                float v = g[o] * scale;
                for (int i = 0; i < k; i++)
                {
                    var row = d.Slice(start + i * w, k);
                    for (int j = 0; j < k; j++) row[j] += v;
                }
            }
        }
    }

    /// <summary>The scalar form of <see cref="AvgForward"/>.</summary>
    private static void AvgForwardScalar(ReadOnlySpan<float> x, int planes, int h, int w, int k, int stride, int oh, int ow, Span<float> y)
    {
        float scale = 1f / (k * k);
        for (int pl = 0; pl < planes; pl++)
        {
            var src = x.Slice(pl * h * w, h * w);
            int o = pl * oh * ow;
            for (int r = 0; r < oh; r++)
            for (int c = 0; c < ow; c++, o++)
            {
                int start = r * stride * w + c * stride;
                float s = 0;
                for (int i = 0; i < k; i++)
                {
                    var row = src.Slice(start + i * w, k);
                    for (int j = 0; j < k; j++) s += row[j];
                }
                y[o] = s * scale;
            }
        }
    }
}
