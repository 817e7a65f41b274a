using NeuroCore.Autograd;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Autograd;

public class EngineTests
{
    [Fact]
    public void BroadcastAddGradientIsSummedBackToEachInputShape()
    {
        // y = a + b with a [2,3], b [3]; loss = Σ y·w  ⇒ dL/da = w, dL/db = Σ_rows w
        var a = Tensor.FromArray([1f, 2, 3, 4, 5, 6], 2, 3); a.RequiresGrad = true;
        var b = Tensor.FromArray([10f, 20, 30]); b.RequiresGrad = true;
        var w = Tensor.FromArray([1f, 2, 3, 4, 5, 6], 2, 3);
        ((a + b) * w).Sum().Backward();
        TensorAssert.Close([1f, 2, 3, 4, 5, 6], a.Grad!);
        TensorAssert.Close([5f, 7, 9], b.Grad!);
    }

    [Fact]
    public void FanOutAccumulatesAndGradientsAddUpAcrossBackwardCalls()
    {
        // L = Σ x·x  ⇒ dL/dx = 2x; two backward passes add up to 4x
        var x = Tensor.FromArray([1f, -2, 3]); x.RequiresGrad = true;
        (x * x).Sum().Backward();
        TensorAssert.Close([2f, -4, 6], x.Grad!);
        (x * x).Sum().Backward();
        TensorAssert.Close([4f, -8, 12], x.Grad!);
    }

    [Fact]
    public void DivisionGradient()
    {
        // d(a/b)/da = 1/b, d(a/b)/db = -a/b²
        var a = Tensor.FromArray([3f]); a.RequiresGrad = true;
        var b = Tensor.FromArray([2f]); b.RequiresGrad = true;
        (a / b).Sum().Backward();
        TensorAssert.Close([0.5f], a.Grad!);
        TensorAssert.Close([-0.75f], b.Grad!);
    }

    [Fact]
    public void SecondBackwardThroughFreedGraphFailsClearly()
    {
        var x = Tensor.FromArray([1f, 2]); x.RequiresGrad = true;
        var loss = (x.Exp() * x).Sum();
        loss.Backward();
        var ex = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("second time", ex.Message);
    }

    [Fact]
    public void RetainGraphAllowsSecondBackward()
    {
        var x = Tensor.FromArray([1f, 2]); x.RequiresGrad = true;
        var loss = (x * x).Sum();
        loss.Backward(retainGraph: true);
        loss.Backward();
        TensorAssert.Close([4f, 8], x.Grad!);
    }

    [Fact]
    public void NoGradScopeRecordsNothing()
    {
        var x = Tensor.FromArray([1f, 2]); x.RequiresGrad = true;
        Tensor y;
        using (GradMode.NoGrad()) y = x * x;
        Assert.False(y.RequiresGrad);
        Assert.True(GradMode.IsEnabled);
        Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
    }

    [Fact]
    public void DetachCutsTheGraph()
    {
        var x = Tensor.FromArray([1f, 2]); x.RequiresGrad = true;
        var d = (x * x).Detach();
        Assert.False(d.RequiresGrad);
        ((x * d).Sum()).Backward(); // d treated as a constant: dL/dx = d = x²
        TensorAssert.Close([1f, 4], x.Grad!);
    }

    [Fact]
    public void BackwardOnNonScalarNeedsGradient()
    {
        var x = Tensor.FromArray([1f, 2]); x.RequiresGrad = true;
        var y = x * x;
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("[2]", ex.Message);
        y.Backward(Tensor.FromArray([1f, 10]));
        TensorAssert.Close([2f, 40], x.Grad!);
    }

    [Fact]
    public void ShapeErrorsNameBothShapesAndTheOp()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3) + Tensor.Zeros(4));
        Assert.Contains("add", ex.Message);
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4]", ex.Message);
    }

    [Fact]
    public void ViewsShareStorageAndGradientsFlowThroughThem()
    {
        var x = Tensor.Arange(6).Reshape(2, 3); x.RequiresGrad = true;
        var t = x.Transpose(0, 1);
        Assert.False(t.IsContiguous);
        TensorAssert.ShapeIs(t, 3, 2);
        Assert.Equal([0f, 3, 1, 4, 2, 5], t.ToArray());
        var w = Tensor.FromArray([1f, 2, 3, 4, 5, 6], 3, 2);
        (t * w).Sum().Backward();
        TensorAssert.Close([1f, 3, 5, 2, 4, 6], x.Grad!);
    }

    [Fact]
    public void SumAndMeanOverDims()
    {
        var x = Tensor.Arange(24).Reshape(2, 3, 4);
        TensorAssert.ShapeIs(x.Sum(1), 2, 4);
        TensorAssert.ShapeIs(x.Sum(-1, keepDim: true), 2, 3, 1);
        Assert.Equal(276f, x.Sum().Item());
        Assert.Equal(11.5f, x.Mean().Item());
        TensorAssert.Close([1.5f, 5.5f, 9.5f, 13.5f, 17.5f, 21.5f], x.Mean(2));
    }

    [Fact]
    public void ToStringShowsValuesShapeAndGrad()
    {
        var x = Tensor.FromArray([1f, 2.5f], 2); x.RequiresGrad = true;
        Assert.Equal("tensor([1, 2.5], shape=[2], requires_grad=True)", x.ToString());
        Assert.Contains("grad_fn=mul", (x * x).ToString());
        Assert.Contains("...", Tensor.Zeros(2000).ToString());
    }
}

public class FoundationGradCheckTests
{
    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 3 })]
    [InlineData(new[] { 2, 1, 4 }, new[] { 3, 1 })]
    [InlineData(new[] { 5 }, new int[0])]
    public void BroadcastArithmeticMatchesFiniteDifferences(int[] sa, int[] sb)
    {
        var g = new Generator(7);
        var a = Tensor.Randn(sa, g); a.RequiresGrad = true;
        var b = Tensor.Uniform(sb, 0.5f, 2f, g); b.RequiresGrad = true; // keep b away from 0 for div
        GradCheck.Check(x => (x[0] + x[1]) * x[0] - x[0] / x[1], [a, b]);
    }

    [Fact]
    public void ReductionsAndViewsMatchFiniteDifferences()
    {
        var a = Tensor.Randn([2, 3, 4], new Generator(3)); a.RequiresGrad = true;
        GradCheck.Check(x => x[0].Permute(2, 0, 1).Narrow(0, 1, 2).Mean(1) * x[0].Sum(-1, keepDim: true).Reshape(6).Sum(), [a]);
    }
}

public class ModuleStateDictTests
{
    private sealed class WithCounter : NeuroCore.NN.Module
    {
        public WithCounter()
        {
            RegisterParameter("weight", Tensor.Zeros(2, 2));
            RegisterBuffer("count", Tensor.FromArray(new long[] { 0 }));
        }

        public override Tensor Forward(Tensor input) => input;
    }

    [Fact]
    public void LoadStateDictCopiesFloatAndInt64Entries()
    {
        var m = new WithCounter();
        m.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.FromArray([1f, 2, 3, 4], 2, 2),
            ["count"] = Tensor.FromArray(new long[] { 42 }),
        });
        Assert.Equal([1f, 2, 3, 4], m.StateDict()["weight"].ToArray());
        Assert.Equal(42L, m.StateDict()["count"].GetLong(0));
    }

    [Fact]
    public void LoadStateDictRejectsWrongDtypeAndShapeByName()
    {
        var m = new WithCounter();
        var ex = Assert.Throws<ArgumentException>(() => m.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.Zeros(2, 2),
            ["count"] = Tensor.Zeros(1),
        }));
        Assert.Contains("'count'", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => m.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.Zeros(3),
            ["count"] = Tensor.FromArray(new long[] { 1 }),
        }));
        Assert.Contains("'weight'", ex.Message);
        Assert.Contains("[3]", ex.Message);
    }
}
