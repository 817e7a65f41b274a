using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Ops;

public class ConcatTests
{
    [Fact]
    public void ConcatAlongEachDimension()
    {
        var a = Tensor.FromArray([1f, 2, 3, 4], 2, 2);
        var b = Tensor.FromArray([5f, 6], 1, 2);
        var c = Tensor.FromArray([7f, 8], 2, 1);
        var rows = Tensor.Concat([a, b]);
        TensorAssert.ShapeIs(rows, 3, 2);
        Assert.Equal([1f, 2, 3, 4, 5, 6], rows.ToArray());
        var cols = Tensor.Concat([a, c], dim: -1);
        TensorAssert.ShapeIs(cols, 2, 3);
        Assert.Equal([1f, 2, 7, 3, 4, 8], cols.ToArray());
    }

    [Fact]
    public void ConcatOfStridedViewsAndInt64()
    {
        var a = Tensor.FromArray([1f, 2, 3, 4, 5, 6], 2, 3).T; // [3, 2]: 1 4 / 2 5 / 3 6
        var b = Tensor.FromArray([7f, 8, 9], 3, 1);
        Assert.Equal([1f, 4, 7, 2, 5, 8, 3, 6, 9], Tensor.Concat([a, b], 1).ToArray());
        var ids = Tensor.Concat([Tensor.FromArray([1L, 2L]), Tensor.FromArray([3L])]);
        Assert.Equal(DType.Int64, ids.DType);
        Assert.Equal([1L, 2L, 3L], ids.ToLongArray());
    }

    [Fact]
    public void GradientIsSlicedBackToEachInput()
    {
        var a = Tensor.Zeros(2, 2); a.RequiresGrad = true;
        var b = Tensor.Zeros(2, 1); b.RequiresGrad = true;
        var frozen = Tensor.Zeros(2, 1);
        var y = Tensor.Concat([a, frozen, b], 1); // [2, 4]
        y.Backward(Tensor.FromArray([1f, 2, 3, 4, 5, 6, 7, 8], 2, 4));
        Assert.Equal([1f, 2, 5, 6], a.Grad!.ToArray());
        Assert.Equal([4f, 8], b.Grad!.ToArray());
        Assert.Null(frozen.Grad);
    }

    [Fact]
    public void EmptyOneDimensionalTensorsAreSkippedLikeTorchCat()
    {
        var acc = Tensor.Zeros(0);
        var x = Tensor.Ones(2, 3);
        TensorAssert.ShapeIs(Tensor.Concat([acc, x, acc]), 2, 3);
        // empty along the concat dim (not 1-D) is a normal participant
        TensorAssert.ShapeIs(Tensor.Concat([Tensor.Zeros(0, 3), x]), 2, 3);
    }

    [Fact]
    public void MismatchedInputsFailWithTheShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(2, 4)], 0));
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[2, 4]", ex.Message);
        Assert.Contains("concat", ex.Message);
        Assert.Throws<ArgumentException>(() => Tensor.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(3)]));
        Assert.Throws<ArgumentException>(() => Tensor.Concat([Tensor.Zeros(2), Tensor.FromArray([1L])]));
        Assert.Throws<ArgumentException>(() => Tensor.Concat([]));
        Assert.Throws<ArgumentException>(() => Tensor.Concat([Tensor.Scalar(1f), Tensor.Scalar(2f)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Concat([Tensor.Zeros(2, 3)], 2));
    }

    [Fact]
    public void StackMakesANewDimension()
    {
        var s = Tensor.Stack([Tensor.Scalar(1f), Tensor.Scalar(2f), Tensor.Scalar(3f)]);
        TensorAssert.ShapeIs(s, 3);
        Assert.Equal([1f, 2, 3], s.ToArray());

        var a = Tensor.FromArray([1f, 2]);
        var b = Tensor.FromArray([3f, 4]);
        Assert.Equal([1f, 2, 3, 4], Tensor.Stack([a, b]).ToArray());
        var last = Tensor.Stack([a, b], dim: -1);
        TensorAssert.ShapeIs(last, 2, 2);
        Assert.Equal([1f, 3, 2, 4], last.ToArray());

        var ex = Assert.Throws<ArgumentException>(() => Tensor.Stack([a, Tensor.Zeros(3)]));
        Assert.Contains("[3]", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Stack([a, b], 2));
    }

    [Fact]
    public void StackGradientFlowsToEachScalar()
    {
        var a = Tensor.Scalar(1f); a.RequiresGrad = true;
        var b = Tensor.Scalar(2f); b.RequiresGrad = true;
        (Tensor.Stack([a, b]) * Tensor.FromArray([3f, 4f])).Sum().Backward();
        Assert.Equal(3f, a.Grad!.Item());
        Assert.Empty(a.Grad!.Shape);
        Assert.Equal(4f, b.Grad!.Item());
    }

    [Fact]
    public void TheSameTensorTwiceAccumulatesBothSlices()
    {
        var x = Tensor.FromArray([1f, 2f]);
        x.RequiresGrad = true;
        Tensor.Concat([x, x]).Backward(Tensor.FromArray([1f, 2f, 10f, 20f]));
        Assert.Equal([11f, 22f], x.Grad!.ToArray());
    }
}
