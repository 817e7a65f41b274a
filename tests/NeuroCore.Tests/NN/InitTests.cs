using NeuroCore.NN;

namespace NeuroCore.Tests.NN;

public class InitTests
{
    [Fact]
    public void FansCountTheReceptiveField()
    {
        Assert.Equal((3 * 25, 8 * 25), Init.CalculateFans(Tensor.Zeros(8, 3, 5, 5)));
        Assert.Equal((4, 7), Init.CalculateFans(Tensor.Zeros(7, 4)));
        Assert.Throws<ArgumentException>(() => Init.CalculateFans(Tensor.Zeros(7)));
    }

    [Fact]
    public void XavierAndKaimingBounds()
    {
        var t = Tensor.Zeros(200, 100);
        Init.XavierUniform(t, generator: new Generator(1));
        float xavier = MathF.Sqrt(6f / 300);
        Assert.All(t.ToArray(), v => Assert.InRange(v, -xavier, xavier));
        Assert.True(t.ToArray().Max() > 0.95f * xavier);

        Init.KaimingUniform(t, generator: new Generator(1)); // a = 0: ReLU gain √2, bound √(6/fan_in)
        float kaiming = MathF.Sqrt(6f / 100);
        Assert.All(t.ToArray(), v => Assert.InRange(v, -kaiming, kaiming));
        Assert.True(t.ToArray().Min() < -0.95f * kaiming);

        Init.KaimingUniform(t, mode: FanMode.FanOut, generator: new Generator(1));
        float fanOut = MathF.Sqrt(6f / 200);
        Assert.All(t.ToArray(), v => Assert.InRange(v, -fanOut, fanOut));
    }

    [Fact]
    public void NormalHasTheRequestedMomentsAndConstantsFill()
    {
        var t = Init.Normal(Tensor.Zeros(10000), mean: 3, std: 0.5, generator: new Generator(5));
        var v = t.ToArray();
        double mean = v.Average(x => (double)x);
        double std = Math.Sqrt(v.Average(x => (x - mean) * (x - mean)));
        Assert.InRange(mean, 2.98, 3.02);
        Assert.InRange(std, 0.49, 0.51);
        Assert.All(Init.Ones(Tensor.Zeros(3)).ToArray(), x => Assert.Equal(1f, x));
        Assert.All(Init.Zeros(Tensor.Ones(3)).ToArray(), x => Assert.Equal(0f, x));
        Assert.All(Init.Constant(Tensor.Ones(3), 2.5f).ToArray(), x => Assert.Equal(2.5f, x));
    }
}
