using NeuroCore.NN;
using NeuroCore.Tests.Infrastructure;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Tests.NN;

/// <summary>Whole models built from the layers backpropagate into every parameter correctly (finite differences).</summary>
public class ModelGradientTests
{
    [Fact]
    public void SmallCnnGradientsMatchFiniteDifferences()
    {
        // Smooth activations and average pooling: no kinks for the finite differences to straddle.
        var g = new Generator(3);
        var model = new Sequential(
            new Conv2d(1, 3, 3, generator: g), new Tanh(), new AvgPool2d(2),
            new Conv2d(3, 4, 3, padding: 1, generator: g), new Sigmoid(),
            new Flatten(), new Linear(4 * 3 * 3, 5, generator: g), new LayerNorm(5));
        var x = Tensor.Randn([2, 1, 8, 8], g);
        Tensor[] inputs = [x, .. model.Parameters()];
        GradCheck.Check(_ => model.Call(x), inputs, h: 1e-2);
    }

    [Fact]
    public void BatchGradientOfTheSampleCnnIsTheSumOfPerExampleGradients()
    {
        // Mean cross entropy × N over a batch of 64 must give Σ of the 64 single-example gradients: catches
        // batch-dependent errors (parallel or grouped accumulation) that small finite-difference cases miss.
        var g = new Generator(4);
        var model = new Sequential(
            new Conv2d(1, 16, 3, generator: g), new ReLU(), new MaxPool2d(2),
            new Conv2d(16, 32, 3, generator: g), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Linear(800, 10, generator: g));
        const int n = 64;
        var x = Tensor.Rand([n, 1, 28, 28], g);
        var y = Tensor.FromArray(Enumerable.Range(0, n).Select(i => (long)(i % 10)).ToArray());
        model.ZeroGrad();
        (F.CrossEntropy(model.Call(x), y) * (float)n).Backward();
        var batch = model.Parameters().Select(p => p.Grad!.ToArray()).ToArray();

        var sum = model.Parameters().Select(p => new double[p.Numel]).ToArray();
        for (int i = 0; i < n; i++)
        {
            model.ZeroGrad();
            F.CrossEntropy(model.Call(x.Narrow(0, i, 1)), y.Narrow(0, i, 1)).Backward();
            int k = 0;
            foreach (var p in model.Parameters())
            {
                var grad = p.Grad!.ToArray();
                for (int j = 0; j < grad.Length; j++) sum[k][j] += grad[j];
                k++;
            }
        }
        var names = model.NamedParameters().Select(p => p.Name).ToArray();
        for (int k = 0; k < batch.Length; k++)
            TensorAssert.Close(sum[k], batch[k], 1e-3, 1e-4, $"gradient of {names[k]}");
    }
}
