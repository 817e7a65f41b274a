using NeuroCore.Autograd;
using NeuroCore.Embeddings;
using NeuroCore.NN;

namespace NeuroCore.Tests.Embeddings;

/// <summary>A layer's output over data rows ("a model plus data"): the values of the forward pass, in batches, with clear errors.</summary>
public class NetworkActivationsTests
{
    private static Sequential Net() =>
        new(new Linear(4, 3, generator: new Generator(1)), new ReLU(), new Linear(3, 2, generator: new Generator(2)));

    [Fact]
    public void CapturesTheNamedLayersOutputForEveryRowAcrossBatches()
    {
        var net = Net();
        net.Train();
        // More rows than one batch, so the batches' outputs must be stitched in order.
        int n = NetworkActivations.BatchSize + 37;
        var g = new Generator(3);
        var x = Tensor.Randn([n, 4], g);
        var rows = EmbeddingInput.FromTensor(x);
        var relu = NetworkActivations.Capture(net, "1", rows, [4], TestContext.Current.CancellationToken);
        Assert.Equal(n, relu.Count);
        Assert.Equal(3, relu.Dimensions);
        Tensor expected;
        using (GradMode.NoGrad()) expected = new ReLU().Forward(((Linear)net[0]).Forward(x));
        var e = expected.ToArray();
        for (int i = 0; i < e.Length; i++) Assert.Equal(e[i], relu.Data[i], 5);
        Assert.True(relu.Data.Any(v => v == 0) && relu.Data.Any(v => v > 0));
        // The network's mode is restored.
        Assert.True(net.IsTraining);
        Assert.Equal(2, NetworkActivations.Capture(net, "2", rows, [4], TestContext.Current.CancellationToken).Dimensions);
    }

    [Fact]
    public void ImagesAreReshapedToTheInputShape()
    {
        var net = new Sequential(new Conv2d(1, 2, 3, generator: new Generator(1)), new Flatten());
        var rows = EmbeddingInput.FromRows(Enumerable.Range(0, 5 * 36).Select(i => (float)Math.Sin(i)).ToArray(), 5, 36);
        var out_ = NetworkActivations.Capture(net, "1", rows, [1, 6, 6], TestContext.Current.CancellationToken);
        Assert.Equal(2 * 4 * 4, out_.Dimensions);
    }

    [Fact]
    public void AWrongWidthOrAnUnknownLayerIsAClearError()
    {
        var net = Net();
        var rows = EmbeddingInput.FromRows(new float[10 * 5], 10, 5);
        var width = Assert.Throws<ArgumentException>(() => NetworkActivations.Capture(net, "1", rows, [4], TestContext.Current.CancellationToken));
        Assert.Contains("5 values per row but the network takes 4", width.Message);
        var ok = EmbeddingInput.FromRows(new float[10 * 4], 10, 4);
        var layer = Assert.Throws<ArgumentException>(() => NetworkActivations.Capture(net, "dense_9", ok, [4], TestContext.Current.CancellationToken));
        Assert.Contains("no layer named 'dense_9'", layer.Message);
        Assert.Contains("0 (Linear), 1 (ReLU), 2 (Linear)", layer.Message);
    }
}
