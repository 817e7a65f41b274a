using FsCheck;
using FsCheck.Xunit;
using NeuroCore.Tests.Infrastructure;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Tests.NN.Functional;

public class LossTests
{
    // Sizes that hit every SIMD remainder path (Vector128/256/512 of float: 4, 8, 16) and the 256 block.
    public static TheoryData<int> SimdSizes => new() { 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 255, 256, 257 };

    private static Tensor RandomLeaf(int[] shape, int seed, float scale = 1f)
    {
        var t = Tensor.Randn(shape, new Generator(seed)) * scale;
        var leaf = Tensor.FromArray(t.ToArray(), shape);
        leaf.RequiresGrad = true;
        return leaf;
    }

    private static Tensor RandomTargets(int n, int classes, int seed)
    {
        var g = new Generator(seed);
        var t = new long[n];
        for (int i = 0; i < n; i++) t[i] = g.NextInt(classes);
        return Tensor.FromArray(t, n);
    }

    /// <summary>Cross entropy in double: mean over rows of log Σ eˣ − x[t].</summary>
    private static double ReferenceCrossEntropy(float[] x, long[] t, int classes)
    {
        double total = 0;
        for (int r = 0; r < t.Length; r++)
        {
            double m = double.NegativeInfinity;
            for (int c = 0; c < classes; c++) m = Math.Max(m, x[r * classes + c]);
            double s = 0;
            for (int c = 0; c < classes; c++) s += Math.Exp(x[r * classes + c] - m);
            total += m + Math.Log(s) - x[r * classes + t[r]];
        }
        return total / t.Length;
    }

    // ---------------- CrossEntropy ----------------

    [Fact]
    public void CrossEntropyOfUniformLogitsIsLogCAndGradientIsSoftmaxMinusOneHotOverN()
    {
        // Equal logits ⇒ softmax = 1/C, loss = log C; dL/dx = (1/C − onehot)/N
        const int n = 2, c = 4;
        var logits = Tensor.Full([n, c], 0.7f);
        logits.RequiresGrad = true;
        var loss = F.CrossEntropy(logits, Tensor.FromArray([1L, 3], n));
        Assert.Equal(MathF.Log(c), loss.Item(), 6);
        loss.Backward();
        TensorAssert.Close([0.125f, -0.375f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, -0.375f], logits.Grad!);
    }

    [Fact]
    public void CrossEntropyHandExample()
    {
        // log(e¹ + e² + e³) − 3 = 0.40760596
        var loss = F.CrossEntropy(Tensor.FromArray([1f, 2, 3], 1, 3), Tensor.FromArray([2L], 1));
        Assert.Equal(0.40760596f, loss.Item(), 6);
    }

    [Fact]
    public void CrossEntropyIsStableForHugeLogits()
    {
        // A naive softmax would overflow e¹⁰⁰⁰; the log-sum-exp form gives the exact answers 0 and 1000.
        var logits = Tensor.FromArray([1000f, 0f, 1000f, 0f], 2, 2);
        logits.RequiresGrad = true;
        var loss = F.CrossEntropy(logits, Tensor.FromArray([0L, 1], 2));
        Assert.Equal(500f, loss.Item(), 3);
        loss.Backward();
        TensorAssert.Close([0f, 0f, 0.5f, -0.5f], logits.Grad!);
    }

    [Fact]
    public void CrossEntropyAcceptsOneDimensionalLogitsWithScalarTarget()
    {
        var logits = Tensor.FromArray([1f, 2, 3]);
        logits.RequiresGrad = true;
        var target = Tensor.FromArray([2L], 1).Reshape(); // a 0-d int64 tensor
        var loss = F.CrossEntropy(logits, target);
        Assert.Equal(0.40760596f, loss.Item(), 6);
        loss.Backward();
        TensorAssert.ShapeIs(logits.Grad!, 3);
        var e = new[] { Math.Exp(1), Math.Exp(2), Math.Exp(3) };
        double s = e.Sum();
        TensorAssert.Close([(float)(e[0] / s), (float)(e[1] / s), (float)(e[2] / s - 1)], logits.Grad!, 1e-5, 1e-6);
    }

    [Theory]
    [MemberData(nameof(SimdSizes))]
    public void CrossEntropyMatchesDoubleReferenceAtSimdEdgeSizes(int classes)
    {
        const int n = 3;
        var logits = RandomLeaf([n, classes], classes, 3f);
        var target = RandomTargets(n, classes, classes + 1);
        var loss = F.CrossEntropy(logits, target);
        double want = ReferenceCrossEntropy(logits.ToArray(), target.ToLongArray(), classes);
        Assert.True(Math.Abs(loss.Item() - want) <= 1e-5 + 1e-5 * Math.Abs(want), $"C={classes}: got {loss.Item()}, want {want}");
        loss.Backward();
        // Each gradient row sums to 0 (softmax sums to 1, minus the one-hot).
        var g = logits.Grad!.ToArray();
        for (int r = 0; r < n; r++) Assert.Equal(0f, g.Skip(r * classes).Take(classes).Sum(), 5);
    }

    [Property(MaxTest = 20)]
    public void CrossEntropyGradientMatchesFiniteDifferences(byte rows, byte classes, int seed)
    {
        int n = 1 + rows % 5, c = 1 + classes % 7;
        var logits = RandomLeaf([n, c], seed);
        var target = RandomTargets(n, c, seed + 1);
        GradCheck.Check(a => F.CrossEntropy(a[0], target), [logits]);
    }

    [Fact]
    public void CrossEntropyIgnoreIndexSkipsRowsAndAveragesOverTheRest()
    {
        var logits = RandomLeaf([3, 4], 5);
        var target = Tensor.FromArray([1L, -100, 2], 3);
        var loss = F.CrossEntropy(logits, target);
        var x = logits.ToArray();
        double want = ReferenceCrossEntropy([.. x.Take(4), .. x.Skip(8)], [1, 2], 4);
        Assert.Equal(want, loss.Item(), 5);
        loss.Backward();
        Assert.All(logits.Grad!.ToArray().Skip(4).Take(4), v => Assert.Equal(0f, v));
        GradCheck.Check(a => F.CrossEntropy(a[0], target), [logits]);
    }

    [Fact]
    public void CrossEntropyWithEveryRowIgnoredIsNaNAsInPyTorch()
    {
        var loss = F.CrossEntropy(Tensor.Zeros(2, 3), Tensor.FromArray([7L, 7], 2), ignoreIndex: 7);
        Assert.True(float.IsNaN(loss.Item()));
    }

    [Fact]
    public void CrossEntropyLabelSmoothingMatchesTheSmoothedTargetDistribution()
    {
        // loss = −Σ_c q_c·log p_c with q = (1−ε)·onehot + ε/C
        const float eps = 0.2f;
        var logits = RandomLeaf([2, 5], 11);
        var target = Tensor.FromArray([4L, 0], 2);
        var loss = F.CrossEntropy(logits, target, labelSmoothing: eps);
        var x = logits.ToArray();
        double want = 0;
        for (int r = 0; r < 2; r++)
        {
            var row = x.Skip(r * 5).Take(5).Select(v => (double)v).ToArray();
            double lse = Math.Log(row.Sum(Math.Exp));
            for (int c = 0; c < 5; c++)
            {
                double q = (c == target.GetLong(r) ? 1 - eps : 0) + eps / 5;
                want -= q * (row[c] - lse);
            }
        }
        Assert.Equal(want / 2, loss.Item(), 5);
        GradCheck.Check(a => F.CrossEntropy(a[0], target, labelSmoothing: eps), [logits]);
    }

    [Fact]
    public void CrossEntropyNamesTheOutOfRangeTarget()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.CrossEntropy(Tensor.Zeros(3, 4), Tensor.FromArray([0L, 5, 1], 3)));
        Assert.Contains("target[1] = 5", ex.Message);
        Assert.Contains("4 classes", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => F.CrossEntropy(Tensor.Zeros(3, 4), Tensor.FromArray([0L, -1, 1], 3)));
        Assert.Contains("target[1] = -1", ex.Message);
    }

    [Fact]
    public void CrossEntropyRejectsFloatTargetsAndMismatchedShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.CrossEntropy(Tensor.Zeros(2, 3), Tensor.Zeros(2)));
        Assert.Contains("int64", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => F.CrossEntropy(Tensor.Zeros(2, 3), Tensor.FromArray([0L, 1, 2], 3)));
        Assert.Contains("needs a target of shape [2]", ex.Message);
        Assert.Contains("got [3]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => F.CrossEntropy(Tensor.Zeros(2, 3, 4), Tensor.FromArray([0L, 1], 2)));
        Assert.Contains("[2, 3, 4]", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.CrossEntropy(Tensor.Zeros(2, 3), Tensor.FromArray([0L, 1], 2), labelSmoothing: 1.5f));
    }

    [Fact]
    public void CrossEntropyReadsNonContiguousLogits()
    {
        // A transposed [C, N] → [N, C] view must give the same loss and gradient as its dense copy.
        var stored = RandomLeaf([4, 3], 21);
        var target = Tensor.FromArray([0L, 3, 1], 3);
        var loss = F.CrossEntropy(stored.Transpose(0, 1), target);
        var dense = Tensor.FromArray(stored.Transpose(0, 1).ToArray(), 3, 4);
        Assert.Equal(F.CrossEntropy(dense, target).Item(), loss.Item(), 6);
        GradCheck.Check(a => F.CrossEntropy(a[0].Transpose(0, 1), target), [stored]);
    }

    [Fact]
    public void CrossEntropyOverSpatialPositionsMatchesPerPositionRows()
    {
        // logits [N, C, H, W] with target [N, H, W] is the mean over N·H·W rows of C class scores.
        var logits = RandomLeaf([2, 3, 2, 2], 31);
        var target = RandomTargets(8, 3, 32).Reshape(2, 2, 2);
        var x = logits.ToArray();
        var rows = new float[8 * 3];
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < 4; p++) rows[(n * 4 + p) * 3 + c] = x[(n * 3 + c) * 4 + p];
        double want = ReferenceCrossEntropy(rows, target.ToLongArray(), 3);
        Assert.Equal(want, F.CrossEntropy(logits, target).Item(), 5);
        GradCheck.Check(a => F.CrossEntropy(a[0], target), [logits]);
    }

    [Fact]
    public void CrossEntropyOverSpatialPositionsValidatesTheTargetShapeAndNamesTheBadPosition()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.CrossEntropy(Tensor.Zeros(2, 3, 4), Tensor.FromArray(new long[6], 2, 3)));
        Assert.Contains("needs a target of shape [2, 4]", ex.Message);
        var target = new long[8];
        target[6] = 3;
        ex = Assert.Throws<ArgumentException>(() => F.CrossEntropy(Tensor.Zeros(2, 3, 4), Tensor.FromArray(target, 2, 4)));
        Assert.Contains("target[1, 2] = 3", ex.Message);
    }

    // ---------------- NllLoss ----------------

    [Fact]
    public void NllLossIsMinusTheMeanOfThePickedLogProbabilities()
    {
        // −(−1 + −2)/2 = 1.5; d/dx = −1/N at each target
        var lp = Tensor.FromArray([-1f, -5, -9, -2], 2, 2);
        lp.RequiresGrad = true;
        var loss = F.NllLoss(lp, Tensor.FromArray([0L, 1], 2));
        Assert.Equal(1.5f, loss.Item(), 6);
        loss.Backward();
        TensorAssert.Close([-0.5f, 0, 0, -0.5f], lp.Grad!);
    }

    [Fact]
    public void NllLossOfLogSoftmaxEqualsCrossEntropy()
    {
        var logits = RandomLeaf([4, 6], 3);
        var target = RandomTargets(4, 6, 4);
        var x = logits.ToArray();
        var logProbs = new float[x.Length];
        for (int r = 0; r < 4; r++)
        {
            double lse = Math.Log(x.Skip(r * 6).Take(6).Sum(v => Math.Exp(v)));
            for (int c = 0; c < 6; c++) logProbs[r * 6 + c] = (float)(x[r * 6 + c] - lse);
        }
        Assert.Equal(F.CrossEntropy(logits, target).Item(), F.NllLoss(Tensor.FromArray(logProbs, 4, 6), target).Item(), 5);
    }

    [Property(MaxTest = 15)]
    public void NllLossGradientMatchesFiniteDifferences(byte rows, byte classes, int seed)
    {
        int n = 1 + rows % 5, c = 1 + classes % 6;
        var target = RandomTargets(n, c, seed);
        GradCheck.Check(a => F.NllLoss(a[0], target), [RandomLeaf([n, c], seed)]);
    }

    [Fact]
    public void NllLossOverSequencePositionsGradientMatchesFiniteDifferences()
    {
        var target = RandomTargets(6, 4, 3).Reshape(2, 3);
        GradCheck.Check(a => F.NllLoss(a[0], target), [RandomLeaf([2, 4, 3], 4)]);
    }

    [Fact]
    public void NllLossValidatesTargets()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.NllLoss(Tensor.Zeros(2, 3), Tensor.FromArray([3L, 0], 2)));
        Assert.Contains("NllLoss", ex.Message);
        Assert.Contains("target[0] = 3", ex.Message);
    }

    // ---------------- MseLoss ----------------

    [Fact]
    public void MseLossHandExampleWithGradientsToBothArguments()
    {
        // a − b = [1, −2, 3] ⇒ loss = 14/3; d/da = 2(a − b)/3, d/db = −2(a − b)/3
        var a = Tensor.FromArray([2f, 0, 4]); a.RequiresGrad = true;
        var b = Tensor.FromArray([1f, 2, 1]); b.RequiresGrad = true;
        var loss = F.MseLoss(a, b);
        Assert.Equal(14f / 3, loss.Item(), 6);
        loss.Backward();
        TensorAssert.Close([2f / 3, -4f / 3, 2f], a.Grad!);
        TensorAssert.Close([-2f / 3, 4f / 3, -2f], b.Grad!);
    }

    [Fact]
    public void MseLossWithConstantTargetGivesNoTargetGradient()
    {
        var a = Tensor.FromArray([2f, 0]); a.RequiresGrad = true;
        var b = Tensor.FromArray([1f, 1]);
        F.MseLoss(a, b).Backward();
        Assert.Null(b.Grad);
        TensorAssert.Close([1f, -1f], a.Grad!);
    }

    [Theory]
    [MemberData(nameof(SimdSizes))]
    public void MseLossMatchesDoubleReferenceAtSimdEdgeSizes(int n)
    {
        var a = RandomLeaf([n], n);
        var b = RandomLeaf([n], n + 100);
        var x = a.ToArray();
        var y = b.ToArray();
        double want = x.Zip(y, (p, q) => ((double)p - q) * ((double)p - q)).Sum() / n;
        Assert.True(Math.Abs(F.MseLoss(a, b).Item() - want) <= 1e-5 * want + 1e-7, $"n={n}");
    }

    [Property(MaxTest = 15)]
    public void MseLossGradientMatchesFiniteDifferences(byte d0, byte d1, int seed)
    {
        int[] shape = [1 + d0 % 4, 1 + d1 % 5];
        GradCheck.Check(t => F.MseLoss(t[0], t[1]), [RandomLeaf(shape, seed), RandomLeaf(shape, seed + 7)]);
    }

    [Fact]
    public void MseLossRejectsShapesThatOnlyBroadcast()
    {
        // PyTorch warns and broadcasts [3] against [3, 1] to a 3×3 comparison; NeuroCore refuses.
        var ex = Assert.Throws<ArgumentException>(() => F.MseLoss(Tensor.Zeros(3), Tensor.Zeros(3, 1)));
        Assert.Contains("[3]", ex.Message);
        Assert.Contains("[3, 1]", ex.Message);
        Assert.Contains("MseLoss", ex.Message);
    }

    [Fact]
    public void MseLossOfEmptyTensorsIsNaNAsInPyTorch() =>
        Assert.True(float.IsNaN(F.MseLoss(Tensor.Zeros(0), Tensor.Zeros(0)).Item()));

    // ---------------- BinaryCrossEntropyWithLogits ----------------

    private static double ReferenceBce(double x, double t) => Math.Max(x, 0) - x * t + Math.Log(1 + Math.Exp(-Math.Abs(x)));

    [Fact]
    public void BceWithLogitsAtZeroIsLog2()
    {
        // σ(0) = ½ ⇒ loss = log 2 for any t; d/dx = (½ − t)/n
        var x = Tensor.Zeros(2); x.RequiresGrad = true;
        var loss = F.BinaryCrossEntropyWithLogits(x, Tensor.FromArray([1f, 0f]));
        Assert.Equal(MathF.Log(2), loss.Item(), 6);
        loss.Backward();
        TensorAssert.Close([-0.25f, 0.25f], x.Grad!);
    }

    [Fact]
    public void BceWithLogitsIsStableForExtremeLogits()
    {
        // Confidently wrong by 100 costs exactly 100; confidently right costs ~e⁻¹⁰⁰ ≈ 0. No inf, no NaN.
        var x = Tensor.FromArray([100f, -100f, 100f, -100f]); x.RequiresGrad = true;
        var t = Tensor.FromArray([0f, 1f, 1f, 0f]);
        var loss = F.BinaryCrossEntropyWithLogits(x, t);
        Assert.Equal(50f, loss.Item(), 4);
        loss.Backward();
        TensorAssert.Close([0.25f, -0.25f, 0f, 0f], x.Grad!, 1e-5, 1e-7);
    }

    [Theory]
    [MemberData(nameof(SimdSizes))]
    public void BceWithLogitsMatchesDoubleReferenceAtSimdEdgeSizes(int n)
    {
        var x = RandomLeaf([n], n, 4f);
        var t = Tensor.Rand([n], new Generator(n + 1));
        var xs = x.ToArray();
        var ts = t.ToArray();
        double want = Enumerable.Range(0, n).Sum(i => ReferenceBce(xs[i], ts[i])) / n;
        var loss = F.BinaryCrossEntropyWithLogits(x, t);
        Assert.True(Math.Abs(loss.Item() - want) <= 1e-6 + 1e-5 * Math.Abs(want), $"n={n}: {loss.Item()} vs {want}");
        loss.Backward();
        var g = x.Grad!.ToArray();
        for (int i = 0; i < n; i++)
            Assert.Equal((1 / (1 + Math.Exp(-xs[i])) - ts[i]) / n, g[i], 6);
    }

    [Property(MaxTest = 15)]
    public void BceWithLogitsGradientMatchesFiniteDifferencesForLogitsAndTargets(byte d0, byte d1, int seed)
    {
        int[] shape = [1 + d0 % 4, 1 + d1 % 5];
        var target = Tensor.FromArray(Tensor.Rand(shape, new Generator(seed)).ToArray(), shape);
        target.RequiresGrad = true;
        GradCheck.Check(a => F.BinaryCrossEntropyWithLogits(a[0], a[1]), [RandomLeaf(shape, seed, 2f), target]);
    }

    [Fact]
    public void BceWithLogitsRejectsMismatchedShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.BinaryCrossEntropyWithLogits(Tensor.Zeros(4, 1), Tensor.Zeros(4)));
        Assert.Contains("[4, 1]", ex.Message);
        Assert.Contains("[4]", ex.Message);
    }
}
