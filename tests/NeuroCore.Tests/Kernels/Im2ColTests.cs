using NeuroCore.Kernels;

namespace NeuroCore.Tests.Kernels;

/// <summary>
/// im2col / col2im against naive element-by-element references, especially the unpadded stride-1 fast
/// paths, which copy whole vector blocks past each row's end and must still write exactly the matrix.
/// </summary>
public class Im2ColTests
{
    public static TheoryData<int, int, int, int, int, int, int> Geometries => new()
    {
        // channels, h, w, kh, kw, stride, pad
        { 1, 28, 28, 3, 3, 1, 0 },   // the CNN's first conv: 26-wide rows
        { 16, 13, 13, 3, 3, 1, 0 },  // the CNN's second conv: 11-wide rows
        { 2, 5, 3, 3, 3, 1, 0 },     // rows of 1 value
        { 3, 4, 10, 2, 3, 1, 0 },    // rows of 8 (exactly one AVX2 block)
        { 2, 3, 11, 2, 3, 1, 0 },    // 9 = 8 + 1
        { 2, 3, 17, 1, 2, 1, 0 },    // 16 (one AVX-512 block)
        { 2, 3, 19, 2, 3, 1, 0 },    // 17 = 16 + 1
        { 1, 6, 40, 3, 5, 1, 0 },    // 36: several blocks
        { 1, 1, 1, 1, 1, 1, 0 },
        { 2, 7, 9, 3, 3, 1, 1 },     // padded and strided forms take the general path
        { 3, 9, 8, 3, 2, 2, 1 },
    };

    private static float[] Random(int n, int seed)
    {
        var r = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(r.NextDouble() * 2 - 1);
        return a;
    }

    private static (int oh, int ow) Out(int h, int w, int kh, int kw, int stride, int pad) =>
        ((h + 2 * pad - kh) / stride + 1, (w + 2 * pad - kw) / stride + 1);

    private static float ReadPadded(float[] x, int c, int h, int w, int ih, int iw) =>
        ih < 0 || ih >= h || iw < 0 || iw >= w ? 0f : x[(c * h + ih) * w + iw];

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Im2ColWritesExactlyTheUnfoldedMatrix(int c, int h, int w, int kh, int kw, int stride, int pad)
    {
        var (oh, ow) = Out(h, w, kh, kw, stride, pad);
        int rows = c * kh * kw, p = oh * ow;
        var x = Random(c * h * w, 1);
        // A longer buffer filled with a sentinel: nothing past the matrix may be touched.
        var col = new float[rows * p + 40];
        Array.Fill(col, 7777f);
        ConvKernels.Im2Col(x, c, h, w, kh, kw, stride, pad, oh, ow, col);
        for (int ch = 0; ch < c; ch++)
        for (int i = 0; i < kh; i++)
        for (int j = 0; j < kw; j++)
        for (int y = 0; y < oh; y++)
        for (int o = 0; o < ow; o++)
        {
            float expected = ReadPadded(x, ch, h, w, y * stride + i - pad, o * stride + j - pad);
            Assert.Equal(expected, col[((ch * kh + i) * kw + j) * p + y * ow + o]);
        }
        for (int q = rows * p; q < col.Length; q++) Assert.Equal(7777f, col[q]);

        // Exactly sized spans too (the last rows cannot spill and take the exact copy).
        var exact = new float[rows * p];
        ConvKernels.Im2Col(x, c, h, w, kh, kw, stride, pad, oh, ow, exact);
        Assert.Equal(col.AsSpan(0, rows * p).ToArray(), exact);
    }

    [Theory]
    [InlineData(1, 1, 1, true)]
    [InlineData(3, 9, 7, false)]
    [InlineData(16, 9, 676, true)]  // the CNN's first conv
    [InlineData(2, 16, 8, true)]
    [InlineData(2, 5, 9, false)]
    [InlineData(4, 2, 15, true)]
    [InlineData(4, 2, 16, true)]
    [InlineData(4, 2, 17, false)]
    [InlineData(2, 3, 33, true)]
    public void ShallowProductMatchesReference(int o, int k, int p, bool withBias)
    {
        var w = Random(o * k, 4);
        var col = Random(k * p, 5);
        var bias = withBias ? Random(o, 6) : [];
        var y = new float[o * p];
        Array.Fill(y, float.NaN); // fully overwritten
        ConvKernels.ShallowProduct(w, o, k, col, p, bias, y);
        for (int q = 0; q < o; q++)
        for (int j = 0; j < p; j++)
        {
            double want = withBias ? bias[q] : 0;
            for (int kk = 0; kk < k; kk++) want += (double)w[q * k + kk] * col[kk * p + j];
            Assert.True(Math.Abs(want - y[q * p + j]) <= 1e-5 * (1 + Math.Abs(want)), $"y[{q}, {j}] = {y[q * p + j]}, expected {want}");
        }
    }

    [Theory]
    [InlineData(16, 9, 676)] // AVX-512: 10 blocks of 64, 2 of 16, a tail of 4; AVX2: 21 blocks of 32, 1 of 8, a tail of 4
    [InlineData(3, 5, 95)]
    [InlineData(2, 16, 7)]
    public void ShallowProductIsBitIdenticalToTheInOrderFmaReference(int o, int k, int p)
    {
        // Every tier (Conv.Avx512.cs, Conv.Avx2.cs, Conv.Scalar.cs) does the k FMAs of a column in order from
        // the bias, so each element equals the scalar chain exactly, whichever tier computed it.
        var w = Random(o * k, 7);
        var col = Random(k * p, 8);
        var bias = Random(o, 9);
        var y = new float[o * p];
        ConvKernels.ShallowProduct(w, o, k, col, p, bias, y);
        for (int q = 0; q < o; q++)
        for (int j = 0; j < p; j++)
        {
            float want = bias[q];
            for (int kk = 0; kk < k; kk++) want = MathF.FusedMultiplyAdd(w[q * k + kk], col[kk * p + j], want);
            Assert.Equal(BitConverter.SingleToInt32Bits(want), BitConverter.SingleToInt32Bits(y[q * p + j]));
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Col2ImAddAddsEveryEntryOntoItsPixel(int c, int h, int w, int kh, int kw, int stride, int pad)
    {
        var (oh, ow) = Out(h, w, kh, kw, stride, pad);
        int rows = c * kh * kw, p = oh * ow;
        var col = Random(rows * p, 2);
        var start = Random(c * h * w, 3);
        // dx sits between two neighbours' data that must come back unchanged.
        var buffer = new float[c * h * w + 48];
        Array.Fill(buffer, 5555f);
        start.CopyTo(buffer, 24);
        ConvKernels.Col2ImAdd(col, c, h, w, kh, kw, stride, pad, oh, ow, buffer.AsSpan(24, c * h * w));

        var expected = start.Select(v => (double)v).ToArray();
        for (int ch = 0; ch < c; ch++)
        for (int i = 0; i < kh; i++)
        for (int j = 0; j < kw; j++)
        for (int y = 0; y < oh; y++)
        for (int o = 0; o < ow; o++)
        {
            int ih = y * stride + i - pad, iw = o * stride + j - pad;
            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
            expected[(ch * h + ih) * w + iw] += col[((ch * kh + i) * kw + j) * p + y * ow + o];
        }
        for (int q = 0; q < expected.Length; q++)
            Assert.True(Math.Abs(expected[q] - buffer[24 + q]) <= 1e-5 * (1 + Math.Abs(expected[q])),
                $"dx[{q}] = {buffer[24 + q]}, expected {expected[q]}");
        for (int q = 0; q < 24; q++) Assert.Equal(5555f, buffer[q]);
        for (int q = 24 + c * h * w; q < buffer.Length; q++) Assert.Equal(5555f, buffer[q]);
    }
}
