using NeuroCore.NN;

namespace NeuroCore.Tests.NN;

/// <summary>
/// Sequential runs Linear→ReLU and Conv2d→ReLU as one fused op when nothing observes the pair; the result
/// must be exactly what the two modules give on their own.
/// </summary>
public class FusionTests
{
    private static Sequential Model(Generator g) => new(
        new Conv2d(2, 4, 3, generator: g), new ReLU(), new MaxPool2d(2),
        new Conv2d(4, 6, 3, padding: 1, generator: g), new ReLU(),
        new Flatten(), new Linear(6 * 3 * 3, 12, generator: g), new ReLU(), new Linear(12, 5, generator: g), new ReLU());

    private static (float[] Output, string? GradFn, List<float[]> Grads, float[] InputGrad) Run(bool observeRelus)
    {
        var model = Model(new Generator(21));
        if (observeRelus)
            foreach (var relu in model.Layers.OfType<ReLU>()) relu.RegisterForwardHook((_, _, _) => { });
        var x = Tensor.Randn([3, 2, 8, 8], new Generator(22));
        x.RequiresGrad = true;
        var y = model.Call(x);
        // Weighted so that every output element gets a different gradient.
        (y * Tensor.Randn([3, 5], new Generator(23))).Sum().Backward();
        return (y.ToArray(), y.GradFnName, model.Parameters().Select(p => p.Grad!.ToArray()).ToList(), x.Grad!.ToArray());
    }

    [Fact]
    public void FusedPairsGiveTheSameValuesAndGradientsAsTheModulesOneByOne()
    {
        var fused = Run(observeRelus: false);
        var separate = Run(observeRelus: true);
        Assert.Equal("linear_relu", fused.GradFn); // the fused path really ran
        Assert.Equal("relu", separate.GradFn);
        Assert.Contains(fused.Output, v => v == 0); // some outputs were clipped, so the mask matters
        Assert.Equal(separate.Output, fused.Output);
        Assert.Equal(separate.InputGrad, fused.InputGrad);
        for (int i = 0; i < separate.Grads.Count; i++) Assert.Equal(separate.Grads[i], fused.Grads[i]);
    }

    [Fact]
    public void AHookOnTheLayerSeesThePreActivationOutput()
    {
        // With a hook on the Linear, the pair is not fused and the hook sees values below zero.
        var g = new Generator(5);
        var linear = new Linear(4, 16, generator: g);
        var model = new Sequential(linear, new ReLU());
        Tensor? seen = null;
        using var _ = linear.RegisterForwardHook((_, _, output) => seen = output);
        var y = model.Call(Tensor.Randn([8, 4], g));
        Assert.Contains(seen!.ToArray(), v => v < 0);
        Assert.DoesNotContain(y.ToArray(), v => v < 0);
    }
}
