using NeuroCore.Visualization.Layout;
using NeuroCore.Visualization.Model;

namespace NeuroCore.Visualization.Tests.Layout;

public class ConnectionSelectionTests
{
    [Theory]
    [InlineData(50_000)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(0)]
    public void SharesAddUpToTheBudgetAndAreProportional(int budget)
    {
        long[] totals = [0, 200_704, 2_560];
        var shares = ConnectionSelection.ShareBudget(totals, budget);
        Assert.Equal(budget, shares.Sum());
        Assert.Equal(0, shares[0]);
        for (var i = 0; i < totals.Length; i++)
        {
            Assert.InRange(shares[i], 0, totals[i]);
            var exact = (double)budget * totals[i] / totals.Sum();
            Assert.InRange(shares[i], Math.Floor(exact), Math.Ceiling(exact));
        }
    }

    [Fact]
    public void ABudgetAboveTheTotalShowsEverything()
    {
        Assert.Equal([3, 5], ConnectionSelection.ShareBudget([3, 5], 100));
    }

    [Fact]
    public void TopKKeepsTheLargestMagnitudesWithDeterministicTies()
    {
        var rng = new Random(3);
        var values = Enumerable.Range(0, 1001).Select(_ => (float)Math.Round(rng.NextDouble(), 2)).ToArray();
        foreach (var k in new[] { 0, 1, 10, 500, 1000, 1001, 2000 })
        {
            var got = ConnectionSelection.TopK(values, k);
            // Reference: sort by value descending, then by id ascending.
            var expected = Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).ThenBy(i => i).Take(k).Order().ToArray();
            Assert.Equal(expected, got);
        }
    }

    [Fact]
    public void SelectionUsesTheReferenceSnapshotsStrongestWeights()
    {
        var run = SyntheticRun.Dense([16, 8, 4], snapshots: 3);
        var reference = run.Load(2, 0);
        var sel = ConnectionSelection.Select(run.Architecture, reference, budget: 20);
        Assert.Equal(20, sel.ShownCount);
        Assert.Equal(16 * 8 + 8 * 4, sel.TotalCount);
        var layer1 = sel.Layers[1]!;
        var w = reference.Weights[1]!.Values;
        var minShown = layer1.Shown.Min(id => MathF.Abs(w[id]));
        var maxHidden = Enumerable.Range(0, w.Length).Except(layer1.Shown).Max(id => MathF.Abs(w[id]));
        Assert.True(minShown >= maxHidden, $"weakest shown |w| {minShown} < strongest hidden {maxHidden}");
        Assert.Null(sel.Layers[0]);
        Assert.Equal("16 of 128 connections", layer1.Caption);
    }

    [Fact]
    public void ConvConnectionsAreKernelMeansBetweenPlanes()
    {
        var run = SyntheticRun.SmallConv(1);
        var snap = run.Load(0, 0);
        var values = ConnectionSelection.ConnectionValues(run.Architecture, 1, snap.Weights[1]!);
        Assert.Equal(4 * 1, values.Length);
        var w = snap.Weights[1]!.Values;
        Assert.Equal(w.Skip(9 * 2).Take(9).Average(), values[2], 1e-6f);
        Assert.Equal(0, ConnectionSelection.CountConnections(run.Architecture, 2)); // pooling has no weights
        Assert.Equal(10 * 100, ConnectionSelection.CountConnections(run.Architecture, 3));
    }

    [Fact]
    public void MisShapedWeightsAreReportedWithTheLayerName()
    {
        var run = SyntheticRun.Dense([16, 8, 4], snapshots: 1);
        var good = run.Load(0, 0);
        var bad = good with { Weights = [null, new LayerWeights(new float[10], [2, 5]), good.Weights[2]] };
        var e = Assert.Throws<ArgumentException>(() => ConnectionSelection.Select(run.Architecture, bad));
        Assert.Contains("dense_1", e.Message);
        Assert.Contains("[2, 5]", e.Message);
    }
}
