using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Ops;

/// <summary>Ops on edge-case shapes: empty tensors and views of them, scalars reduced over dim 0 or -1, and Expand's -1.</summary>
public class ShapeEdgeCaseTests
{
    [Fact]
    public void EmptyTensorsAreContiguousAndUsable()
    {
        var e = Tensor.Zeros(6, 0);
        Assert.True(e.IsContiguous);
        Assert.Equal(0f, e.Sum().Item());
        TensorAssert.ShapeIs(e.Sigmoid(), 6, 0);
        TensorAssert.ShapeIs(e.Contiguous(), 6, 0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ScalarsReduceOverDimZeroOrMinusOneWithGradient(int dim)
    {
        var x = Tensor.Scalar(3f);
        x.RequiresGrad = true;
        var s = x.Sum(dim);
        Assert.Empty(s.Shape);
        Assert.Equal(3f, s.Item());
        (s * 2f + x.Mean(dim, keepDim: true)).Backward();
        Assert.Equal(3f, x.Grad!.Item());
        Assert.Empty(x.Grad!.Shape);
    }

    [Fact]
    public void ExpandRejectsNegativeSizesOtherThanKeepingAnExistingDimension()
    {
        var x = Tensor.Ones(1, 3);
        TensorAssert.ShapeIs(x.Expand(4, -1), 4, 3);
        Assert.Throws<ArgumentException>(() => x.Expand(-1, 2, 3)); // -1 in a new leading dimension
        Assert.Throws<ArgumentException>(() => x.Expand(-2, 3));    // negative size on a size-1 dimension
    }

    [Fact]
    public void EmptyViewsOfEmptyTensorsWork()
    {
        // Narrowing [4, 0] at row 1 would put the view's offset past the (empty) storage.
        var e = Tensor.Zeros(4, 0).Narrow(0, 1, 2);
        TensorAssert.ShapeIs(e, 2, 0);
        Assert.True(e.IsContiguous);
        Assert.Empty(e.ToArray());
        TensorAssert.ShapeIs(e * e, 2, 0);
        TensorAssert.ShapeIs(e.Tanh(), 2, 0);
        var w = Tensor.Zeros(3, 0);
        w.RequiresGrad = true;
        w.Narrow(0, 1, 2).Sum().Backward();
        TensorAssert.ShapeIs(w.Grad!, 3, 0);
    }
}
