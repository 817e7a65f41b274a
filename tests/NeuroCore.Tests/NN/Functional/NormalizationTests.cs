using FsCheck;
using FsCheck.Xunit;
using NeuroCore.Tests.Infrastructure;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Tests.NN.Functional;

public class NormalizationTests
{
    public static TheoryData<int> SimdSizes => new() { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65 };

    /// <summary>
    /// A well-conditioned input for finite differences: normal noise plus a ramp along <paramref name="rampDim"/>,
    /// so every normalized group has a spread of order 1. (With two nearly equal values the normalized
    /// output jumps between ±1 within the step h and the numeric derivative is meaningless.)
    /// </summary>
    private static Tensor RampLeaf(int[] shape, int rampDim, int seed)
    {
        var data = Tensor.Randn(shape, new Generator(seed)).ToArray();
        int inner = 1;
        for (int i = rampDim + 1; i < shape.Length; i++) inner *= shape[i];
        for (int i = 0; i < data.Length; i++) data[i] = 0.1f * data[i] + (i / inner) % shape[rampDim];
        var t = Tensor.FromArray(data, shape);
        t.RequiresGrad = true;
        return t;
    }

    private static Tensor Leaf(int[] shape, int seed, float scale = 1f, float offset = 0f)
    {
        var data = Tensor.Randn(shape, new Generator(seed)).ToArray();
        for (int i = 0; i < data.Length; i++) data[i] = data[i] * scale + offset;
        var t = Tensor.FromArray(data, shape);
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>Layer norm in double over rows of length d.</summary>
    private static double[] ReferenceLayerNorm(float[] x, int d, float[]? w, float[]? b, double eps)
    {
        var y = new double[x.Length];
        for (int r = 0; r * d < x.Length; r++)
        {
            double m = 0, v = 0;
            for (int i = 0; i < d; i++) m += x[r * d + i];
            m /= d;
            for (int i = 0; i < d; i++) v += (x[r * d + i] - m) * (x[r * d + i] - m);
            v /= d;
            for (int i = 0; i < d; i++)
                y[r * d + i] = (x[r * d + i] - m) / Math.Sqrt(v + eps) * (w?[i] ?? 1) + (b?[i] ?? 0);
        }
        return y;
    }

    // ---------------- LayerNorm ----------------

    [Fact]
    public void LayerNormHandExample()
    {
        // [1, 2, 3]: mean 2, biased var 2/3 ⇒ x̂ = [−1, 0, 1]/√(2/3 + eps); then ·w + b
        var y = F.LayerNorm(Tensor.FromArray([1f, 2, 3], 1, 3), Tensor.FromArray([1f, 2, 3]), Tensor.FromArray([0f, 1, 0]), eps: 0);
        float k = MathF.Sqrt(1.5f);
        TensorAssert.Close([-k, 1, 3 * k], y, 1e-6, 1e-6);
    }

    [Theory]
    [MemberData(nameof(SimdSizes))]
    public void LayerNormMatchesDoubleReferenceAtSimdEdgeSizes(int d)
    {
        var x = Leaf([3, d], d, 2f, 1f);
        var w = Leaf([d], d + 1);
        var b = Leaf([d], d + 2);
        var want = ReferenceLayerNorm(x.ToArray(), d, w.ToArray(), b.ToArray(), 1e-5);
        TensorAssert.Close(want, F.LayerNorm(x, w, b).ToArray(), 1e-5, 1e-5, $"LayerNorm d={d}");
    }

    [Fact]
    public void LayerNormStaysAccurateWhenTheMeanDwarfsTheSpread()
    {
        // Values 1000 ± 0.01: the one-pass E[x²] − E[x]² would lose every digit of the variance in float32.
        var x = Leaf([2, 64], 3, 0.01f, 1000f);
        var want = ReferenceLayerNorm(x.ToArray(), 64, null, null, 1e-5 * 1e-4);
        TensorAssert.Close(want, F.LayerNorm(x, null, null, eps: 1e-9f).ToArray(), 1e-3, 2e-3, "LayerNorm with large mean");
    }

    [Property(MaxTest = 40)]
    public void LayerNormGradientMatchesFiniteDifferences(byte rows, byte dim, bool affine, int seed)
    {
        int r = 1 + rows % 4, d = 2 + dim % 6;
        var x = RampLeaf([r, d], 1, seed);
        Tensor[] inputs = affine ? [x, Leaf([d], seed + 1), Leaf([d], seed + 2)] : [x];
        GradCheck.Check(a => F.LayerNorm(a[0], affine ? a[1] : null, affine ? a[2] : null), inputs);
    }

    [Fact]
    public void LayerNormGradientForHigherRankInputAndWeightOnly()
    {
        GradCheck.Check(a => F.LayerNorm(a[0], a[1], null), [RampLeaf([2, 3, 5], 2, 8), Leaf([5], 9)]);
    }

    [Fact]
    public void LayerNormGradientWhenOnlyTheAffineParametersRequireIt()
    {
        var x = Tensor.Randn([3, 4], new Generator(1));
        GradCheck.Check(a => F.LayerNorm(x, a[0], a[1]), [Leaf([4], 2), Leaf([4], 3)]);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void LayerNormOverSeveralTrailingDimensionsNormalizesThemTogether()
    {
        // normalizedShape [2, 3] on [4, 2, 3] is layer norm of the [4, 6] reshape with [6] weight and bias.
        var x = RampLeaf([4, 2, 3], 2, 12);
        var w = Leaf([2, 3], 13);
        var b = Leaf([2, 3], 14);
        var want = ReferenceLayerNorm(x.ToArray(), 6, w.ToArray(), b.ToArray(), 1e-5);
        var y = F.LayerNorm(x, [2, 3], w, b);
        TensorAssert.ShapeIs(y, 4, 2, 3);
        TensorAssert.Close(want, y.ToArray(), 1e-5, 1e-5, "LayerNorm [2, 3]");
        GradCheck.Check(a => F.LayerNorm(a[0], [2, 3], a[1], a[2]), [x, w, b]);
        TensorAssert.ShapeIs(w.Grad!, 2, 3);
        var ex = Assert.Throws<ArgumentException>(() => F.LayerNorm(x, [3, 3], null, null));
        Assert.Contains("[3, 3]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => F.LayerNorm(x, [2, 3], Tensor.Ones(6), null));
        Assert.Contains("weight", ex.Message);
    }

    [Fact]
    public void LayerNormRejectsWrongWeightShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.LayerNorm(Tensor.Zeros(2, 4), Tensor.Ones(3), null));
        Assert.Contains("weight", ex.Message);
        Assert.Contains("[4]", ex.Message);
        Assert.Throws<ArgumentException>(() => F.LayerNorm(Tensor.Scalar(1), null, null));
    }

    // ---------------- BatchNorm ----------------

    [Fact]
    public void BatchNormTrainingNormalizesEachChannelAndUpdatesRunningStatistics()
    {
        // Channel 0: 1, 2, 3, 4 — mean 2.5, biased var 1.25, unbiased 5/3.
        // Channel 1: 0, 0, 0, 8 — mean 2, biased var 12, unbiased 16.
        var x = Tensor.FromArray([1f, 0, 2, 0, 3, 0, 4, 8], 4, 2);
        var runningMean = Tensor.Zeros(2);
        var runningVar = Tensor.Ones(2);
        var y = F.BatchNorm(x, runningMean, runningVar, null, null, training: true, momentum: 0.1f, eps: 0);
        // running = 0.9·running + 0.1·batch (unbiased variance)
        TensorAssert.Close([0.25f, 0.2f], runningMean, 1e-6, 1e-7);
        TensorAssert.Close([0.9f + 0.1f * 5f / 3f, 0.9f + 1.6f], runningVar, 1e-6, 1e-7);
        float s0 = MathF.Sqrt(1.25f), s1 = MathF.Sqrt(12f);
        TensorAssert.Close([-1.5f / s0, -2 / s1, -0.5f / s0, -2 / s1, 0.5f / s0, -2 / s1, 1.5f / s0, 6 / s1], y, 1e-5, 1e-6);
    }

    [Fact]
    public void BatchNormEvaluationUsesTheRunningStatisticsAndLeavesThemAlone()
    {
        var x = Tensor.FromArray([1f, 5, 3, 7], 2, 2);
        var runningMean = Tensor.FromArray([1f, 2]);
        var runningVar = Tensor.FromArray([4f, 9]);
        var y = F.BatchNorm(x, runningMean, runningVar, Tensor.FromArray([2f, 1]), Tensor.FromArray([0f, 10]), training: false, eps: 0);
        // (x − rm)/√rv·w + b
        TensorAssert.Close([0f, 11, 2, 10 + 5f / 3], y, 1e-6, 1e-6);
        TensorAssert.Close([1f, 2], runningMean);
        TensorAssert.Close([4f, 9], runningVar);
    }

    [Fact]
    public void BatchNormStatisticsSpanBatchAndSpatialDimensions()
    {
        // [N, C, H, W]: per channel the output has mean 0 and biased variance 1 over N·H·W values.
        var x = Leaf([3, 4, 5, 6], 1, 3f, 2f);
        var y = F.BatchNorm(x, null, null, null, null, training: true, eps: 0).ToArray();
        for (int ch = 0; ch < 4; ch++)
        {
            var vals = new List<double>();
            for (int n = 0; n < 3; n++)
                for (int i = 0; i < 30; i++) vals.Add(y[(n * 4 + ch) * 30 + i]);
            double mean = vals.Average();
            Assert.Equal(0, mean, 5);
            Assert.Equal(1, vals.Sum(v => (v - mean) * (v - mean)) / vals.Count, 4);
        }
    }

    [Theory]
    [MemberData(nameof(SimdSizes))]
    public void BatchNormMatchesLayerNormOfTheTransposeAtSimdEdgeSizes(int size)
    {
        // Batch norm of [N, C] in training mode is layer norm of each column: check both the
        // channel-vectorized path ([N, C], C = size) and the spatial path ([N, 2, size]).
        var x = Leaf([size + 1, size], size, 2f, -3f);
        var xs = x.ToArray();
        var columns = new float[xs.Length];
        for (int r = 0; r < size + 1; r++)
            for (int c = 0; c < size; c++) columns[c * (size + 1) + r] = xs[r * size + c];
        var want = ReferenceLayerNorm(columns, size + 1, null, null, 1e-5);
        var got = F.BatchNorm(x, null, null, null, null, training: true).ToArray();
        for (int r = 0; r < size + 1; r++)
            for (int c = 0; c < size; c++)
                Assert.True(Math.Abs(got[r * size + c] - want[c * (size + 1) + r]) <= 1e-4, $"[N, C] size {size} at ({r}, {c})");

        if (size < 2) return;
        var spatial = Leaf([2, 2, size], size + 7, 0.5f, 4f);
        var sv = spatial.ToArray();
        var got2 = F.BatchNorm(spatial, null, null, null, null, training: true).ToArray();
        for (int ch = 0; ch < 2; ch++)
        {
            float[] values = [.. sv.Skip(ch * size).Take(size), .. sv.Skip((2 + ch) * size).Take(size)];
            var ref2 = ReferenceLayerNorm(values, 2 * size, null, null, 1e-5);
            for (int i = 0; i < size; i++)
            {
                Assert.True(Math.Abs(got2[ch * size + i] - ref2[i]) <= 1e-4, $"[N, C, L] size {size}");
                Assert.True(Math.Abs(got2[(2 + ch) * size + i] - ref2[size + i]) <= 1e-4, $"[N, C, L] size {size}");
            }
        }
    }

    [Fact]
    public void BatchNormStaysAccurateWhenTheMeanDwarfsTheSpread()
    {
        var x = Leaf([256, 3], 4, 0.01f, 1000f);
        var y = F.BatchNorm(x, null, null, null, null, training: true, eps: 0).ToArray();
        for (int ch = 0; ch < 3; ch++)
        {
            var col = Enumerable.Range(0, 256).Select(r => (double)y[r * 3 + ch]).ToArray();
            Assert.Equal(0, col.Average(), 4);
            Assert.Equal(1, col.Sum(v => v * v) / 256, 3);
        }
    }

    [Property(MaxTest = 20)]
    public void BatchNormTrainingGradientMatchesFiniteDifferences(byte batch, byte channels, byte spatial, bool affine, int seed)
    {
        int n = 2 + batch % 3, c = 1 + channels % 3, rank = spatial % 3;
        int[] shape = rank switch { 0 => [n, c], 1 => [n, c, 3], _ => [n, c, 2, 3] };
        var x = RampLeaf(shape, 0, seed);
        Tensor[] inputs = affine ? [x, Leaf([c], seed + 1), Leaf([c], seed + 2)] : [x];
        GradCheck.Check(a => F.BatchNorm(a[0], null, null, affine ? a[1] : null, affine ? a[2] : null, training: true), inputs);
    }

    [Fact]
    public void BatchNormEvaluationGradientIsTheAffineMap()
    {
        var rm = Tensor.FromArray([0.5f, -1, 2]);
        var rv = Tensor.FromArray([2f, 0.5f, 1]);
        GradCheck.Check(a => F.BatchNorm(a[0], rm, rv, a[1], a[2], training: false),
            [Leaf([4, 3, 2], 1), Leaf([3], 2), Leaf([3], 3)]);
        // Running statistics are read, not written, in evaluation mode.
        TensorAssert.Close([0.5f, -1, 2], rm);
    }

    [Fact]
    public void BatchNormGradientAlsoWorksInsideALargerGraph()
    {
        // Non-contiguous upstream gradient (from sum's expand) and a non-contiguous input view.
        var x = RampLeaf([3, 4], 1, 5);
        GradCheck.Check(a => F.BatchNorm(a[0].Transpose(0, 1), null, null, null, null, training: true) * 3f, [x]);
    }

    [Fact]
    public void BatchNormTrainingWithOneValuePerChannelIsAnError()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.BatchNorm(Tensor.Ones(1, 5), null, null, null, null, training: true));
        Assert.Contains("more than 1 value per channel", ex.Message);
        Assert.Contains("[1, 5]", ex.Message);
        Assert.Throws<ArgumentException>(() => F.BatchNorm(Tensor.Ones(1, 2, 1, 1), null, null, null, null, training: true));
        // Evaluation mode has fixed statistics, so a single sample is fine.
        F.BatchNorm(Tensor.Ones(1, 5), Tensor.Zeros(5), Tensor.Ones(5), null, null, training: false);
    }

    [Fact]
    public void BatchNormRejectsBadArguments()
    {
        Assert.Contains("running", Assert.Throws<ArgumentException>(() =>
            F.BatchNorm(Tensor.Ones(4, 2), null, null, null, null, training: false)).Message);
        Assert.Contains("[2]", Assert.Throws<ArgumentException>(() =>
            F.BatchNorm(Tensor.Ones(4, 2), null, null, Tensor.Ones(3), null, training: true)).Message);
        Assert.Throws<ArgumentException>(() => F.BatchNorm(Tensor.Ones(4), null, null, null, null, training: true));
    }
}
