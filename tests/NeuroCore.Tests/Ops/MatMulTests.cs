using NeuroCore.Tests.Infrastructure;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Tests.Ops;

public class MatMulTests
{
    private static Tensor Rand(int seed, params int[] shape) => Tensor.Randn(shape, new Generator(seed));

    private static Tensor Leaf(int seed, params int[] shape)
    {
        var t = Rand(seed, shape);
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>Naive reference for 2-D a·b in double.</summary>
    private static double[] Reference(float[] a, float[] b, int m, int k, int n)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)a[i * k + p] * b[p * n + j];
                c[i * n + j] = s;
            }
        return c;
    }

    [Fact]
    public void TwoDimensionalMatchesReference()
    {
        var a = Rand(1, 37, 53);
        var b = Rand(2, 53, 29);
        var y = a.MatMul(b);
        TensorAssert.ShapeIs(y, 37, 29);
        TensorAssert.Close(Reference(a.ToArray(), b.ToArray(), 37, 53, 29), y.ToArray(), 1e-5, 1e-5, "matmul");
    }

    [Fact]
    public void TransposedAndSlicedViewsAreReadInPlaceCorrectly()
    {
        // a is a transposed view, b a column slice (leading dimension larger than its width).
        var aStore = Rand(3, 40, 33);
        var bStore = Rand(4, 40, 50);
        var a = aStore.T;                    // [33, 40], stride (1, 33)
        var b = bStore.Narrow(1, 5, 21);     // [40, 21], stride (50, 1)
        var y = a.MatMul(b);
        TensorAssert.Close(Reference(a.Contiguous().ToArray(), b.Contiguous().ToArray(), 33, 40, 21), y.ToArray(), 1e-5, 1e-5, "views");
    }

    [Fact]
    public void BatchedWithBroadcastBatchDimsMatchesPerBatchProducts()
    {
        var a = Rand(5, 2, 1, 6, 7);   // batch [2, 1]
        var b = Rand(6, 3, 7, 5);      // batch [3]  -> result batch [2, 3]
        var y = a.MatMul(b);
        TensorAssert.ShapeIs(y, 2, 3, 6, 5);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
            {
                var want = Reference(a.Narrow(0, i, 1).Contiguous().ToArray(), b.Narrow(0, j, 1).Contiguous().ToArray(), 6, 7, 5);
                TensorAssert.Close(want, y.Narrow(0, i, 1).Narrow(1, j, 1).ToArray(), 1e-5, 1e-5, $"batch ({i},{j})");
            }
    }

    [Fact]
    public void OneDimensionalOperandsArePromotedAndTheDimensionRemoved()
    {
        var v = Rand(7, 4);
        var m = Rand(8, 4, 3);
        TensorAssert.ShapeIs(v.MatMul(m), 3);
        TensorAssert.ShapeIs(m.T.MatMul(v), 3);
        TensorAssert.ShapeIs(v.MatMul(v), []);
        var vd = v.ToArray();
        Assert.Equal(vd.Sum(x => (double)x * x), v.MatMul(v).Item(), 4);
        TensorAssert.ShapeIs(Rand(9, 2, 5, 4).MatMul(v), 2, 5);
    }

    [Fact]
    public void MismatchedInnerDimensionsNameTheShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Rand(1, 2, 3).MatMul(Rand(2, 4, 5)));
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4, 5]", ex.Message);
    }

    [Fact]
    public void EmptyInnerDimensionGivesZeros()
    {
        var y = Tensor.Zeros(3, 0).MatMul(Tensor.Zeros(0, 2));
        TensorAssert.Close(new float[6], y);
    }

    // dL/dA = g·Bᵀ, dL/dB = Aᵀ·g (summed over broadcast batch dimensions)
    [Fact]
    public void GradCheck2D() => GradCheck.Check(t => t[0].MatMul(t[1]), [Leaf(1, 5, 7), Leaf(2, 7, 3)]);

    [Fact]
    public void GradCheckBatchedBroadcast() => GradCheck.Check(t => t[0].MatMul(t[1]), [Leaf(3, 2, 1, 3, 4), Leaf(4, 3, 4, 2)]);

    [Fact]
    public void GradCheckBatchedTimesMatrix() => GradCheck.Check(t => t[0].MatMul(t[1]), [Leaf(5, 3, 4, 5), Leaf(6, 5, 2)]);

    [Fact]
    public void GradCheckMatrixTimesBatched() => GradCheck.Check(t => t[0].MatMul(t[1]), [Leaf(7, 4, 5), Leaf(8, 3, 5, 2)]);

    [Fact]
    public void GradCheckVectorCases()
    {
        GradCheck.Check(t => t[0].MatMul(t[1]), [Leaf(9, 4), Leaf(10, 4, 3)]);
        GradCheck.Check(t => t[0].MatMul(t[1]), [Leaf(11, 3, 4), Leaf(12, 4)]);
        GradCheck.Check(t => t[0].MatMul(t[1]), [Leaf(13, 6), Leaf(14, 6)]);
    }

    [Fact]
    public void GradCheckThroughTransposedViews() =>
        GradCheck.Check(t => t[0].T.MatMul(t[1].T), [Leaf(15, 6, 4), Leaf(16, 3, 6)]);

    [Fact]
    public void LinearMatchesMatMulPlusBias()
    {
        var x = Rand(1, 2, 5, 10);
        var w = Rand(2, 4, 10);
        var b = Rand(3, 4);
        var y = F.Linear(x, w, b);
        TensorAssert.ShapeIs(y, 2, 5, 4);
        var want = (x.MatMul(w.T) + b).ToArray();
        TensorAssert.Close(Array.ConvertAll(want, v => (double)v), y.ToArray(), 1e-5, 1e-5, "linear");
    }

    // dx = g·W, dW = gᵀ·x, db = Σ_rows g
    [Fact]
    public void GradCheckLinear()
    {
        GradCheck.Check(t => F.Linear(t[0], t[1], t[2]), [Leaf(1, 6, 10), Leaf(2, 4, 10), Leaf(3, 4)]);
        GradCheck.Check(t => F.Linear(t[0], t[1]), [Leaf(4, 2, 3, 5), Leaf(5, 7, 5)]);
        GradCheck.Check(t => F.Linear(t[0], t[1], t[2]), [Leaf(6, 5), Leaf(7, 3, 5), Leaf(8, 3)]);
    }

    [Fact]
    public void GradCheckLinearWithTransposedWeightView() =>
        GradCheck.Check(t => F.Linear(t[0], t[1].T, t[2]), [Leaf(9, 4, 6), Leaf(10, 6, 3), Leaf(11, 3)]);

    [Fact]
    public void LinearShapeErrorsNameTheShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.Linear(Rand(1, 3, 5), Rand(2, 4, 6)));
        Assert.Contains("[3, 5]", ex.Message);
        Assert.Contains("[4, 6]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => F.Linear(Rand(1, 3, 6), Rand(2, 4, 6), Rand(3, 5)));
        Assert.Contains("bias", ex.Message);
    }
}
