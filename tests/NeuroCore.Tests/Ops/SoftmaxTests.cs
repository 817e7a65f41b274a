using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Ops;

public class SoftmaxTests
{
    [Fact]
    public void LargeInputsDoNotOverflow()
    {
        // exp(1000) overflows float; subtracting the max first keeps softmax exact
        var x = Tensor.FromArray([1000f, 1001f, 1002f]);
        double e0 = Math.Exp(-2), e1 = Math.Exp(-1), s = e0 + e1 + 1;
        TensorAssert.Close([(float)(e0 / s), (float)(e1 / s), (float)(1 / s)], x.Softmax(0));
        TensorAssert.Close([(float)(-2 - Math.Log(s)), (float)(-1 - Math.Log(s)), (float)(-Math.Log(s))], x.LogSoftmax(0));
        // very negative inputs: log-softmax stays finite where log(softmax) would be −∞
        var ls = Tensor.FromArray([-1000f, 0f]).LogSoftmax(0).ToArray();
        Assert.Equal(-1000f, ls[0], 3);
        Assert.Equal(0f, ls[1], 6);
        Assert.Equal(float.NegativeInfinity, Tensor.FromArray([-1000f, 0f]).Softmax(0).Log().ToArray()[0]);
    }

    [Fact]
    public void MinusInfinityEntriesGetZeroProbability()
    {
        // masking with −∞ (attention) must give exactly 0, not NaN
        var y = Tensor.FromArray([float.NegativeInfinity, 0f, 0f]).Softmax(0).ToArray();
        Assert.Equal([0f, 0.5f, 0.5f], y);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    [InlineData(-2)]
    public void EverySliceAlongDimSumsToOneAndMatchesTheDefinition(int dim)
    {
        var x = Tensor.Randn([3, 4, 5], new Generator(dim + 10)) * 3f;
        var y = x.Softmax(dim);
        var ly = x.LogSoftmax(dim);
        TensorAssert.ShapeIs(y, 3, 4, 5);
        // Σ over dim is 1
        TensorAssert.Close(Enumerable.Repeat(1f, y.Numel / y.Size(dim)).ToArray(), y.Sum(dim), 1e-5, 1e-6);
        // exp(log_softmax) = softmax
        TensorAssert.Close(y.ToArray(), ly.Exp(), 1e-5, 1e-6);
        // definition, element by element in double
        int d = dim < 0 ? dim + 3 : dim;
        var shape = x.Shape;
        for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
        for (int k = 0; k < 5; k++)
        {
            int[] idx = [i, j, k];
            double sum = 0;
            for (int m = 0; m < shape[d]; m++)
            {
                var o = (int[])idx.Clone();
                o[d] = m;
                sum += Math.Exp(x[o]);
            }
            Assert.Equal(Math.Exp(x[idx]) / sum, y[idx], 5);
        }
    }

    [Fact]
    public void GradientOfSumOfSoftmaxIsZero()
    {
        // Σ softmax = 1 regardless of x ⇒ d/dx = 0
        var x = Tensor.Randn([2, 6], new Generator(5));
        x.RequiresGrad = true;
        x.Softmax(1).Sum().Backward();
        Assert.All(x.Grad!.ToArray(), g => Assert.True(Math.Abs(g) < 1e-6, $"{g}"));
    }

    [Fact]
    public void LogSoftmaxGradientWithOneHotUpstreamIsOneHotMinusSoftmax()
    {
        // d(−log_softmax(x)[t])/dx = softmax(x) − onehot(t): the cross-entropy gradient
        var x = Tensor.FromArray([1f, 2f, 3f], 1, 3);
        x.RequiresGrad = true;
        var onehot = Tensor.FromArray([0f, 1f, 0f], 1, 3);
        (-(x.LogSoftmax(-1) * onehot).Sum()).Backward();
        var p = x.Detach().Softmax(-1).ToArray();
        TensorAssert.Close([p[0], p[1] - 1, p[2]], x.Grad!, 1e-5, 1e-6);
    }

    [Fact]
    public void EmptyAndScalarInputs()
    {
        Assert.Equal([0, 3], Tensor.Zeros(0, 3).Softmax(1).Shape);
        Assert.Equal([3, 0], Tensor.Zeros(3, 0).LogSoftmax(1).Shape);
        Assert.Equal(1f, Tensor.Scalar(5f).Softmax(0).Item());
        Assert.Equal(0f, Tensor.Scalar(5f).LogSoftmax(-1).Item());
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(2, 3).Softmax(2));
        Assert.Contains("softmax", ex.Message);
    }
}
