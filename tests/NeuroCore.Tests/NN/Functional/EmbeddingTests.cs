using FsCheck;
using FsCheck.Xunit;
using NeuroCore.Tests.Infrastructure;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Tests.NN.Functional;

public class EmbeddingTests
{
    private static Tensor Weight(int v, int d, int seed)
    {
        var w = Tensor.FromArray(Tensor.Randn([v, d], new Generator(seed)).ToArray(), v, d);
        w.RequiresGrad = true;
        return w;
    }

    [Fact]
    public void LooksUpRowsAndAppendsTheEmbeddingDimension()
    {
        var w = Tensor.FromArray([0f, 1, 10, 11, 20, 21], 3, 2);
        var y = F.Embedding(Tensor.FromArray([2L, 0, 1, 2], 2, 2), w);
        TensorAssert.ShapeIs(y, 2, 2, 2);
        TensorAssert.Close([20f, 21, 0, 1, 10, 11, 20, 21], y);
    }

    [Fact]
    public void ScalarIndexGivesOneRow()
    {
        var y = F.Embedding(Tensor.FromArray([1L], 1).Reshape(), Tensor.FromArray([0f, 1, 10, 11], 2, 2));
        TensorAssert.ShapeIs(y, 2);
        TensorAssert.Close([10f, 11], y);
    }

    [Fact]
    public void RepeatedIndicesAccumulateGradient()
    {
        // Row 1 is used three times ⇒ its gradient is the sum of the three upstream rows; unused row 0 gets 0.
        var w = Weight(3, 2, 1);
        var y = F.Embedding(Tensor.FromArray([1L, 2, 1, 1], 4), w);
        var upstream = Tensor.FromArray([1f, 2, 3, 4, 5, 6, 7, 8], 4, 2);
        (y * upstream).Sum().Backward();
        TensorAssert.Close([0f, 0, 13, 16, 3, 4], w.Grad!);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-3L)]
    public void PaddingRowGetsNoGradient(long paddingIndex)
    {
        // Row 0 (= −3 for V = 3) is padding: used twice, yet its gradient stays 0; row 2 accumulates normally.
        var w = Weight(3, 2, 4);
        var y = F.Embedding(Tensor.FromArray([0L, 2, 0], 3), w, paddingIndex);
        TensorAssert.Close([.. w.ToArray().Take(2), .. w.ToArray().Skip(4), .. w.ToArray().Take(2)], y);
        (y * Tensor.FromArray([1f, 2, 3, 4, 5, 6], 3, 2)).Sum().Backward();
        TensorAssert.Close([0f, 0, 0, 0, 3, 4], w.Grad!);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.Embedding(Tensor.FromArray([0L], 1), w, 3));
    }

    [Property(MaxTest = 15)]
    public void GradientMatchesFiniteDifferences(byte vocab, byte dim, byte count, int seed)
    {
        int v = 1 + vocab % 6, d = 1 + dim % 5, n = 1 + count % 7;
        var g = new Generator(seed);
        var idx = new long[n];
        for (int i = 0; i < n; i++) idx[i] = g.NextInt(v);
        var indices = Tensor.FromArray(idx, n);
        GradCheck.Check(a => F.Embedding(indices, a[0]), [Weight(v, d, seed)]);
    }

    [Fact]
    public void OutOfRangeIndexIsAClearError()
    {
        var w = Tensor.Zeros(10, 4);
        var ex = Assert.Throws<ArgumentException>(() => F.Embedding(Tensor.FromArray([3L, 10], 2), w));
        Assert.Contains("index 10", ex.Message);
        Assert.Contains("10 rows", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => F.Embedding(Tensor.FromArray([-1L], 1), w));
        Assert.Contains("index -1", ex.Message);
    }

    [Fact]
    public void RejectsFloatIndicesAndNonMatrixWeights()
    {
        Assert.Contains("int64", Assert.Throws<ArgumentException>(() => F.Embedding(Tensor.Zeros(2), Tensor.Zeros(3, 2))).Message);
        Assert.Contains("[6]", Assert.Throws<ArgumentException>(() => F.Embedding(Tensor.FromArray([0L], 1), Tensor.Zeros(6))).Message);
    }

    [Fact]
    public void EmptyIndicesGiveEmptyOutputAndZeroGradient()
    {
        var w = Weight(3, 2, 2);
        var y = F.Embedding(Tensor.FromArray(Array.Empty<long>(), 0), w);
        TensorAssert.ShapeIs(y, 0, 2);
        y.Sum().Backward();
        TensorAssert.Close(new float[6], w.Grad!);
    }
}
