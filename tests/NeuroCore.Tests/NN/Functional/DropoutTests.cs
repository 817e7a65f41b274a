using NeuroCore.Tests.Infrastructure;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Tests.NN.Functional;

public class DropoutTests
{
    private const int Count = 100_000;

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    [InlineData(0.9f)]
    public void KeepsAFractionOneMinusPAndScalesSurvivorsSoTheExpectationIsPreserved(float p)
    {
        var x = Tensor.Ones(Count);
        var y = F.Dropout(x, p, training: true, new Generator(42)).ToArray();
        int kept = y.Count(v => v != 0);
        // Binomial(n, 1−p): 5 standard deviations is a bound that a correct mask essentially never exceeds.
        double sigma = Math.Sqrt(Count * p * (1 - p));
        Assert.InRange(kept, Count * (1 - p) - 5 * sigma, Count * (1 - p) + 5 * sigma);
        Assert.All(y, v => Assert.True(v == 0 || Math.Abs(v - 1 / (1 - p)) < 1e-6, $"survivor {v} is not scaled by 1/(1−p)"));
        // E[y] = (1−p)·1/(1−p) = 1 = E[x]
        Assert.InRange(y.Average(), 1 - 5 * sigma / Count / (1 - p), 1 + 5 * sigma / Count / (1 - p));
    }

    [Fact]
    public void SameSeedGivesTheSameMaskAndAnotherSeedDoesNot()
    {
        var x = Tensor.Ones(1000);
        var a = F.Dropout(x, 0.5f, true, new Generator(7)).ToArray();
        var b = F.Dropout(x, 0.5f, true, new Generator(7)).ToArray();
        var c = F.Dropout(x, 0.5f, true, new Generator(8)).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void SuccessiveCallsOnOneGeneratorDrawFreshMasks()
    {
        var g = new Generator(7);
        var x = Tensor.Ones(1000);
        Assert.NotEqual(F.Dropout(x, 0.5f, true, g).ToArray(), F.Dropout(x, 0.5f, true, g).ToArray());
    }

    [Fact]
    public void NeighbouringElementsAreDroppedIndependently()
    {
        // Each random word feeds two elements; kept pairs must still occur with probability (1−p)².
        const float p = 0.3f;
        var y = F.Dropout(Tensor.Ones(Count), p, true, new Generator(11)).ToArray();
        int pairs = Count - 1, both = 0;
        for (int i = 0; i < pairs; i++) if (y[i] != 0 && y[i + 1] != 0) both++;
        double q = (1 - p) * (1 - p), sigma = Math.Sqrt(pairs * q * (1 - q));
        Assert.InRange(both, pairs * q - 6 * sigma, pairs * q + 6 * sigma);
    }

    [Fact]
    public void IsTheIdentityWhenNotTrainingOrPIsZero()
    {
        var x = Tensor.Randn([5, 3], new Generator(1));
        Assert.Same(x, F.Dropout(x, 0.5f, training: false));
        Assert.Same(x, F.Dropout(x, 0f, training: true));
    }

    [Fact]
    public void PEqualToOneZeroesEverythingIncludingTheGradient()
    {
        var x = Tensor.Ones(4, 4); x.RequiresGrad = true;
        var y = F.Dropout(x, 1f, true, new Generator(3));
        TensorAssert.Close(new float[16], y);
        y.Sum().Backward();
        TensorAssert.Close(new float[16], x.Grad!);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void RejectsPOutsideZeroToOne(float p)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => F.Dropout(Tensor.Ones(2), p, true));
        Assert.Contains("[0, 1]", ex.Message);
    }

    [Fact]
    public void BackwardMultipliesByTheSameMask()
    {
        // y = x·mask ⇒ dL/dx = mask, and with x = 1 the mask is y itself.
        var x = Tensor.Ones(257); x.RequiresGrad = true;
        var y = F.Dropout(x, 0.3f, true, new Generator(9));
        y.Sum().Backward();
        Assert.Equal(y.ToArray(), x.Grad!.ToArray());
    }

    [Fact]
    public void GradientMatchesFiniteDifferencesWithAFixedMask()
    {
        var x = Tensor.FromArray(Tensor.Randn([3, 5], new Generator(2)).ToArray(), 3, 5);
        x.RequiresGrad = true;
        // A fresh generator with the same seed per call: every evaluation draws the same mask.
        GradCheck.Check(a => F.Dropout(a[0], 0.4f, true, new Generator(5)), [x]);
    }

    [Fact]
    public void ReadsNonContiguousInput()
    {
        var x = Tensor.Randn([4, 3], new Generator(4));
        var y = F.Dropout(x.Transpose(0, 1), 0.5f, true, new Generator(1));
        var dense = F.Dropout(Tensor.FromArray(x.Transpose(0, 1).ToArray(), 3, 4), 0.5f, true, new Generator(1));
        Assert.Equal(dense.ToArray(), y.ToArray());
    }
}
