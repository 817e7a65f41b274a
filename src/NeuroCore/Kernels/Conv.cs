namespace NeuroCore.Kernels;

/// <summary>
/// The lowering of 2-D convolution to GEMM: im2col unfolds every receptive field of one C×H×W image
/// into a column of a (C·KH·KW)×(OH·OW) matrix, so that the convolution becomes
/// W[O, C·KH·KW] · col; col2im folds such a matrix back, adding overlapping contributions.
/// </summary>
internal static class ConvKernels
{
    /// <summary>
    /// col[(c·KH + i)·KW + j, oh·OW + ow] = x[c, oh·stride + i − pad, ow·stride + j − pad], or 0 outside the image.
    /// </summary>
    public static void Im2Col(ReadOnlySpan<float> x, int channels, int h, int w, int kh, int kw, int stride, int pad,
        int oh, int ow, Span<float> col)
    {
        int p = oh * ow;
        for (int c = 0; c < channels; c++)
        {
            var plane = x.Slice(c * h * w, h * w);
            for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++)
            {
                var row = col.Slice(((c * kh + i) * kw + j) * p, p);
                // Output columns whose input column ow·stride + j − pad lies inside [0, w).
                int owFrom = Math.Min(ow, Math.Max(0, CeilDiv(pad - j, stride))), owTo = Math.Min(ow, CeilDiv(w + pad - j, stride));
                if (owTo < owFrom) owTo = owFrom;
                for (int y = 0; y < oh; y++)
                {
                    var dst = row.Slice(y * ow, ow);
                    int ih = y * stride + i - pad;
                    if ((uint)ih >= (uint)h)
                    {
                        dst.Clear();
                        continue;
                    }
                    for (int o = 0; o < owFrom; o++) dst[o] = 0;
                    for (int o = owTo; o < ow; o++) dst[o] = 0;
                    int iw0 = owFrom * stride + j - pad;
                    var src = plane.Slice(ih * w);
                    // Rows of a small feature map are short (11–26 values in the MNIST CNN): a plain loop beats
                    // the fixed cost of a memmove call there.
                    if (stride == 1)
                    {
                        src.Slice(iw0, owTo - owFrom).CopyTo(dst[owFrom..owTo]);
                    }
                    else
                    {
                        for (int o = owFrom, iw = iw0; o < owTo; o++, iw += stride) dst[o] = src[iw];
                    }
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: dx[c, ih, iw] += Σ col entries that were read from it.</summary>
    public static void Col2ImAdd(ReadOnlySpan<float> col, int channels, int h, int w, int kh, int kw, int stride, int pad,
        int oh, int ow, Span<float> dx)
    {
        int p = oh * ow;
        for (int c = 0; c < channels; c++)
        {
            var plane = dx.Slice(c * h * w, h * w);
            for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++)
            {
                var row = col.Slice(((c * kh + i) * kw + j) * p, p);
                int owFrom = Math.Min(ow, Math.Max(0, CeilDiv(pad - j, stride))), owTo = Math.Min(ow, CeilDiv(w + pad - j, stride));
                if (owTo <= owFrom) continue;
                for (int y = 0; y < oh; y++)
                {
                    int ih = y * stride + i - pad;
                    if ((uint)ih >= (uint)h) continue;
                    var src = row.Slice(y * ow, ow);
                    var dst = plane.Slice(ih * w);
                    int iw0 = owFrom * stride + j - pad;
                    if (stride == 1)
                    {
                        var d = dst.Slice(iw0, owTo - owFrom);
                        System.Numerics.Tensors.TensorPrimitives.Add(d, src[owFrom..owTo], d);
                    }
                    else
                    {
                        for (int o = owFrom, iw = iw0; o < owTo; o++, iw += stride) dst[iw] += src[o];
                    }
                }
            }
        }
    }

    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -(-a / b);
}
