using NeuroCore.Data;

namespace NeuroCore.Tests.Data;

public class DataLoaderTests
{
    /// <summary>N examples; input row i is [i, 10i, 100i] and target i is i, so batches reveal which examples they hold.</summary>
    private static TensorDataset Numbered(int n)
    {
        var x = new float[n * 3];
        var y = new long[n];
        for (int i = 0; i < n; i++)
        {
            x[3 * i] = i; x[3 * i + 1] = 10 * i; x[3 * i + 2] = 100 * i;
            y[i] = i;
        }
        return new TensorDataset(Tensor.FromArray(x, n, 3), Tensor.FromArray(y, n));
    }

    /// <summary>The same data behind the generic IDataset interface (no fast path).</summary>
    private sealed class Generic(TensorDataset inner) : IDataset
    {
        public int Count => inner.Count;
        public (Tensor Input, Tensor Target) this[int index] => inner[index];
    }

    private static List<long> Targets(IEnumerable<Batch> pass) => pass.SelectMany(b => b.Targets.ToLongArray()).ToList();

    private static void AssertRowsMatchTargets(Batch b)
    {
        var x = b.Inputs.ToArray();
        var y = b.Targets.ToLongArray();
        for (int i = 0; i < y.Length; i++)
            Assert.Equal([y[i], 10f * y[i], 100f * y[i]], x[(3 * i)..(3 * i + 3)]);
    }

    [Theory]
    [InlineData(10, 3, false, 4, new[] { 3, 3, 3, 1 })]
    [InlineData(10, 3, true, 3, new[] { 3, 3, 3 })]
    [InlineData(9, 3, true, 3, new[] { 3, 3, 3 })]
    [InlineData(2, 5, false, 1, new[] { 2 })]
    [InlineData(2, 5, true, 0, new int[0])]
    [InlineData(0, 4, false, 0, new int[0])]
    public void BatchCountAndShapesFollowBatchSizeAndDropLast(int n, int batch, bool dropLast, int count, int[] sizes)
    {
        var loader = new DataLoader(Numbered(n), batch, shuffle: true, dropLast: dropLast, seed: 1);
        Assert.Equal(count, loader.BatchCount);
        var batches = loader.ToList();
        Assert.Equal(sizes, batches.Select(b => b.Inputs.Size(0)));
        foreach (var b in batches)
        {
            Assert.Equal([b.Inputs.Size(0), 3], b.Inputs.Shape);
            Assert.Equal([b.Inputs.Size(0)], b.Targets.Shape);
            Assert.Equal(DType.Int64, b.Targets.DType);
            AssertRowsMatchTargets(b);
        }
    }

    [Fact]
    public void WithoutShuffleBatchesAreInOrder()
    {
        var loader = new DataLoader(Numbered(7), 3);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), Targets(loader));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), Targets(loader)); // every pass
    }

    [Fact]
    public void EveryExampleAppearsExactlyOncePerShuffledPass()
    {
        var loader = new DataLoader(Numbered(103), 10, shuffle: true, seed: 5);
        for (int pass = 0; pass < 3; pass++)
        {
            var seen = Targets(loader);
            Assert.Equal(103, seen.Count);
            Assert.Equal(Enumerable.Range(0, 103).Select(i => (long)i), seen.Order());
            Assert.NotEqual(Enumerable.Range(0, 103).Select(i => (long)i), seen); // actually shuffled
        }
    }

    [Fact]
    public void DropLastDropsOnlyTheIncompleteTail()
    {
        var seen = Targets(new DataLoader(Numbered(103), 10, shuffle: true, dropLast: true, seed: 2));
        Assert.Equal(100, seen.Count);
        Assert.Equal(100, seen.Distinct().Count());
    }

    [Fact]
    public void ShuffleIsReproducibleBySeedAndDiffersAcrossPasses()
    {
        var a = new DataLoader(Numbered(50), 8, shuffle: true, seed: 42);
        var b = new DataLoader(Numbered(50), 8, shuffle: true, seed: 42);
        var c = new DataLoader(Numbered(50), 8, shuffle: true, seed: 43);
        var a0 = Targets(a); var a1 = Targets(a);
        var b0 = Targets(b); var b1 = Targets(b);
        Assert.Equal(a0, b0);
        Assert.Equal(a1, b1);
        Assert.NotEqual(a0, a1);
        Assert.NotEqual(a0, Targets(c));
    }

    [Fact]
    public void PassKCanBeRegeneratedBySettingEpoch()
    {
        var a = new DataLoader(Numbered(40), 8, shuffle: true, seed: 9);
        var passes = Enumerable.Range(0, 4).Select(_ => Targets(a)).ToList();
        var resumed = new DataLoader(Numbered(40), 8, shuffle: true, seed: 9) { Epoch = 3 };
        Assert.Equal(passes[3], Targets(resumed));
        Assert.Equal(4, resumed.Epoch);
        Assert.Equal(passes[2].Select(v => (int)v), a.Order(2));
    }

    [Fact]
    public void FastPathAndGenericPathProduceIdenticalBatches()
    {
        var data = Numbered(37);
        var fast = new DataLoader(data, 6, shuffle: true, seed: 3).ToList();
        var slow = new DataLoader(new Generic(data), 6, shuffle: true, seed: 3).ToList();
        Assert.Equal(fast.Count, slow.Count);
        for (int i = 0; i < fast.Count; i++)
        {
            Assert.Equal(fast[i].Inputs.Shape, slow[i].Inputs.Shape);
            Assert.Equal(fast[i].Inputs.ToArray(), slow[i].Inputs.ToArray());
            Assert.Equal(fast[i].Targets.ToLongArray(), slow[i].Targets.ToLongArray());
        }
    }

    [Fact]
    public void SubsetsOfTensorDatasetsUseTheRightRows()
    {
        var data = Numbered(20);
        var subset = new Subset(new Subset(data, [19, 3, 5, 7, 11, 13]), [5, 0, 2]); // → 13, 19, 5
        var batches = new DataLoader(subset, 2).ToList();
        Assert.Equal([13L, 19L, 5L], Targets(batches));
        foreach (var b in batches) AssertRowsMatchTargets(b);
    }

    [Fact]
    public void BatchesAreCopiesNotViewsOfTheDataset()
    {
        var data = Numbered(4);
        var batch = new DataLoader(data, 4).First();
        batch.Inputs[0, 0] = 999f;
        Assert.Equal(0f, data.Inputs[0, 0]);
    }

    [Fact]
    public void MultiDimensionalInputsAndTargetsKeepTheirTrailingShape()
    {
        var x = Tensor.Arange(2 * 3 * 4 * 5).Reshape(2 * 3, 4, 5); // 6 examples of [4, 5]
        var y = Tensor.Arange(6 * 2).Reshape(6, 2);                   // float targets [6, 2]
        var batches = new DataLoader(new TensorDataset(x, y), 4, shuffle: true, seed: 0).ToList();
        Assert.Equal([4, 4, 5], batches[0].Inputs.Shape);
        Assert.Equal([2, 4, 5], batches[1].Inputs.Shape);
        Assert.Equal([4, 2], batches[0].Targets.Shape);
        foreach (var b in batches)
            for (int i = 0; i < b.Inputs.Size(0); i++)
            {
                int example = (int)b.Targets[i, 0] / 2;
                Assert.Equal(example * 20f, b.Inputs[i, 0, 0]);
                Assert.Equal(example * 20f + 19, b.Inputs[i, 3, 4]);
            }
    }

    [Fact]
    public void GenericPathRejectsExamplesOfDifferentShapes()
    {
        var ragged = new Ragged();
        var e = Assert.Throws<InvalidOperationException>(() => new DataLoader(ragged, 2).ToList());
        Assert.Contains("[3]", e.Message);
        Assert.Contains("[2]", e.Message);
    }

    private sealed class Ragged : IDataset
    {
        public int Count => 2;
        public (Tensor Input, Tensor Target) this[int index] =>
            (Tensor.Zeros(index == 0 ? 2 : 3), Tensor.FromArray([0L]));
    }

    [Fact]
    public void ScalarExamplesStackIntoVectors()
    {
        var batch = new DataLoader(new Scalars(), 3).First();
        Assert.Equal([3], batch.Inputs.Shape);
        Assert.Equal([0f, 1f, 2f], batch.Inputs.ToArray());
        Assert.Equal([0L, 2L, 4L], batch.Targets.ToLongArray());
    }

    private sealed class Scalars : IDataset
    {
        public int Count => 5;
        public (Tensor Input, Tensor Target) this[int index] =>
            (Tensor.Scalar(index), Tensor.FromArray([2L * index]).Reshape());
    }

    [Fact]
    public void ConstructorRejectsBadArguments()
    {
        Assert.Throws<ArgumentNullException>(() => new DataLoader(null!, 4));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(Numbered(3), 0));
        Assert.Contains("batchSize", e.Message);
    }
}
