using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Ops;

public class MaxReductionTests
{
    private static readonly float[] Tied = [1f, 5f, 5f, 2f, /**/ 7f, 0f, 7f, 7f];

    [Fact]
    public void MaxAlongDimTakesTheFirstOfTiesForValueIndexAndGradient()
    {
        var x = Tensor.FromArray(Tied, 2, 4);
        x.RequiresGrad = true;
        var m = x.Max(1);
        TensorAssert.ShapeIs(m, 2);
        Assert.Equal([5f, 7f], m.ToArray());
        var idx = x.ArgMax(1);
        Assert.Equal(DType.Int64, idx.DType);
        Assert.Equal([1L, 0L], idx.ToLongArray());
        m.Backward(Tensor.FromArray([10f, 20f]));
        // only the first arg max of each row receives the gradient, as torch.max(x, dim)
        Assert.Equal([0f, 10f, 0f, 0f, 20f, 0f, 0f, 0f], x.Grad!.ToArray());
    }

    [Fact]
    public void MinAlongDimMirrorsMax()
    {
        var x = Tensor.FromArray(Tied, 2, 4);
        x.RequiresGrad = true;
        var m = x.Min(0, keepDim: true);
        TensorAssert.ShapeIs(m, 1, 4);
        Assert.Equal([1f, 0f, 5f, 2f], m.ToArray());
        m.Sum().Backward();
        Assert.Equal([1f, 0f, 1f, 1f, 0f, 1f, 0f, 0f], x.Grad!.ToArray());
    }

    [Fact]
    public void MaxOfAllSharesTheGradientAmongTies()
    {
        // torch: max() backward distributes evenly over all elements equal to the maximum
        var x = Tensor.FromArray(Tied, 2, 4);
        x.RequiresGrad = true;
        var m = x.Max();
        Assert.Empty(m.Shape);
        Assert.Equal(7f, m.Item());
        (m * 6f).Backward();
        Assert.Equal([0f, 0f, 0f, 0f, 2f, 0f, 2f, 2f], x.Grad!.ToArray());

        var y = Tensor.FromArray(Tied, 2, 4);
        y.RequiresGrad = true;
        y.Min().Backward();
        Assert.Equal([0f, 0f, 0f, 0f, 0f, 1f, 0f, 0f], y.Grad!.ToArray());
    }

    [Fact]
    public void KeepDimAndNegativeDims()
    {
        var x = Tensor.Randn([2, 3, 4], new Generator(1));
        TensorAssert.ShapeIs(x.Max(-1), 2, 3);
        TensorAssert.ShapeIs(x.Max(1, keepDim: true), 2, 1, 4);
        TensorAssert.ShapeIs(x.ArgMax(0, keepDim: true), 1, 3, 4);
        Assert.Equal(x.Max(2).ToArray(), x.Max(-1).ToArray());
        // max over dim 1 element by element
        var m = x.Max(1);
        for (int i = 0; i < 2; i++)
            for (int k = 0; k < 4; k++)
                Assert.Equal(Math.Max(x[i, 0, k], Math.Max(x[i, 1, k], x[i, 2, k])), m[i, k]);
        // the overall max equals the max of the per-dim maxima
        Assert.Equal(x.Max(0).Max(0).Max(0).Item(), x.Max().Item());
    }

    [Fact]
    public void NaNPropagatesAndIsTheArgMax()
    {
        var x = Tensor.FromArray([1f, float.NaN, 3f]);
        Assert.True(float.IsNaN(x.Max(0).Item()));
        Assert.True(float.IsNaN(x.Max().Item()));
        Assert.True(float.IsNaN(x.Min(0).Item()));
        Assert.Equal(1L, x.ArgMax(0).ToLongArray()[0]);
    }

    [Fact]
    public void ReducingAnEmptyDimensionIsAnError()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 0).Max(1));
        Assert.Contains("[3, 0]", ex.Message);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(0).Max());
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(0, 2).ArgMax(0));
        // reducing a non-empty dimension of an empty tensor is fine
        TensorAssert.ShapeIs(Tensor.Zeros(3, 0).Max(0), 0);
    }

    [Fact]
    public void ScalarInputs()
    {
        var s = Tensor.Scalar(4f);
        Assert.Equal(4f, s.Max(0).Item());
        Assert.Equal(0L, s.ArgMax(0).GetLong());
        Assert.Equal(4f, s.Min().Item());
    }
}
