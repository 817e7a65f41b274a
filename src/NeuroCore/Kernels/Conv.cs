using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuroCore.Kernels;

/// <summary>
/// The lowering of 2-D convolution to GEMM: im2col unfolds every receptive field of one C×H×W image
/// into a column of a (C·KH·KW)×(OH·OW) matrix, so that the convolution becomes
/// W[O, C·KH·KW] · col; col2im folds such a matrix back, adding overlapping contributions.
/// </summary>
internal static partial class ConvKernels
{
    /// <summary>
    /// col[(c·KH + i)·KW + j, oh·OW + ow] = x[c, oh·stride + i − pad, ow·stride + j − pad], or 0 outside the image.
    /// </summary>
    public static void Im2Col(ReadOnlySpan<float> x, int channels, int h, int w, int kh, int kw, int stride, int pad,
        int oh, int ow, Span<float> col)
    {
        int p = oh * ow;
        if (stride == 1 && pad == 0 && Im2ColUnpadded(x, channels, h, w, kh, kw, oh, ow, col)) return;
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
                    int iw0 = owFrom * stride + j - pad;
                    var src = plane.Slice(ih * w);
                    if (stride == 1)
                    {
                        int srcAt = c * h * w + ih * w + iw0, dstAt = ((c * kh + i) * kw + j) * p + y * ow + owFrom, len = owTo - owFrom;
                        if (!TryCopyOverrun(x, srcAt, col, dstAt, len))
                            src.Slice(iw0, len).CopyTo(dst[owFrom..owTo]);
                    }
                    else
                    {
                        for (int o = owFrom, iw = iw0; o < owTo; o++, iw += stride) dst[o] = src[iw];
                    }
                    // After the copy: TryCopyOverrun may have spilled into these.
                    for (int o = owTo; o < ow; o++) dst[o] = 0;
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: dx[c, ih, iw] += Σ col entries that were read from it.</summary>
    public static void Col2ImAdd(ReadOnlySpan<float> col, int channels, int h, int w, int kh, int kw, int stride, int pad,
        int oh, int ow, Span<float> dx)
    {
        int p = oh * ow;
        if (stride == 1 && pad == 0 && Col2ImAddUnpadded(col, channels, h, w, kh, kw, oh, ow, dx)) return;
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
                        AddShort(src[owFrom..owTo], dst.Slice(iw0, owTo - owFrom));
                    }
                    else
                    {
                        for (int o = owFrom, iw = iw0; o < owTo; o++, iw += stride) dst[iw] += src[o];
                    }
                }
            }
        }
    }

    /// <summary>
    /// y[q, :] = bias[q] + Σₖ w[q, k] · col[k, :] for a shallow product (k small: a convolution with one or
    /// two input channels), vectorized along the p columns with the k FMAs in order.
    /// </summary>
    /// <remarks>
    /// With depth ≤ 16 the packed GEMM spends more on packing its panels and on the separate bias fill
    /// than on the arithmetic (conv1 of the MNIST CNN, depth 9: 2.4 → 1.9 µs per image with the bias). Every
    /// tier does the same FMAs in the same order, so the result does not depend on the instruction set. The
    /// tiers of one output row live in <c>Conv.Avx512.cs</c>, <c>Conv.Avx2.cs</c> and <c>Conv.Scalar.cs</c>.
    /// </remarks>
    public static void ShallowProduct(ReadOnlySpan<float> w, int o, int k, ReadOnlySpan<float> col, int p,
        ReadOnlySpan<float> bias, Span<float> y)
    {
        if ((long)o * k > w.Length || (long)k * p > col.Length || (long)o * p > y.Length || (!bias.IsEmpty && bias.Length < o))
            throw new ArgumentException($"ShallowProduct: buffers too small for o={o}, k={k}, p={p}.");
        for (int q = 0; q < o; q++)
        {
            var wq = w.Slice(q * k, k);
            var yq = y.Slice(q * p, p);
            float b = bias.IsEmpty ? 0f : bias[q];
            int j = 0;
            if (Vector512.IsHardwareAccelerated) j = ShallowRowAvx512(wq, col, p, b, yq);
            if (Vector256.IsHardwareAccelerated) j = ShallowRowAvx2(wq, col, p, b, yq, j);
            ShallowRowScalar(wq, col, p, b, yq, j);
        }
    }

    /// <summary>
    /// Im2Col for stride 1 without padding, where col row (c, i, j) is the oh×ow window of plane c at
    /// (i, j): each of its rows is copied in whole vector blocks, reading and writing up to a block past the
    /// row's end. Rows are written in increasing address order, so a spill is overwritten by the next row;
    /// rows near the end of x or col are copied exactly. Returns false (nothing written) without vector hardware.
    /// </summary>
    /// <remarks>
    /// The rows of a small feature map are short (11–26 values in the MNIST CNN): a memmove per row costs
    /// more in call and tail handling than the copy itself.
    /// </remarks>
    private static bool Im2ColUnpadded(ReadOnlySpan<float> x, int channels, int h, int w, int kh, int kw, int oh, int ow, Span<float> col)
    {
        int p = oh * ow;
        if (p == 0 || channels == 0) return true;
        bool wide = Vector512.IsHardwareAccelerated;
        int block = wide ? 16 : 8;
        if (!Vector256.IsHardwareAccelerated) return false;
        int span = (ow + block - 1) / block * block;
        if ((long)channels * h * w > x.Length || (long)channels * kh * kw * p > col.Length) return false;
        // Rows whose blocks would reach past x or col (the last few) are copied exactly.
        // Blocks stay inside this call's part of col (callers may pass a longer buffer and keep data after it).
        int colUsed = channels * kh * kw * p;
        bool anyFast = x.Length >= span && colUsed >= span;
        nuint srcLimit = anyFast ? (nuint)(x.Length - span) : 0, dstLimit = anyFast ? (nuint)(colUsed - span) : 0;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float cs = ref MemoryMarshal.GetReference(col);
        nuint dst = 0;
        for (int c = 0; c < channels; c++)
        for (int i = 0; i < kh; i++)
        for (int j = 0; j < kw; j++)
        {
            nuint src = (nuint)(c * h * w + i * w + j);
            for (int y = 0; y < oh; y++, src += (nuint)w, dst += (nuint)ow)
            {
                if (!anyFast || src > srcLimit || dst > dstLimit)
                    for (int b = 0; b < ow; b++) Unsafe.Add(ref cs, dst + (nuint)b) = Unsafe.Add(ref xs, src + (nuint)b);
                else if (wide)
                    for (int b = 0; b < span; b += 16)
                        Vector512.LoadUnsafe(ref xs, src + (nuint)b).StoreUnsafe(ref cs, dst + (nuint)b);
                else
                    for (int b = 0; b < span; b += 8)
                        Vector256.LoadUnsafe(ref xs, src + (nuint)b).StoreUnsafe(ref cs, dst + (nuint)b);
            }
        }
        return true;
    }

    /// <summary>
    /// Col2ImAdd for stride 1 without padding, gathered per dx row: the 8 pixels of a block of dx row r
    /// collect, in registers, every col entry that lands on them (col row (c, i, j), output row r − i, read
    /// shifted by j and masked to the lanes it covers), then are stored once. Lanes past the row's end
    /// store back the dx values they loaded (the same image, which one thread owns). Returns false
    /// (nothing added) without vector hardware.
    /// </summary>
    /// <remarks>
    /// Scattering col row by row instead re-reads dx right after storing to overlapping, shifted addresses
    /// (neighbouring j), a store-forwarding stall on every row: 3× slower on the CNN's 16×13×13 input.
    /// Each pixel still adds its contributions in (c, i, j) order, as the general path does.
    /// </remarks>
    private static bool Col2ImAddUnpadded(ReadOnlySpan<float> col, int channels, int h, int w, int kh, int kw, int oh, int ow, Span<float> dx)
    {
        int p = oh * ow;
        if (p == 0 || channels == 0) return true;
        if (!Vector256.IsHardwareAccelerated) return false;
        int colUsed = channels * kh * kw * p, dxUsed = channels * h * w;
        if (colUsed > col.Length || dxUsed > dx.Length) return false;
        ref float cs = ref MemoryMarshal.GetReference(col);
        ref float ds = ref MemoryMarshal.GetReference(dx);
        // covered[(q / 8)·kw + j]: the lanes of dx block q that col rows with column shift j reach.
        int blocks = (w + 7) / 8;
        if (blocks * kw > 256) return false;
        Span<Vector256<float>> covered = stackalloc Vector256<float>[blocks * kw];
        var lane = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7);
        for (int b = 0; b < blocks; b++)
        for (int j = 0; j < kw; j++)
        {
            var xs = lane + Vector256.Create((float)(b * 8));
            covered[b * kw + j] = Vector256.GreaterThanOrEqual(xs, Vector256.Create((float)j)) & Vector256.LessThan(xs, Vector256.Create((float)(j + ow)));
        }
        for (int c = 0; c < channels; c++)
        for (int r = 0; r < h; r++)
        {
            int iFrom = Math.Max(0, r - oh + 1), iTo = Math.Min(kh - 1, r);
            for (int q = 0; q < w; q += 8)
            {
                int dxAt = (c * h + r) * w + q;
                // Highest col address this block reads: i = iTo, j = kw − 1.
                long lastRead = (long)((c * kh + iTo) * kw + kw - 1) * p + (long)(r - iTo) * ow - (kw - 1) + q + 8;
                if (dxAt + 8 > dxUsed || lastRead > colUsed)
                {
                    for (int x = q; x < Math.Min(w, q + 8); x++)
                    {
                        float sum = Unsafe.Add(ref ds, dxAt + x - q);
                        for (int i = iFrom; i <= iTo; i++)
                        for (int j = 0; j < kw; j++)
                            if (x - j >= 0 && x - j < ow)
                                sum += Unsafe.Add(ref cs, ((c * kh + i) * kw + j) * p + (r - i) * ow + x - j);
                        Unsafe.Add(ref ds, dxAt + x - q) = sum;
                    }
                    continue;
                }
                var acc = Vector256.LoadUnsafe(ref ds, (nuint)dxAt);
                var masks = covered.Slice(q / 8 * kw, kw);
                for (int i = iFrom; i <= iTo; i++)
                {
                    // ≥ 0 for every j: row (c, i, j) starts at ≥ j·p ≥ j
                    int at = (c * kh + i) * kw * p + (r - i) * ow + q;
                    for (int j = 0; j < kw; j++, at += p - 1)
                        acc += Vector256.LoadUnsafe(ref cs, (nuint)at) & masks[j];
                }
                acc.StoreUnsafe(ref ds, (nuint)dxAt);
            }
        }
        return true;
    }

    /// <summary>
    /// Copies len values from x[srcAt..] to col[dstAt..] in whole Vector256 blocks, so up to 7 values past
    /// the end are read from x and written to col. Im2Col writes col in increasing address order, so those
    /// extra values land where a later row is written anyway; returns false (nothing copied) when the
    /// blocks would leave either span or there is no vector hardware.
    /// </summary>
    /// <remarks>
    /// The rows of a small feature map are short (11–26 values in the MNIST CNN): a memmove per row costs
    /// more in call and tail handling than the copy itself; this halves im2col's time for the 3×3 conv on 13×13.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryCopyOverrun(ReadOnlySpan<float> x, int srcAt, Span<float> col, int dstAt, int len)
    {
        int blocks = (len + 7) >> 3;
        if (!Vector256.IsHardwareAccelerated || srcAt + blocks * 8 > x.Length || dstAt + blocks * 8 > col.Length) return false;
        ref float s = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), srcAt);
        ref float d = ref Unsafe.Add(ref MemoryMarshal.GetReference(col), dstAt);
        for (int b = 0; b < blocks * 8; b += 8)
            Vector256.LoadUnsafe(ref s, (nuint)b).StoreUnsafe(ref d, (nuint)b);
        return true;
    }

    /// <summary>dst += src for short rows: one Vector256 block at a time, then a scalar tail (no library call overhead).</summary>
    private static void AddShort(ReadOnlySpan<float> src, Span<float> dst)
    {
        int n = src.Length, q = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float s = ref MemoryMarshal.GetReference(src);
            ref float d = ref MemoryMarshal.GetReference(dst[..n]);
            for (; q + 8 <= n; q += 8)
                (Vector256.LoadUnsafe(ref d, (nuint)q) + Vector256.LoadUnsafe(ref s, (nuint)q)).StoreUnsafe(ref d, (nuint)q);
        }
        for (; q < n; q++) dst[q] += src[q];
    }

    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -(-a / b);
}
