using NeuroCore.NN;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.NN;

public class LayerTests
{
    [Fact]
    public void SequentialStateDictUsesPyTorchNames()
    {
        var model = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 3), new BatchNorm1d(3));
        Assert.Equal(
            ["0.weight", "0.bias", "2.weight", "2.bias", "3.weight", "3.bias", "3.running_mean", "3.running_var", "3.num_batches_tracked"],
            model.StateDict().Keys);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "3.weight", "3.bias"], model.NamedParameters().Select(p => p.Name));
        TensorAssert.ShapeIs(model.StateDict()["0.weight"], 16, 2);
        TensorAssert.ShapeIs(model.StateDict()["2.bias"], 3);
    }

    [Fact]
    public void LinearAndConvInitializeWithinPyTorchsBound()
    {
        // kaiming_uniform_(a=√5) gives bound = gain·√3/√fan_in with gain = √(2/6): exactly 1/√fan_in.
        var linear = new Linear(64, 32, generator: new Generator(1));
        AssertUniformWithin(linear.Weight, 1 / MathF.Sqrt(64));
        AssertUniformWithin(linear.Bias!, 1 / MathF.Sqrt(64));

        var conv = new Conv2d(3, 8, 5, generator: new Generator(2));
        TensorAssert.ShapeIs(conv.Weight, 8, 3, 5, 5);
        AssertUniformWithin(conv.Weight, 1 / MathF.Sqrt(3 * 5 * 5));
        AssertUniformWithin(conv.Bias!, 1 / MathF.Sqrt(3 * 5 * 5), checkSpread: false);
    }

    private static void AssertUniformWithin(Tensor t, float bound, bool checkSpread = true)
    {
        var v = t.ToArray();
        Assert.All(v, x => Assert.InRange(x, -bound, bound));
        if (checkSpread)
        {
            // A uniform sample of hundreds of values reaches near both ends of its range.
            Assert.True(v.Max() > 0.8f * bound && v.Min() < -0.8f * bound, $"values do not span ±{bound}");
        }
        Assert.True(t.RequiresGrad);
    }

    [Fact]
    public void TheSameGeneratorSeedGivesTheSameModel()
    {
        var a = new Linear(5, 4, generator: new Generator(42));
        var b = new Linear(5, 4, generator: new Generator(42));
        var c = new Linear(5, 4, generator: new Generator(43));
        Assert.Equal(a.Weight.ToArray(), b.Weight.ToArray());
        Assert.Equal(a.Bias!.ToArray(), b.Bias!.ToArray());
        Assert.NotEqual(a.Weight.ToArray(), c.Weight.ToArray());
    }

    [Fact]
    public void DefaultGeneratorIsUsedWhenNoneIsGiven()
    {
        Generator.ManualSeed(7);
        var a = new Linear(3, 3);
        Generator.ManualSeed(7);
        var b = new Linear(3, 3);
        Assert.Equal(a.Weight.ToArray(), b.Weight.ToArray());
    }

    [Fact]
    public void LinearWithoutBiasHasOnlyAWeight()
    {
        var l = new Linear(3, 2, bias: false);
        Assert.Null(l.Bias);
        Assert.Equal(["weight"], l.NamedParameters().Select(p => p.Name));
        Assert.Equal("Linear(in_features=3, out_features=2, bias=False)", l.ToString());
    }

    [Fact]
    public void NormsStartAsIdentityAndBatchNormTracksAnInt64Counter()
    {
        var ln = new LayerNorm(4);
        Assert.Equal([1f, 1f, 1f, 1f], ln.Weight!.ToArray());
        Assert.Equal([0f, 0f, 0f, 0f], ln.Bias!.ToArray());

        var bn = new BatchNorm2d(3);
        Assert.Equal([1f, 1f, 1f], bn.Weight!.ToArray());
        Assert.Equal([0f, 0f, 0f], bn.RunningMean.ToArray());
        Assert.Equal([1f, 1f, 1f], bn.RunningVar.ToArray());
        var counter = bn.StateDict()["num_batches_tracked"];
        Assert.Equal(DType.Int64, counter.DType);
        Assert.Equal(0, counter.Rank);
        Assert.Equal(0, bn.NumBatchesTracked);
        Assert.Equal(["weight", "bias"], bn.NamedParameters().Select(p => p.Name));
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], bn.NamedBuffers().Select(p => p.Name));
    }

    [Fact]
    public void BatchNormRejectsTheWrongChannelCount()
    {
        var e = Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(Tensor.Zeros(2, 4, 5, 5)));
        Assert.Contains("[2, 4, 5, 5]", e.Message);
        Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(Tensor.Zeros(2, 3, 5, 5)));
    }

    [Fact]
    public void EmbeddingStartsAsStandardNormalSamples()
    {
        var emb = new Embedding(100, 50, new Generator(3));
        var v = emb.Weight.ToArray();
        double mean = v.Average(x => (double)x);
        double std = Math.Sqrt(v.Average(x => (x - mean) * (x - mean)));
        Assert.InRange(mean, -0.05, 0.05);   // 5000 samples: the standard error of the mean is ≈ 0.014
        Assert.InRange(std, 0.95, 1.05);
    }

    [Fact]
    public void ConfigDescribesTheArchitecture()
    {
        Assert.Equal("Conv2d(in_channels=1, out_channels=16, kernel_size=3, stride=1, padding=1, bias=True)",
            new Conv2d(1, 16, 3, padding: 1).ToString());
        Assert.Equal("MaxPool2d(kernel_size=2, stride=2)", new MaxPool2d(2).ToString());
        Assert.Equal("ReLU", new ReLU().ToString());
        Assert.Equal("LeakyReLU(negative_slope=0.2)", new LeakyReLU(0.2f).ToString());
        Assert.Equal("GELU(approximate=tanh)", new GELU(GeluApproximation.Tanh).ToString());
        Assert.Equal(16, new Linear(2, 16).Config["out_features"]);
        Assert.Equal("Flatten(start_dim=1, end_dim=-1)", new Flatten().ToString());
    }

    [Fact]
    public void SequentialPrintsItsLayersAsPyTorchDoes()
    {
        var model = new Sequential(new Linear(784, 256), new ReLU(), new Sequential(new Dropout(0.25f), new Linear(256, 10, bias: false)));
        Assert.Equal(
            "Sequential(\n" +
            "  (0): Linear(in_features=784, out_features=256, bias=True)\n" +
            "  (1): ReLU\n" +
            "  (2): Sequential(\n" +
            "    (0): Dropout(p=0.25)\n" +
            "    (1): Linear(in_features=256, out_features=10, bias=False)\n" +
            "  )\n" +
            ")", model.ToString());
        Assert.Equal("Sequential", new Sequential().ToString());
    }

    [Fact]
    public void FlattenKeepsTheBatchDimension()
    {
        var y = new Flatten().Forward(Tensor.Zeros(4, 2, 3, 5));
        TensorAssert.ShapeIs(y, 4, 30);
    }

    [Fact]
    public void ConstructorsRejectNonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(1, 1, 3, stride: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm1d(4, momentum: 2f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerNorm(4, eps: 0f));
    }
}
