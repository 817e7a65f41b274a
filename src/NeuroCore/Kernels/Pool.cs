namespace NeuroCore.Kernels;

/// <summary>
/// 2-D max and average pooling over planes of H×W values (no padding, floor mode, as torch's defaults):
/// output (y, x) reads the window rows y·stride .. y·stride+k−1 and columns x·stride .. x·stride+k−1.
/// </summary>
internal static class PoolKernels
{
    /// <summary>
    /// Max over each window of each plane; <paramref name="argmax"/> receives the in-plane index of the
    /// first maximum in row-major window order (a NaN wins, as in torch), which backward routes to.
    /// </summary>
    public static void MaxForward(ReadOnlySpan<float> x, int planes, int h, int w, int k, int stride, int oh, int ow,
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

    /// <summary>dx[plane, argmax] += g for every output (overlapping windows accumulate).</summary>
    public static void MaxBackward(ReadOnlySpan<float> g, ReadOnlySpan<int> argmax, int planes, int hw, int ohw, Span<float> dx)
    {
        for (int pl = 0; pl < planes; pl++)
        {
            var d = dx.Slice(pl * hw, hw);
            for (int o = pl * ohw, end = o + ohw; o < end; o++) d[argmax[o]] += g[o];
        }
    }

    /// <summary>Mean over each window (always divided by k², the full window).</summary>
    public static void AvgForward(ReadOnlySpan<float> x, int planes, int h, int w, int k, int stride, int oh, int ow, Span<float> y)
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

    /// <summary>dx[window element] += g / k² for every output's window.</summary>
    public static void AvgBackward(ReadOnlySpan<float> g, int planes, int h, int w, int k, int stride, int oh, int ow, Span<float> dx)
    {
        float scale = 1f / (k * k);
        for (int pl = 0; pl < planes; pl++)
        {
            var d = dx.Slice(pl * h * w, h * w);
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
}
