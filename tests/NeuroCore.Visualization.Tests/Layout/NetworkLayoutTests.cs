using System.Numerics;
using NeuroCore.Visualization.Layout;
using NeuroCore.Visualization.Model;

namespace NeuroCore.Visualization.Tests.Layout;

public class NetworkLayoutTests
{
    private static NetworkArchitecture Mlp() => new(
    [
        new LayerSpec("input", LayerKind.Input, [28, 28]),
        new LayerSpec("dense_1", LayerKind.Dense, [256]),
        new LayerSpec("dense_2", LayerKind.Dense, [10]),
    ]);

    [Fact]
    public void DenseLayerIsANearSquareGridOfDistinctPositions()
    {
        var layout = NetworkLayout.Compute(Mlp());
        var dense = layout.Layers[1];
        Assert.Equal(16, dense.Rows);
        Assert.Equal(16, dense.Cols);
        Assert.Equal(256, dense.Positions.Length);
        Assert.Equal(256, dense.Positions.ToArray().Distinct().Count());
        var out10 = layout.Layers[2];
        Assert.Equal((3, 4), (out10.Rows, out10.Cols)); // 10 neurons: ceil(sqrt 10) = 4 columns, 3 rows
        // Neighbours in a row are NeuronSpacing apart along Z.
        Assert.Equal(0.1f, dense.Positions[1].Z - dense.Positions[0].Z, 1e-5f);
    }

    [Fact]
    public void ImageInputIsLaidOutLikeTheImage()
    {
        var input = NetworkLayout.Compute(Mlp()).Layers[0];
        Assert.Equal((28, 28), (input.Rows, input.Cols));
        var p = input.Positions;
        Assert.True(p[0].Y > p[27 * 28].Y, "row 0 is at the top");
        Assert.True(p[0].Z < p[27].Z, "column 0 is at -Z (left when looking along +X)");
        Assert.Equal(p[0].Y, p[27].Y); // same row, same height
        Assert.Equal(0f, (p[0] + p[^1]).Y / 2, 1e-5f); // centred
    }

    [Fact]
    public void LayersStandSideBySideAlongXAndTheNetworkIsCentred()
    {
        var layout = NetworkLayout.Compute(Mlp());
        var xs = layout.Layers.Select(l => l.Center.X).ToArray();
        Assert.True(xs[0] < xs[1] && xs[1] < xs[2]);
        Assert.Equal(0f, (layout.Min.X + layout.Max.X) / 2, 1e-4f);
        foreach (var l in layout.Layers) foreach (var p in l.Positions) Assert.Equal(l.Center.X, p.X, 1e-5f);
    }

    [Fact]
    public void GapAdaptsToLayerSizesUnlessOverridden()
    {
        var adaptive = NetworkLayout.Compute(Mlp());
        var gap01 = adaptive.Layers[1].Center.X - adaptive.Layers[0].Center.X;
        var gap12 = adaptive.Layers[2].Center.X - adaptive.Layers[1].Center.X;
        Assert.True(gap01 > gap12, $"the 28x28 -> 16x16 gap ({gap01}) should exceed the 16x16 -> 3x4 gap ({gap12})");

        var fixedGap = NetworkLayout.Compute(Mlp(), new LayoutOptions { LayerGap = 2.5f, NeuronSpacing = 0.2f });
        Assert.Equal(2.5f, fixedGap.Layers[1].Center.X - fixedGap.Layers[0].Center.X, 1e-4f);
        Assert.Equal(2.5f, fixedGap.Layers[2].Center.X - fixedGap.Layers[1].Center.X, 1e-4f);
        Assert.Equal(0.2f, fixedGap.Layers[1].Positions[1].Z - fixedGap.Layers[1].Positions[0].Z, 1e-5f);
    }

    [Fact]
    public void ConvLayersAreStacksOfPlanes()
    {
        var arch = SyntheticRun.SmallConv(1).Architecture;
        var layout = NetworkLayout.Compute(arch, new LayoutOptions { PlaneSpacing = 0.5f });
        var conv = layout.Layers[1];
        Assert.Equal(4, conv.PlaneCount);
        Assert.Equal((10, 10), (conv.Rows, conv.Cols));
        for (var c = 1; c < 4; c++) Assert.Equal(0.5f, conv.PlaneCenter(c).X - conv.PlaneCenter(c - 1).X, 1e-5f);
        // Unit (c, y, x) = index c*100 + y*10 + x lies in plane c.
        Assert.Equal(conv.PlaneCenter(2).X, conv.Positions[2 * 100 + 37].X, 1e-5f);
    }

    [Fact]
    public void LayoutIsDeterministic()
    {
        var a = NetworkLayout.Compute(Mlp());
        var b = NetworkLayout.Compute(Mlp());
        for (var l = 0; l < a.Layers.Count; l++) Assert.True(a.Layers[l].Positions.SequenceEqual(b.Layers[l].Positions));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void BadSpacingIsRejectedByName(float spacing)
    {
        var e = Assert.Throws<ArgumentException>(() => NetworkLayout.Compute(Mlp(), new LayoutOptions { NeuronSpacing = spacing }));
        Assert.Contains("NeuronSpacing", e.Message);
    }

    [Fact]
    public void ArchitectureRejectsDuplicateNamesAndSlashes()
    {
        Assert.Throws<ArgumentException>(() => new NetworkArchitecture([new LayerSpec("a", LayerKind.Input, [2]), new LayerSpec("a", LayerKind.Dense, [2])]));
        Assert.Throws<ArgumentException>(() => new NetworkArchitecture([new LayerSpec("a/b", LayerKind.Input, [2])]));
    }
}
