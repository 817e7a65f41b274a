using NeuroCore.Tests.Infrastructure;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Tests.Kernels;

public class ConvPoolTests
{
    private static Tensor Rand(int seed, params int[] shape) => Tensor.Randn(shape, new Generator(seed));

    private static Tensor Leaf(int seed, params int[] shape)
    {
        var t = Rand(seed, shape);
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>Direct (seven nested loops) convolution in double.</summary>
    private static double[] ReferenceConv(Tensor x, Tensor w, Tensor? b, int stride, int pad)
    {
        int n = x.Size(0), c = x.Size(1), h = x.Size(2), wd = x.Size(3);
        int o = w.Size(0), kh = w.Size(2), kw = w.Size(3);
        int oh = (h + 2 * pad - kh) / stride + 1, ow = (wd + 2 * pad - kw) / stride + 1;
        var xs = x.ToArray();
        var ws = w.ToArray();
        var bs = b?.ToArray();
        var y = new double[n * o * oh * ow];
        for (int i = 0; i < n; i++)
        for (int q = 0; q < o; q++)
        for (int r = 0; r < oh; r++)
        for (int s = 0; s < ow; s++)
        {
            double acc = bs?[q] ?? 0;
            for (int ch = 0; ch < c; ch++)
            for (int u = 0; u < kh; u++)
            for (int v = 0; v < kw; v++)
            {
                int ih = r * stride + u - pad, iw = s * stride + v - pad;
                if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                acc += (double)xs[((i * c + ch) * h + ih) * wd + iw] * ws[((q * c + ch) * kh + u) * kw + v];
            }
            y[((i * o + q) * oh + r) * ow + s] = acc;
        }
        return y;
    }

    [Theory]
    [InlineData(2, 3, 8, 8, 4, 3, 3, 1, 1)]
    [InlineData(1, 2, 7, 9, 3, 3, 3, 2, 0)]
    [InlineData(3, 1, 6, 6, 2, 5, 5, 1, 2)]
    [InlineData(2, 4, 5, 5, 3, 1, 1, 1, 0)]  // pointwise: the image is its own im2col
    [InlineData(2, 2, 9, 7, 3, 2, 3, 3, 1)]  // non-square kernel, stride 3
    [InlineData(3, 1, 28, 28, 16, 3, 3, 1, 0)] // the CNN's first conv: depth 9, the shallow (no-GEMM) product
    [InlineData(2, 1, 9, 11, 3, 4, 4, 1, 1)]   // depth 16 with padding, 8 + 1 wide output rows
    [InlineData(1, 2, 4, 4, 2, 3, 3, 2, 3)]  // padding larger than the kernel reach
    public void ForwardMatchesDirectConvolution(int n, int c, int h, int w, int o, int kh, int kw, int stride, int pad)
    {
        var x = Rand(1, n, c, h, w);
        var wt = Rand(2, o, c, kh, kw);
        var b = Rand(3, o);
        var y = F.Conv2d(x, wt, b, stride, pad);
        TensorAssert.ShapeIs(y, n, o, (h + 2 * pad - kh) / stride + 1, (w + 2 * pad - kw) / stride + 1);
        TensorAssert.Close(ReferenceConv(x, wt, b, stride, pad), y.ToArray(), 1e-5, 1e-5, "conv2d");
        TensorAssert.Close(ReferenceConv(x, wt, null, stride, pad), F.Conv2d(x, wt, null, stride, pad).ToArray(), 1e-5, 1e-5, "conv2d no bias");
    }

    // dL/dx = col2im(Wᵀ·g), dL/dW = Σₙ g·colᵀ, dL/db = Σ g
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 1)]
    public void GradCheckConv(int stride, int pad) =>
        GradCheck.Check(t => F.Conv2d(t[0], t[1], t[2], stride, pad), [Leaf(1, 2, 2, 6, 5), Leaf(2, 3, 2, 3, 2), Leaf(3, 3)]);

    [Fact]
    public void GradCheckPointwiseConv() =>
        GradCheck.Check(t => F.Conv2d(t[0], t[1], null), [Leaf(4, 2, 3, 3, 4), Leaf(5, 2, 3, 1, 1)]);

    [Fact]
    public void ConvBackwardIsBitIdenticalForOneAndTwoThreads()
    {
        float[][] Run(int threads)
        {
            int saved = Parallelism.MaxThreads;
            Parallelism.MaxThreads = threads;
            try
            {
                var x = Leaf(1, 37, 3, 12, 12);
                var w = Leaf(2, 8, 3, 3, 3);
                var b = Leaf(3, 8);
                (F.Conv2d(x, w, b, 1, 1) * Rand(4, 37, 8, 12, 12)).Sum().Backward();
                return [x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToArray()];
            }
            finally { Parallelism.MaxThreads = saved; }
        }
        var one = Run(1);
        var two = Run(2);
        for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], two[i]);
    }

    [Fact]
    public void ConvShapeErrorsNameTheShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.Conv2d(Rand(1, 1, 3, 8, 8), Rand(2, 4, 2, 3, 3)));
        Assert.Contains("[1, 3, 8, 8]", ex.Message);
        Assert.Contains("[4, 2, 3, 3]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => F.Conv2d(Rand(1, 1, 1, 2, 2), Rand(2, 1, 1, 3, 3)));
        Assert.Contains("does not fit", ex.Message);
        Assert.Throws<ArgumentException>(() => F.Conv2d(Rand(1, 3, 8, 8), Rand(2, 4, 3, 3, 3)));
    }

    /// <summary>Values 0.1·(a permutation): distinct maxima spaced well beyond the finite-difference step.</summary>
    private static Tensor Distinct(int seed, params int[] shape)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        var v = Enumerable.Range(0, n).Select(i => i * 0.1f).ToArray();
        new Random(seed).Shuffle(v);
        var t = Tensor.FromArray(v, shape);
        t.RequiresGrad = true;
        return t;
    }

    [Theory]
    [InlineData(2, null)]
    [InlineData(3, 2)]
    [InlineData(2, 1)]  // overlapping windows accumulate
    public void MaxPoolForwardAndGradCheck(int k, int? stride)
    {
        var x = Distinct(1, 2, 3, 7, 8);
        var y = F.MaxPool2d(x, k, stride);
        int s = stride ?? k, oh = (7 - k) / s + 1, ow = (8 - k) / s + 1;
        TensorAssert.ShapeIs(y, 2, 3, oh, ow);
        var xs = x.ToArray();
        var want = new double[6 * oh * ow];
        for (int p = 0; p < 6; p++)
        for (int r = 0; r < oh; r++)
        for (int c = 0; c < ow; c++)
        {
            double m = double.NegativeInfinity;
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++) m = Math.Max(m, xs[p * 56 + (r * s + i) * 8 + c * s + j]);
            want[(p * oh + r) * ow + c] = m;
        }
        TensorAssert.Close(want, y.ToArray(), 0, 0, "max_pool2d");
        GradCheck.Check(t => F.MaxPool2d(t[0], k, stride), [x]);
    }

    [Fact]
    public void MaxPoolGradientGoesToTheFirstMaximumOfATie()
    {
        var x = Tensor.Ones(1, 1, 2, 2);
        x.RequiresGrad = true;
        F.MaxPool2d(x, 2).Sum().Backward();
        TensorAssert.Close([1f, 0, 0, 0], x.Grad!);
    }

    [Theory]
    [InlineData(2, 2, 45)]
    [InlineData(2, 2, 16)]  // exactly one 8-wide block per row
    [InlineData(2, 2, 17)]
    [InlineData(2, 2, 26)]  // the CNN's first pool: 13 outputs, a ragged block
    [InlineData(2, 2, 11)]  // the CNN's second pool: 5 outputs, 4-wide blocks with a ragged end
    [InlineData(2, 2, 8)]   // exactly one 4-wide block
    [InlineData(2, 2, 9)]
    [InlineData(2, 2, 15)]  // 7 outputs: the widest 4-wide case
    [InlineData(2, 2, 7)]   // 3 outputs: scalar
    [InlineData(3, 2, 45)]
    [InlineData(2, 1, 45)]
    [InlineData(3, 3, 45)]
    public void VectorizedPoolsAgreeWithScalarRuleOnTiesAndNaN(int k, int stride, int w)
    {
        // Wide rows (many output columns per vector) with heavy ties and a few NaNs; large enough to run in parallel.
        int planes = 70, h = 31;
        var rng = new Random(k * 10 + stride);
        var x = new float[planes * h * w];
        for (int i = 0; i < x.Length; i++) x[i] = rng.Next(100) == 0 ? float.NaN : rng.Next(5);
        int oh = (h - k) / stride + 1, ow = (w - k) / stride + 1;
        var y1 = new float[planes * oh * ow];
        var y2 = new float[planes * oh * ow];
        var a1 = new int[y1.Length];
        var a2 = new int[y1.Length];
        NeuroCore.Kernels.PoolKernels.MaxForward(x, planes, h, w, k, stride, oh, ow, y1, a1);
        NeuroCore.Kernels.PoolKernels.MaxForwardScalar(x, planes, h, w, k, stride, oh, ow, y2, a2);
        Assert.Equal(y2, y1);
        Assert.Equal(a2, a1);
        var t = Tensor.FromArray(x, planes, 1, h, w);
        Assert.Equal(y2, F.MaxPool2d(t, k, stride).ToArray());

        // Average pooling: the vector path sums in the scalar order, so the values are identical.
        var want = new float[planes * oh * ow];
        for (int p = 0; p < planes; p++)
        for (int r = 0; r < oh; r++)
        for (int c = 0; c < ow; c++)
        {
            float s = 0;
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++) s += x[p * h * w + (r * stride + i) * w + c * stride + j];
            want[(p * oh + r) * ow + c] = s * (1f / (k * k));
        }
        Assert.Equal(want, F.AvgPool2d(t, k, stride).ToArray());
    }

    [Theory]
    [InlineData(28, 26)]  // the CNN's first pool: 13 outputs, one 8-wide block and a ragged one
    [InlineData(11, 11)]  // the CNN's second pool: odd sides, a column and a row outside every window
    [InlineData(5, 16)]   // exactly one 8-wide block
    [InlineData(4, 8)]    // exactly one 4-wide block
    [InlineData(3, 15)]   // 7 outputs: 4-wide with a ragged end
    [InlineData(2, 7)]    // 3 outputs: scalar
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    public void MaxPool2x2BackwardWritesEveryElementLikeTheScatter(int h, int w)
    {
        // Ties (small integers) make the argmax position vary across all four window slots; dx starts as
        // garbage because the kernel must write every element itself.
        int planes = 5, oh = h / 2, ow = w / 2;
        var rng = new Random(h * 100 + w);
        var x = new float[planes * h * w];
        for (int i = 0; i < x.Length; i++) x[i] = rng.Next(4);
        var y = new float[planes * oh * ow];
        var arg = new int[y.Length];
        NeuroCore.Kernels.PoolKernels.MaxForwardScalar(x, planes, h, w, 2, 2, oh, ow, y, arg);
        var g = new float[y.Length];
        for (int i = 0; i < g.Length; i++) g[i] = rng.Next(1, 1000) * 0.25f;

        var want = new float[x.Length];
        for (int pl = 0; pl < planes; pl++)
            for (int o = 0; o < oh * ow; o++) want[pl * h * w + arg[pl * oh * ow + o]] += g[pl * oh * ow + o];
        var got = new float[x.Length];
        Array.Fill(got, float.NaN);
        NeuroCore.Kernels.PoolKernels.MaxBackward(g, arg, planes, h, w, 2, 2, oh, ow, got);
        Assert.Equal(want, got);
    }

    [Fact]
    public void MaxPoolPropagatesNaN()
    {
        var x = Tensor.FromArray([1f, float.NaN, 3, 4], 1, 1, 2, 2);
        Assert.True(float.IsNaN(F.MaxPool2d(x, 2).Item()));
    }

    [Theory]
    [InlineData(2, null)]
    [InlineData(3, 2)]
    [InlineData(3, 1)]
    public void AvgPoolForwardAndGradCheck(int k, int? stride)
    {
        var x = Leaf(1, 2, 2, 7, 6);
        var y = F.AvgPool2d(x, k, stride);
        int s = stride ?? k, oh = (7 - k) / s + 1, ow = (6 - k) / s + 1;
        var xs = x.ToArray();
        var want = new double[4 * oh * ow];
        for (int p = 0; p < 4; p++)
        for (int r = 0; r < oh; r++)
        for (int c = 0; c < ow; c++)
        {
            double sum = 0;
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++) sum += xs[p * 42 + (r * s + i) * 6 + c * s + j];
            want[(p * oh + r) * ow + c] = sum / (k * k);
        }
        TensorAssert.Close(want, y.ToArray(), 1e-6, 1e-6, "avg_pool2d");
        GradCheck.Check(t => F.AvgPool2d(t[0], k, stride), [x]);
    }

    [Fact]
    public void PoolErrorsNameTheShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.MaxPool2d(Rand(1, 1, 1, 2, 2), 3));
        Assert.Contains("[1, 1, 2, 2]", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.AvgPool2d(Rand(1, 1, 1, 4, 4), 0));
    }
}
