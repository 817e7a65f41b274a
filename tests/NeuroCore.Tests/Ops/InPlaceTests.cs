using NeuroCore.Autograd;

namespace NeuroCore.Tests.Ops;

/// <summary>
/// In-place operations against their out-of-place counterparts (which the conformance cases pin to
/// PyTorch): exact equality, since both run the same element-wise arithmetic. Covers broadcasting,
/// strided views written through, sizes around the SIMD widths, sizes past the threading threshold,
/// and the errors that keep in-place writes away from autograd.
/// </summary>
public class InPlaceTests
{
    public static readonly TheoryData<int> Sizes = [0, 1, 7, 8, 9, 15, 16, 17, 33];

    private static Tensor Random(int[] shape, ulong seed) => Tensor.Randn(shape, new Generator((int)seed));

    private delegate Tensor InPlaceBinary(Tensor x, Tensor y);

    private static readonly (string Name, InPlaceBinary InPlace, Func<Tensor, Tensor, Tensor> OutOfPlace)[] Binaries =
    [
        ("add", (x, y) => x.AddInPlace(y), (x, y) => x + y),
        ("sub", (x, y) => x.SubInPlace(y), (x, y) => x - y),
        ("mul", (x, y) => x.MulInPlace(y), (x, y) => x * y),
        ("div", (x, y) => x.DivInPlace(y), (x, y) => x / y),
        ("copy", (x, y) => x.CopyInPlace(y), (x, y) => (x * Tensor.Scalar(0f)) + y),
    ];

    private static void AssertBinaryMatches(int[] shape, int[] otherShape, ulong seed)
    {
        foreach (var (name, inPlace, outOfPlace) in Binaries)
        {
            var x = Random(shape, seed);
            var y = Random(otherShape, seed + 1);
            var expected = outOfPlace(x, y).ToArray();
            var returned = inPlace(x, y);
            Assert.Same(x, returned);
            Assert.Equal(shape, x.Shape);
            Assert.True(expected.AsSpan().SequenceEqual(x.ToArray()), $"{name} in place differs from out of place for {string.Join(",", shape)} ← {string.Join(",", otherShape)}");
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void BinaryOpsMatchOutOfPlaceAtSimdSizes(int n)
    {
        AssertBinaryMatches([n], [n], (ulong)n);
        AssertBinaryMatches([n], [1], (ulong)n + 10);
        AssertBinaryMatches([3, n], [n], (ulong)n + 20);
        AssertBinaryMatches([n, 3], [n, 1], (ulong)n + 30);
    }

    [Fact]
    public void BinaryOpsMatchOutOfPlaceOnScalarsAndHigherRanks()
    {
        AssertBinaryMatches([], [], 1);
        AssertBinaryMatches([2, 3, 4], [], 2);
        AssertBinaryMatches([2, 3, 4], [3, 1], 3);
        AssertBinaryMatches([2, 1, 4], [1, 1, 4], 4);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void LargeTensorsCrossingTheThreadingThresholdMatchForAnyThreadCount(int threads)
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = threads;
            // 1M + 17 elements: past the threshold, with a ragged last chunk.
            int n = (1 << 20) + 17;
            AssertBinaryMatches([n], [n], 7);
            AssertBinaryMatches([n], [1], 8);
            var x = Random([n], 9);
            var expected = x.Relu().ToArray();
            Assert.True(expected.AsSpan().SequenceEqual(x.ReluInPlace().ToArray()));
            var s = Random([n], 10);
            var scaled = (s * Tensor.Scalar(0.5f)).ToArray();
            Assert.True(scaled.AsSpan().SequenceEqual(s.MulInPlace(0.5f).ToArray()));
            // The out-of-place fast path is threaded too: check it element by element against a plain loop.
            var a = Random([n], 11);
            var b = Random([n], 12);
            var sum = (a + b).ToArray();
            float[] av = a.ToArray(), bv = b.ToArray();
            for (int i = 0; i < n; i++)
                if (sum[i] != av[i] + bv[i]) Assert.Fail($"a + b differs at {i}: {sum[i]} vs {av[i] + bv[i]}");
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ScalarAndUnaryOpsMatchOutOfPlace(int n)
    {
        var x = Random([2, n], (ulong)n);
        var values = x.ToArray();
        Tensor Fresh() => Tensor.FromArray(values, 2, n);
        void Same(Tensor expected, Tensor actual)
        {
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.True(expected.ToArray().AsSpan().SequenceEqual(actual.ToArray()));
        }
        Same(Fresh() + Tensor.Scalar(1.5f), Fresh().AddInPlace(1.5f));
        Same(Fresh() - Tensor.Scalar(1.5f), Fresh().SubInPlace(1.5f));
        Same(Fresh() * Tensor.Scalar(-3f), Fresh().MulInPlace(-3f));
        Same(Fresh() / Tensor.Scalar(7f), Fresh().DivInPlace(7f));
        Same(Fresh().Relu(), Fresh().ReluInPlace());
        Same(Fresh().Clamp(-0.5f, 0.25f), Fresh().ClampInPlace(-0.5f, 0.25f));
        Same(Fresh().Clamp(min: 0.1f), Fresh().ClampInPlace(min: 0.1f));
        Same(Fresh().Clamp(max: -0.1f), Fresh().ClampInPlace(max: -0.1f));
        Same(Tensor.Full([2, n], 2.5f), Fresh().FillInPlace(2.5f));
        Same(Tensor.Zeros(2, n), Fresh().ZeroInPlace());
    }

    /// <summary>
    /// NaN, ±0 and ±∞ in every lane position of a 512-bit vector and in the scalar tail: the in-place
    /// kernels (own SIMD loops) must agree bit for bit with the out-of-place ones (TensorPrimitives).
    /// </summary>
    [Fact]
    public void SpecialValuesMatchOutOfPlaceBitForBit()
    {
        float[] specials = [float.NaN, -0f, 0f, float.PositiveInfinity, float.NegativeInfinity, -1.5f, 2.5f];
        var v = new float[37];
        for (int i = 0; i < v.Length; i++) v[i] = specials[i % specials.Length];
        Tensor Fresh() => Tensor.FromArray(v);
        Tensor Reversed() => Tensor.FromArray(v.Reverse().ToArray());
        void Same(Tensor expected, Tensor actual)
        {
            var e = expected.ToArray();
            var a = actual.ToArray();
            for (int i = 0; i < e.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(e[i]) == BitConverter.SingleToInt32Bits(a[i]), $"element {i} ({v[i]}): {e[i]} vs {a[i]}");
        }
        Same(Fresh().Relu(), Fresh().ReluInPlace());
        Same(Fresh().Clamp(-1f, 1f), Fresh().ClampInPlace(-1f, 1f));
        Same(Fresh() + Reversed(), Fresh().AddInPlace(Reversed()));
        Same(Fresh() / Reversed(), Fresh().DivInPlace(Reversed()));
        Same(Fresh() * Tensor.Scalar(-0f), Fresh().MulInPlace(-0f));
    }

    [Fact]
    public void WritingThroughATransposedViewChangesTheBase()
    {
        var baseT = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var view = baseT.Transpose(0, 1); // [3, 2], strides [1, 3]
        Assert.False(view.IsContiguous);
        view.AddInPlace(Tensor.FromArray([10f, 20f], 2)); // column j of the view = row j of the base
        Assert.Equal([11f, 12f, 13f, 24f, 25f, 26f], baseT.ToArray());
        view.ReluInPlace().MulInPlace(2f);
        Assert.Equal([22f, 24f, 26f, 48f, 50f, 52f], baseT.ToArray());
        view.ZeroInPlace();
        Assert.Equal(new float[6], baseT.ToArray());
    }

    [Fact]
    public void StridedViewsMatchOutOfPlaceAndLeaveTheRestOfTheBaseAlone()
    {
        var baseT = Random([5, 6], 3);
        var before = baseT.ToArray();
        var view = baseT.Narrow(1, 1, 4).Transpose(0, 1); // [4, 5], non-contiguous, offset 1
        var other = Random([4, 1], 4).Transpose(0, 1).Expand(5, 4).Transpose(0, 1); // broadcast, strided
        var expected = (view * other).ToArray();
        view.MulInPlace(other);
        Assert.True(expected.AsSpan().SequenceEqual(view.ToArray()));
        var after = baseT.ToArray();
        for (int r = 0; r < 5; r++)
        {
            Assert.Equal(before[r * 6], after[r * 6]);
            Assert.Equal(before[r * 6 + 5], after[r * 6 + 5]);
        }
    }

    [Fact]
    public void AnOperandSharingStorageIsReadAsItWasBefore()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        var expected = (x + x.Transpose(0, 1)).ToArray();
        x.AddInPlace(x.Transpose(0, 1));
        Assert.Equal(expected, x.ToArray());

        var y = Tensor.FromArray([1f, 2f, 3f, 4f, 5f], 5);
        y.Narrow(0, 1, 4).CopyInPlace(y.Narrow(0, 0, 4)); // overlapping shift by one
        Assert.Equal([1f, 1f, 2f, 3f, 4f], y.ToArray());

        var z = Tensor.FromArray([1f, -2f, 3f], 3);
        z.MulInPlace(z); // identical layout: safe without a copy
        Assert.Equal([1f, 4f, 9f], z.ToArray());
    }

    [Fact]
    public void BroadcastingTheWrongWayNamesBothShapes()
    {
        var x = Tensor.Zeros(3);
        var e = Assert.Throws<ArgumentException>(() => x.AddInPlace(Tensor.Zeros(2, 3)));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[3]", e.Message);
        Assert.Contains("AddInPlace", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).CopyInPlace(Tensor.Zeros(2)));
        Assert.Contains("[2]", e2.Message);
        Assert.Contains("[2, 3]", e2.Message);
        Assert.Equal(new float[3], x.ToArray()); // unchanged
    }

    [Fact]
    public void LeafRequiringGradIsRefusedUnlessGradModeIsOff()
    {
        var w = Tensor.Ones(3);
        w.RequiresGrad = true;
        var e = Assert.Throws<InvalidOperationException>(() => w.MulInPlace(2f));
        Assert.Contains("leaf", e.Message);
        Assert.Contains("requires grad", e.Message);
        Assert.Throws<InvalidOperationException>(() => w.ZeroInPlace());
        Assert.Equal([1f, 1f, 1f], w.ToArray());
        using (GradMode.NoGrad())
        {
            w.SubInPlace(Tensor.FromArray([0.5f, 1f, 1.5f], 3));
        }
        Assert.Equal([0.5f, 0f, -0.5f], w.ToArray());
        Assert.True(w.RequiresGrad);
        Assert.True(w.IsLeaf);
    }

    [Fact]
    public void RecordedResultsAndOperandsRequiringGradAreRefused()
    {
        var w = Tensor.Ones(3);
        w.RequiresGrad = true;
        var y = w * Tensor.Full([3], 2f);
        var e = Assert.Throws<InvalidOperationException>(() => y.ReluInPlace());
        Assert.Contains("mul", e.Message);
        using (GradMode.NoGrad())
        {
            // Still refused: backward may need y's values whatever the grad mode.
            Assert.Throws<InvalidOperationException>(() => y.AddInPlace(1f));
        }
        var plain = Tensor.Zeros(3);
        var e2 = Assert.Throws<InvalidOperationException>(() => plain.AddInPlace(w));
        Assert.Contains("operand", e2.Message);
        using (GradMode.NoGrad()) plain.AddInPlace(w);
        Assert.Equal([1f, 1f, 1f], plain.ToArray());
    }

    [Fact]
    public void Int64TensorsAndExpandedViewsAreRefused()
    {
        var labels = Tensor.FromArray([1L, 2L]);
        Assert.Contains("int64", Assert.Throws<ArgumentException>(() => labels.AddInPlace(1f)).Message);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2).CopyInPlace(labels));
        var expanded = Tensor.Zeros(1, 3).Expand(4, 3);
        var e = Assert.Throws<InvalidOperationException>(() => expanded.FillInPlace(1f));
        Assert.Contains("single memory location", e.Message);
    }

    [Fact]
    public void ClampInPlaceRejectsMissingOrNaNBounds()
    {
        var x = Tensor.Zeros(2);
        Assert.Throws<ArgumentException>(() => x.ClampInPlace());
        Assert.Throws<ArgumentException>(() => x.ClampInPlace(float.NaN, 1f));
    }

    [Fact]
    public void GradientAccumulationStillAddsUp()
    {
        var w = Tensor.FromArray([1f, 2f], 2);
        w.RequiresGrad = true;
        (w * w).Sum().Backward();
        (w * w).Sum().Backward();
        Assert.Equal([4f, 8f], w.Grad!.ToArray());
    }
}
