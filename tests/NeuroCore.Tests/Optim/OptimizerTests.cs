using NeuroCore.Tests.Infrastructure;
using NeuroCore.Optim;

namespace NeuroCore.Tests.Optim;

public class OptimizerTests
{
    private static Tensor Param(params float[] values)
    {
        var p = Tensor.FromArray(values);
        p.RequiresGrad = true;
        return p;
    }

    [Fact]
    public void SgdStepIsParameterMinusLrTimesGradient()
    {
        var p = Param(1f, 2f, -3f);
        var sgd = new SGD([p], learningRate: 0.1f);
        p.Grad = Tensor.FromArray([0.5f, -1f, 0f]);
        sgd.Step();
        TensorAssert.Close([0.95f, 2.1f, -3f], p);
        Assert.Equal(1, sgd.StepCount);
    }

    [Fact]
    public void SgdMomentumAccumulatesVelocityWithDampening()
    {
        // b1 = g1 (first step, no dampening applied); b2 = μ·b1 + (1 − τ)·g2; p -= lr·b each step.
        var p = Param(1f);
        var sgd = new SGD([p], learningRate: 0.5f, momentum: 0.9f, dampening: 0.5f);
        p.Grad = Tensor.FromArray([2f]);
        sgd.Step(); // p = 1 − 0.5·2 = 0
        p.Grad = Tensor.FromArray([1f]);
        sgd.Step(); // b = 0.9·2 + 0.5·1 = 2.3; p = 0 − 0.5·2.3 = −1.15
        TensorAssert.Close([-1.15f], p);
    }

    [Fact]
    public void SgdNesterovAndWeightDecay()
    {
        // d = g + λp = 1 + 0.1·2 = 1.2; b = 1.2; nesterov d = d + μb = 1.2 + 0.9·1.2 = 2.28; p = 2 − 0.1·2.28
        var p = Param(2f);
        var sgd = new SGD([p], learningRate: 0.1f, momentum: 0.9f, weightDecay: 0.1f, nesterov: true);
        p.Grad = Tensor.FromArray([1f]);
        sgd.Step();
        TensorAssert.Close([2f - 0.228f], p);
    }

    [Fact]
    public void AdamFirstStepMovesEachParameterByLearningRateAgainstTheGradientSign()
    {
        // After bias correction m̂ = g and v̂ = g², so the first update is lr·g/(|g| + ε) ≈ lr·sign(g).
        var p = Param(0f, 0f, 0f);
        var adam = new Adam([p], learningRate: 0.01f);
        p.Grad = Tensor.FromArray([3f, -0.001f, 100f]);
        adam.Step();
        TensorAssert.Close([-0.01f, 0.01f, -0.01f], p, rtol: 1e-4, atol: 1e-6);
    }

    [Fact]
    public void AdamWeightDecayIsAddedToTheGradientButAdamWDecaysTheParameter()
    {
        // With a zero gradient Adam's L2 term makes g = λp, so the step is ≈ lr·sign(p);
        // AdamW leaves the gradient at zero (update 0) and shrinks p by (1 − lr·λ).
        var a = Param(2f, -4f);
        var adam = new Adam([a], learningRate: 0.1f, weightDecay: 0.5f);
        a.Grad = Tensor.Zeros(2);
        adam.Step();
        TensorAssert.Close([1.9f, -3.9f], a, rtol: 1e-5);

        var w = Param(2f, -4f);
        var adamw = new AdamW([w], learningRate: 0.1f, weightDecay: 0.5f);
        w.Grad = Tensor.Zeros(2);
        adamw.Step();
        TensorAssert.Close([2f * 0.95f, -4f * 0.95f], w, rtol: 1e-6);
    }

    [Fact]
    public void ParametersWithoutGradientAreLeftAlone()
    {
        var a = Param(1f);
        var b = Param(5f);
        var adam = new Adam([a, b], learningRate: 0.1f);
        a.Grad = Tensor.FromArray([1f]);
        adam.Step();
        Assert.Equal(5f, b[0]);
        Assert.NotEqual(1f, a[0]);
    }

    [Fact]
    public void ZeroGradClearsEveryGradient()
    {
        var a = Param(1f);
        var sgd = new SGD([a], 0.1f);
        a.Grad = Tensor.FromArray([1f]);
        sgd.ZeroGrad();
        Assert.Null(a.Grad);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("sgd-nesterov-decay")]
    [InlineData("adam")]
    [InlineData("adam-decay")]
    [InlineData("adamw")]
    public void StepsAfterTheFirstDoNotAllocate(string kind)
    {
        var ps = new[] { Param(new float[300]), Param(new float[7]), Param(new float[1000]) };
        Optimizer opt = kind switch
        {
            "sgd" => new SGD(ps, 0.1f, momentum: 0.9f),
            "sgd-nesterov-decay" => new SGD(ps, 0.1f, momentum: 0.9f, weightDecay: 0.01f, nesterov: true),
            "adam" => new Adam(ps),
            "adam-decay" => new Adam(ps, weightDecay: 0.1f),
            _ => new AdamW(ps),
        };
        foreach (var p in ps) p.Grad = Tensor.OnesLike(p);
        for (int i = 0; i < 3; i++) opt.Step(); // first step allocates state; warm up the JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) opt.Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void InvalidHyperParametersAreRejectedWithTheirName()
    {
        var p = Param(1f);
        Assert.Contains("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new SGD([p], -1f)).Message);
        Assert.Contains("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new SGD([p], 0.1f, momentum: -0.5f)).Message);
        Assert.Contains("Nesterov", Assert.Throws<ArgumentException>(() => new SGD([p], 0.1f, nesterov: true)).Message);
        Assert.Contains("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], beta1: 1f)).Message);
        Assert.Contains("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([p], beta2: -0.1f)).Message);
        Assert.Contains("eps", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], eps: float.NaN)).Message);
        Assert.Contains("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([p], weightDecay: -1f)).Message);
        Assert.Throws<ArgumentException>(() => new Adam([p, p]));
        Assert.Throws<ArgumentException>(() => new Adam([]));
        Assert.Throws<ArgumentException>(() => new Adam([Tensor.Zeros(2)])); // not requiring grad
    }

    [Fact]
    public void GradientOfTheWrongShapeIsAClearError()
    {
        var p = Param(1f, 2f);
        var sgd = new SGD([p], 0.1f);
        p.Grad = Tensor.Zeros(3);
        var e = Assert.Throws<InvalidOperationException>(sgd.Step);
        Assert.Contains("[3]", e.Message);
        Assert.Contains("[2]", e.Message);
    }
}
