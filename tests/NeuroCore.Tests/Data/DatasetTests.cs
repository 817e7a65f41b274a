using NeuroCore.Data;

namespace NeuroCore.Tests.Data;

public class DatasetTests
{
    [Fact]
    public void TensorDatasetIndexesRowsOfBothTensors()
    {
        var ds = new TensorDataset(Tensor.FromArray([1f, 2, 3, 4, 5, 6], 3, 2), Tensor.FromArray([7L, 8, 9]));
        Assert.Equal(3, ds.Count);
        var (x, y) = ds[2];
        Assert.Equal([2], x.Shape);
        Assert.Equal([5f, 6f], x.ToArray());
        Assert.Equal(0, y.Rank);
        Assert.Equal(9L, y.GetLong());
        Assert.Throws<ArgumentOutOfRangeException>(() => ds[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ds[-1]);
    }

    [Fact]
    public void TensorDatasetRejectsMismatchedFirstDimensions()
    {
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset(Tensor.Zeros(4, 2), Tensor.FromArray([1L, 2, 3])));
        Assert.Contains("[4, 2]", e.Message);
        Assert.Contains("[3]", e.Message);
        Assert.Throws<ArgumentException>(() => new TensorDataset(Tensor.Scalar(1f), Tensor.Scalar(1f)));
    }

    [Fact]
    public void TensorDatasetStoresNonContiguousInputsContiguously()
    {
        var m = Tensor.FromArray([1f, 2, 3, 4, 5, 6], 2, 3);
        var t = m.ViewOf([3, 2], [1, 3], 0); // transpose view
        var ds = new TensorDataset(t, Tensor.FromArray([0L, 1, 2]));
        Assert.True(ds.Inputs.IsContiguous);
        Assert.Equal([2f, 5f], ds[1].Input.ToArray());
    }

    [Fact]
    public void SubsetMapsIndicesAndValidatesThem()
    {
        var ds = new TensorDataset(Tensor.Arange(5).Reshape(5, 1), Tensor.FromArray([0L, 1, 2, 3, 4]));
        var s = new Subset(ds, [4, 1]);
        Assert.Equal(2, s.Count);
        Assert.Equal(4L, s[0].Target.GetLong());
        Assert.Equal(1f, s[1].Input[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Subset(ds, [5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => s[2]);
    }

    [Fact]
    public void RandomSplitPartitionsTheDatasetReproducibly()
    {
        var ds = new TensorDataset(Tensor.Zeros(103, 1), Tensor.FromArray(Enumerable.Range(0, 103).Select(i => (long)i).ToArray()));
        var parts = Subset.RandomSplit(ds, [0.7, 0.2, 0.1], seed: 4);
        // floor(72.1) = 72, floor(20.6) = 20, floor(10.3) = 10 → 1 left over goes to the first part.
        Assert.Equal([73, 20, 10], parts.Select(p => p.Count));
        var all = parts.SelectMany(p => p.Indices).ToList();
        Assert.Equal(Enumerable.Range(0, 103), all.Order());
        Assert.Equal(parts[1].Indices, Subset.RandomSplit(ds, [0.7, 0.2, 0.1], seed: 4)[1].Indices);
        Assert.NotEqual(parts[1].Indices, Subset.RandomSplit(ds, [0.7, 0.2, 0.1], seed: 5)[1].Indices);
        Assert.Equal([50, 53], Subset.RandomSplit(ds, [50, 53]).Select(p => p.Count));
    }

    [Fact]
    public void RandomSplitRejectsFractionsThatDoNotSumToOne()
    {
        var ds = new TensorDataset(Tensor.Zeros(10, 1), Tensor.FromArray(new long[10]));
        Assert.Throws<ArgumentException>(() => Subset.RandomSplit(ds, [0.5, 0.4]));
        Assert.Throws<ArgumentException>(() => Subset.RandomSplit(ds, [1.5, -0.5]));
        Assert.Throws<ArgumentException>(() => Subset.RandomSplit(ds, [5, 4]));
    }

    [Fact]
    public void StandardizerFitsOnTrainAndAppliesTheSameStatsToTest()
    {
        // Feature 0: 1, 3, 5 → mean 3, population std sqrt(8/3); feature 1 is constant 7 → std 1.
        var train = Tensor.FromArray([1f, 7, 3, 7, 5, 7], 3, 2);
        var s = Standardizer.Fit(train);
        Assert.Equal([3f, 7f], s.Mean);
        Assert.Equal((float)Math.Sqrt(8.0 / 3), s.Std[0], 6);
        Assert.Equal(1f, s.Std[1]);

        var z = s.Transform(train).ToArray();
        Assert.Equal(0f, z[2], 6);
        Assert.Equal(-(float)(2 / Math.Sqrt(8.0 / 3)), z[0], 5);
        Assert.Equal(0f, z[1]);

        var test = s.Transform(Tensor.FromArray([3f, 9f], 1, 2)).ToArray();
        Assert.Equal([0f, 2f], test);

        Assert.Throws<ArgumentException>(() => s.Transform(Tensor.Zeros(2, 3)));
    }

    [Fact]
    public void StandardizedTrainingFeaturesHaveZeroMeanAndUnitStd()
    {
        var data = SyntheticData.Blobs(500, 3, std: 2f, seed: 1);
        var s = Standardizer.Fit(data);
        var z = s.Transform(data);
        var x = z.Inputs.ToArray();
        for (int j = 0; j < 2; j++)
        {
            var col = Enumerable.Range(0, 500).Select(i => (double)x[2 * i + j]).ToArray();
            double mean = col.Average();
            double std = Math.Sqrt(col.Select(v => (v - mean) * (v - mean)).Average());
            Assert.True(Math.Abs(mean) < 1e-5, $"mean {mean}");
            Assert.True(Math.Abs(std - 1) < 1e-5, $"std {std}");
        }
        Assert.Equal(data.Targets.ToLongArray(), z.Targets.ToLongArray());
    }

    [Fact]
    public void StandardizerHasOneStatisticPerImagePixel()
    {
        var images = Tensor.Rand([4, 1, 2, 3], new Generator(0));
        var s = Standardizer.Fit(images);
        Assert.Equal(6, s.FeatureCount);
        Assert.Equal([4, 1, 2, 3], s.Transform(images).Shape);
    }
}
