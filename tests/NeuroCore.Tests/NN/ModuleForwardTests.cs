using NeuroCore.NN;
using NeuroCore.Tests.Infrastructure;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Tests.NN;

/// <summary>The layers delegate to the functional ops with their own parameters, and honour train/eval mode.</summary>
public class ModuleForwardTests
{
    [Fact]
    public void LinearComputesInputTimesWeightTransposedPlusBias()
    {
        var layer = new Linear(3, 2);
        layer.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.FromArray([1f, 2f, 3f, -1f, 0f, 1f], 2, 3),
            ["bias"] = Tensor.FromArray([0.5f, -0.5f]),
        });
        var y = layer.Call(Tensor.FromArray([1f, 1f, 1f, 2f, 0f, -1f], 2, 3));
        // row 1: [1+2+3, -1+0+1] + b; row 2: [2-3, -2-1] + b
        TensorAssert.Close([6.5f, -0.5f, -0.5f, -3.5f], y);
        y.Sum().Backward();
        TensorAssert.Close([3f, 1f, 0f, 3f, 1f, 0f], layer.Weight.Grad!);
        TensorAssert.Close([2f, 2f], layer.Bias!.Grad!);
    }

    [Fact]
    public void BatchNormUpdatesRunningStatisticsInTrainingAndUsesThemInEval()
    {
        var bn = new BatchNorm1d(2, momentum: 0.5f);
        var x = Tensor.FromArray([1f, 10f, 3f, 30f], 2, 2);
        var y = bn.Call(x);
        // Batch statistics: means (2, 20); each column normalizes to ±1 (biased variance 1 and 100).
        TensorAssert.Close([-1f, -1f, 1f, 1f], y, rtol: 1e-3, atol: 1e-3);
        Assert.Equal(1, bn.NumBatchesTracked);
        // running = (1 − m)·running + m·batch, with the unbiased variance (2 and 200).
        TensorAssert.Close([1f, 10f], bn.RunningMean);
        TensorAssert.Close([1.5f, 100.5f], bn.RunningVar);

        bn.Eval();
        var e = bn.Call(Tensor.FromArray([1f, 10f], 1, 2));
        TensorAssert.Close([0f, 0f], e, atol: 1e-4);
        Assert.Equal(1, bn.NumBatchesTracked); // eval mode does not count batches
    }

    [Fact]
    public void DropoutIsTheIdentityInEvalModeAndScalesSurvivorsInTraining()
    {
        var drop = new Dropout(0.5f, seed: 3);
        var x = Tensor.Ones(1000);
        var y = drop.Call(x).ToArray();
        Assert.All(y, v => Assert.True(v == 0f || v == 2f));
        Assert.InRange(y.Count(v => v == 0f), 400, 600);
        drop.Eval();
        Assert.Equal(x.ToArray(), drop.Call(x).ToArray());
    }

    [Fact]
    public void LayerNormAndEmbeddingUseTheirParameters()
    {
        var ln = new LayerNorm(4);
        var y = ln.Call(Tensor.FromArray([1f, 2f, 3f, 4f], 1, 4));
        TensorAssert.Close(F.LayerNorm(Tensor.FromArray([1f, 2f, 3f, 4f], 1, 4), null, null).ToArray(), y);
        Assert.Throws<ArgumentException>(() => ln.Call(Tensor.Zeros(2, 3)));

        var emb = new Embedding(5, 3, new Generator(0));
        var rows = emb.Call(Tensor.FromArray([4L, 0L]));
        TensorAssert.ShapeIs(rows, 2, 3);
        Assert.Equal(emb.Weight.Narrow(0, 4, 1).ToArray(), rows.Narrow(0, 0, 1).ToArray());
    }

    [Fact]
    public void ActivationModulesMatchTheTensorOps()
    {
        var x = Tensor.FromArray([-2f, -0.5f, 0f, 0.5f, 2f]);
        Assert.Equal(x.Relu().ToArray(), new ReLU().Call(x).ToArray());
        Assert.Equal(x.LeakyRelu(0.2f).ToArray(), new LeakyReLU(0.2f).Call(x).ToArray());
        Assert.Equal(x.Gelu(GeluApproximation.Tanh).ToArray(), new GELU(GeluApproximation.Tanh).Call(x).ToArray());
        Assert.Equal(x.Tanh().ToArray(), new Tanh().Call(x).ToArray());
        Assert.Equal(x.Sigmoid().ToArray(), new Sigmoid().Call(x).ToArray());
        Assert.Equal(x.Softmax(0).ToArray(), new Softmax(0).Call(x).ToArray());
        Assert.Equal(x.LogSoftmax(0).ToArray(), new LogSoftmax(0).Call(x).ToArray());
        Assert.Equal(1f, new Softmax().Call(x).Sum().Item(), 5);
    }

    [Fact]
    public void ConvAndPoolingProduceTheDocumentedShapes()
    {
        var x = Tensor.Zeros(2, 1, 28, 28);
        var cnn = new Sequential(
            new Conv2d(1, 16, 3), new ReLU(), new MaxPool2d(2),
            new Conv2d(16, 32, 3, padding: 1), new ReLU(), new AvgPool2d(2),
            new Flatten(), new Linear(32 * 6 * 6, 10));
        var y = cnn.Call(x);
        TensorAssert.ShapeIs(y, 2, 10);
        var conv = (Conv2d)cnn[0];
        TensorAssert.Close(F.Conv2d(x, conv.Weight, conv.Bias).ToArray(), conv.Call(x));
    }
}
