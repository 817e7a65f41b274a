using NeuroCore.Tests.Infrastructure;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Tests.NN.Functional;

/// <summary>Size-0 inputs: every kernel must cope with nothing to do, and the results follow PyTorch.</summary>
public class EmptyInputTests
{
    private static Tensor Leaf(params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        t.RequiresGrad = true;
        return t;
    }

    [Fact]
    public void MeanLossesOfNoElementsAreNaNAndBackwardGivesEmptyGradients()
    {
        // PyTorch: the mean of nothing is 0/0 = nan.
        var logits = Leaf(0, 3);
        var ce = F.CrossEntropy(logits, Tensor.FromArray(Array.Empty<long>(), 0));
        Assert.True(float.IsNaN(ce.Item()));
        ce.Backward();
        TensorAssert.ShapeIs(logits.Grad!, 0, 3);

        var x = Leaf(0);
        var bce = F.BinaryCrossEntropyWithLogits(x, Tensor.Zeros(0));
        Assert.True(float.IsNaN(bce.Item()));
        bce.Backward();
        TensorAssert.ShapeIs(x.Grad!, 0);

        Assert.True(float.IsNaN(F.NllLoss(Tensor.Zeros(0, 2), Tensor.FromArray(Array.Empty<long>(), 0)).Item()));
    }

    [Fact]
    public void NormalizationOfEmptyBatchesGivesEmptyOutputs()
    {
        var x = Leaf(0, 4);
        var y = F.LayerNorm(x, Tensor.Ones(4), Tensor.Zeros(4));
        TensorAssert.ShapeIs(y, 0, 4);
        y.Sum().Backward();
        TensorAssert.ShapeIs(x.Grad!, 0, 4);

        TensorAssert.ShapeIs(F.LayerNorm(Tensor.Zeros(3, 0), null, null), 3, 0);

        var runningMean = Tensor.FromArray([1f, 2]);
        var runningVar = Tensor.FromArray([3f, 4]);
        var b = F.BatchNorm(Tensor.Zeros(0, 2, 5), runningMean, runningVar, null, null, training: true);
        TensorAssert.ShapeIs(b, 0, 2, 5);
        // Nothing was seen, so the running statistics must not move (a NaN batch mean would poison them).
        TensorAssert.Close([1f, 2], runningMean);
        TensorAssert.Close([3f, 4], runningVar);
    }

    [Fact]
    public void DropoutOfNothingIsNothing()
    {
        var x = Leaf(0, 3);
        var y = F.Dropout(x, 0.5f, true, new Generator(1));
        TensorAssert.ShapeIs(y, 0, 3);
        y.Sum().Backward();
        TensorAssert.ShapeIs(x.Grad!, 0, 3);
    }

    [Fact]
    public void EmbeddingWithEmptyRowsWorks()
    {
        // D = 0: every lookup is an empty row.
        var y = F.Embedding(Tensor.FromArray([0L, 1], 2), Tensor.Zeros(2, 0));
        TensorAssert.ShapeIs(y, 2, 0);
    }
}
