using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Tests.Infrastructure;
using NeuroCore.Training;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Tests.Optim;

/// <summary>
/// ZeroGrad(setToNone: false) keeps the gradient tensors and the engine accumulates into them in place:
/// values must stay those of a fresh computation, and no gradient buffer may alias another tensor.
/// </summary>
public class ZeroGradTests
{
    private static Tensor Param(params float[] values)
    {
        var p = Tensor.FromArray(values);
        p.RequiresGrad = true;
        return p;
    }

    [Fact]
    public void SetToNoneFalseZeroesTheSameTensorAndBackwardReusesIt()
    {
        var w = Param(1f, 2f, 3f);
        var sgd = new SGD([w], 0.1f);
        (w * w).Sum().Backward();
        var grad = w.Grad!;
        TensorAssert.Close([2f, 4f, 6f], grad);

        sgd.ZeroGrad(setToNone: false);
        Assert.Same(grad, w.Grad);
        TensorAssert.Close([0f, 0f, 0f], grad);

        (w * 3f).Sum().Backward();
        Assert.Same(grad, w.Grad);
        TensorAssert.Close([3f, 3f, 3f], grad);
    }

    [Fact]
    public void DefaultSetsToNullAndLeavesAKeptGradientUnchanged()
    {
        var w = Param(1f, 2f);
        var sgd = new SGD([w], 0.1f);
        (w * w).Sum().Backward();
        var kept = w.Grad!;
        sgd.ZeroGrad();
        Assert.Null(w.Grad);
        (w * 5f).Sum().Backward();
        Assert.NotSame(kept, w.Grad);
        TensorAssert.Close([2f, 4f], kept);
        TensorAssert.Close([5f, 5f], w.Grad!);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GradientsAccumulateAcrossBackwardCallsUntilZeroed(bool setToNone)
    {
        var w = Param(1f, -2f);
        var sgd = new SGD([w], 0.1f);
        for (int step = 0; step < 3; step++)
        {
            sgd.ZeroGrad(setToNone);
            (w * w).Sum().Backward();       // 2w
            (w * 4f).Sum().Backward();      // + 4
            TensorAssert.Close([6f, 0f], w.Grad!, what: $"step {step}");
        }
    }

    [Fact]
    public void LeavesSharingAPassThroughGradientGetSeparateBuffers()
    {
        // add's backward hands the same gradient tensor to both inputs; each leaf must own its own copy,
        // or accumulating into one in place would change the other.
        var a = Param(1f, 1f);
        var b = Param(1f, 1f);
        var sgd = new SGD([a, b], 0.1f);
        (a + b).Sum().Backward();
        Assert.NotSame(a.Grad, b.Grad);
        sgd.ZeroGrad(setToNone: false);
        (a * 2f + b).Sum().Backward();
        TensorAssert.Close([2f, 2f], a.Grad!);
        TensorAssert.Close([1f, 1f], b.Grad!);
    }

    [Fact]
    public void AnUpstreamGradientPassedToBackwardIsNeverZeroedOrAccumulatedInto()
    {
        var a = Param(1f, 2f);
        var b = Param(3f, 4f);
        var sgd = new SGD([a, b], 0.1f);
        var upstream = Tensor.FromArray([0.5f, -1f]);
        (a + b).Backward(upstream);
        sgd.ZeroGrad(setToNone: false);
        (a + b).Backward(upstream);
        TensorAssert.Close([0.5f, -1f], upstream);
        TensorAssert.Close([0.5f, -1f], a.Grad!);
        TensorAssert.Close([0.5f, -1f], b.Grad!);
    }

    [Fact]
    public void IntermediatesAndGradientsKeptAcrossStepsKeepTheirValues()
    {
        var g = new Generator(3);
        var lin = new Linear(4, 3, generator: g);
        var opt = new SGD(lin.Parameters(), 0.1f);
        var x = Tensor.Randn([5, 4], g);

        opt.ZeroGrad(setToNone: false);
        var h1 = lin.Call(x);
        h1.Sum().Backward();
        var h1Values = h1.ToArray();
        var biasGrad1 = lin.Parameters().Last().Grad!.Clone().ToArray();
        opt.Step();

        opt.ZeroGrad(setToNone: false);
        var h2 = lin.Call(x);
        (h2 * 2f).Sum().Backward();
        opt.Step();

        TensorAssert.Close(h1Values, h1, what: "intermediate of step 1");
        TensorAssert.Close([5f, 5f, 5f], Tensor.FromArray(biasGrad1), what: "copied bias gradient of step 1");
        TensorAssert.Close([10f, 10f, 10f], lin.Parameters().Last().Grad!, what: "bias gradient of step 2");
    }

    [Fact]
    public void AHandSetNonContiguousGradientIsReplacedByZeros()
    {
        var w = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        w.RequiresGrad = true;
        var sgd = new SGD([w], 0.1f);
        w.Grad = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2).Transpose(0, 1);
        sgd.ZeroGrad(setToNone: false);
        Assert.True(w.Grad!.IsContiguous);
        TensorAssert.Close([0f, 0f, 0f, 0f], w.Grad);
        (w * 2f).Sum().Backward();
        TensorAssert.Close([2f, 2f, 2f, 2f], w.Grad);
    }

    [Fact]
    public void ModuleZeroGradInPlaceKeepsTheTensors()
    {
        var lin = new Linear(3, 2, generator: new Generator(1));
        lin.Call(Tensor.Ones([4, 3])).Sum().Backward();
        var grads = lin.Parameters().Select(p => p.Grad!).ToArray();
        lin.ZeroGrad(setToNone: false);
        Assert.All(lin.Parameters().Zip(grads), pg => Assert.Same(pg.Second, pg.First.Grad));
        Assert.All(grads, t => Assert.All(t.ToArray(), v => Assert.Equal(0f, v)));
        lin.ZeroGrad();
        Assert.All(lin.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void TrainerGivesTheSameParametersEitherWayWhenEveryParameterGetsAGradient()
    {
        float[][] Train(bool setToNone)
        {
            var g = new Generator(7);
            var model = new Sequential(new Linear(4, 8, generator: g), new ReLU(), new Linear(8, 3, generator: g));
            var x = Tensor.Randn([32, 4], g);
            var y = Tensor.FromArray(Enumerable.Range(0, 32).Select(i => (long)(i % 3)).ToArray());
            var trainer = new Trainer(model, new Adam(model.Parameters(), 0.01f)) { ZeroGradSetToNone = setToNone };
            trainer.Fit(new DataLoader(new TensorDataset(x, y), batchSize: 8), epochs: 3);
            return model.Parameters().Select(p => p.ToArray()).ToArray();
        }
        var byNull = Train(true);
        var inPlace = Train(false);
        for (int i = 0; i < byNull.Length; i++) Assert.Equal(byNull[i], inPlace[i]);
    }

    [Fact]
    public void LinearWeightGradientAddedInPlaceMatchesTheFreshOne()
    {
        var g = new Generator(11);
        var w = Tensor.Randn([5, 7], g);
        w.RequiresGrad = true;
        var b = Tensor.Randn([5], g);
        b.RequiresGrad = true;
        var x = Tensor.Randn([9, 7], g);
        var up = Tensor.Randn([9, 5], g);
        F.Linear(x, w, b).Backward(up);               // no buffer yet: the engine's own path
        var fresh = w.Grad!.ToArray();
        var buffer = w.Grad;

        F.Linear(x, w, b).Backward(up);               // buffer exists: added in place
        Assert.Same(buffer, w.Grad);
        TensorAssert.Close(fresh.Select(v => 2 * v).ToArray(), w.Grad!, what: "accumulated twice");

        var opt = new SGD([w, b], 0.1f);
        opt.ZeroGrad(setToNone: false);
        F.Linear(x, w, b).Backward(up);
        TensorAssert.Close(fresh, w.Grad!, what: "after in-place zeroing");
        TensorAssert.Close(fresh, (up.Transpose(0, 1).MatMul(x)), what: "reference gᵀ·x");
    }

    [Fact]
    public void ATiedWeightUsedThreeTimesGetsTheEngineSumInPlace()
    {
        var g = new Generator(12);
        var w = Tensor.Randn([4, 4], g);
        w.RequiresGrad = true;
        var x = Tensor.Randn([3, 4], g);
        Tensor Loss(Tensor weight) => (F.Linear(F.Linear(x, weight), weight) * F.Linear(x, weight)).Sum();

        // Reference: the weight reaches linear through an op, so linear returns its gradient to the engine.
        Loss(w * 1f).Backward();
        var viaEngine = w.Grad!.ToArray();

        foreach (var setToNone in new[] { true, false })
        {
            new SGD([w], 0.1f).ZeroGrad(setToNone);
            Loss(w).Backward(); // leaf weight: every linear adds into w.Grad directly
            TensorAssert.Close(viaEngine, w.Grad!, rtol: 1e-5, atol: 1e-5, what: $"setToNone {setToNone}");
        }
    }

    [Fact]
    public void AWeightThatDoesNotRequireGradGetsNoGradient()
    {
        // Outside backward (or for a weight that does not require grad) linear never touches Grad.
        var w = Tensor.Randn([2, 3], new Generator(2));
        var x = Tensor.Randn([4, 3], new Generator(3));
        x.RequiresGrad = true;
        F.Linear(x, w).Sum().Backward();
        Assert.Null(w.Grad);
        Assert.NotNull(x.Grad);
    }
}
