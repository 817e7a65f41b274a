using NeuroCore.NN;
using NeuroCore.Visualization.Explain;
using SkiaSharp;

namespace NeuroCore.Visualization.Tests.Explain;

/// <summary>The attributions point at the square that decides the class; Grad-CAM and the filter grid have sane shapes and values.</summary>
[Collection(SquareImages.Collection)]
public class AttributionTests
{
    // Square positions away from and near the borders.
    public static TheoryData<int, int> Positions => new() { { 2, 2 }, { 9, 3 }, { 5, 10 }, { 12, 12 }, { 0, 8 } };

    private static Tensor Image(int y, int x) => Tensor.FromArray(SquareImages.Image(new Random(y * 31 + x), y, x), 1, SquareImages.Size, SquareImages.Size);

    [Fact]
    public void TheTinyConvnetLearnsTheTask()
    {
        Assert.True(SquareImages.Model.Accuracy >= 0.95f, $"accuracy {SquareImages.Model.Accuracy:P1}");
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public void OcclusionDropsWhereTheSquareIs(int y, int x)
    {
        var model = SquareImages.Model.Model;
        var result = OcclusionSensitivity.Compute(model, Image(y, x), classIndex: 1, patch: 4, stride: 1);
        Assert.True(result.BaselineProbability > 0.9f, $"baseline {result.BaselineProbability}");
        var drop = result.Drop;
        var (py, px) = drop.ArgMax();
        Assert.InRange(py, y - 2, y + SquareImages.Square + 1);
        Assert.InRange(px, x - 2, x + SquareImages.Square + 1);
        float inside = drop.MeanIn(y, x, y + SquareImages.Square, x + SquareImages.Square);
        float outside = MeanOutside(drop, y - 3, x - 3, y + SquareImages.Square + 3, x + SquareImages.Square + 3);
        // Per pixel, most covering positions hide only part of the square, so the mean drop there is partial.
        Assert.True(inside > 0.1f && inside > 5 * Math.Max(outside, 1e-3f), $"drop inside {inside}, outside {outside}");
        // The position that hides the whole square takes the class away.
        Assert.True(result.Grid[y, x] < 0.5f, $"probability with the square covered: {result.Grid[y, x]}");
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public void SaliencyConcentratesOnTheSquare(int y, int x)
    {
        var model = SquareImages.Model.Model;
        var before = model.Parameters().Select(p => p.Grad).ToList();
        var map = Saliency.Compute(model, Image(y, x), classIndex: 1);
        Assert.Equal((16, 16), (map.Height, map.Width));
        var (py, px) = map.ArgMax();
        Assert.InRange(py, y - 1, y + SquareImages.Square);
        Assert.InRange(px, x - 1, x + SquareImages.Square);
        float inside = map.MeanIn(y - 1, x - 1, y + SquareImages.Square + 1, x + SquareImages.Square + 1);
        float outside = MeanOutside(map, y - 1, x - 1, y + SquareImages.Square + 1, x + SquareImages.Square + 1);
        Assert.True(inside > 3 * outside, $"saliency inside {inside}, outside {outside}");
        // The parameters were frozen: their gradients are untouched and they still require grad.
        Assert.Equal(before, model.Parameters().Select(p => p.Grad).ToList());
        Assert.All(model.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public void GradCamIsNonNegativeAndPeaksNearTheSquare(int y, int x)
    {
        var model = SquareImages.Model.Model;
        var cam = GradCam.Compute(model, Image(y, x), classIndex: 1);
        Assert.Equal(5, cam.LayerIndex); // the last Conv2d (3), through its ReLU and MaxPool
        Assert.Equal((4, 4), (cam.FeatureMap.Height, cam.FeatureMap.Width));
        Assert.Equal((16, 16), (cam.Upsampled.Height, cam.Upsampled.Width));
        Assert.Equal(16, cam.ChannelWeights.Length);
        Assert.All(cam.Upsampled.Values, v => Assert.True(v >= 0 && float.IsFinite(v)));
        Assert.True(cam.FeatureMap.Max > 0);
        // The CAM's score equals the model's logit for the class.
        using (Autograd.GradMode.NoGrad())
            Assert.Equal(model.Call(Image(y, x).Reshape(1, 1, 16, 16)).ToArray()[1], cam.Score, 4);
        var (py, px) = cam.Upsampled.ArgMax();
        double cy = y + 1.5, cx = x + 1.5;
        Assert.True(Math.Abs(py - cy) <= 4 && Math.Abs(px - cx) <= 4, $"Grad-CAM peak ({py}, {px}), square centre ({cy}, {cx})");
    }

    [Fact]
    public void GradCamAtAChosenLayerUsesThatLayersMaps()
    {
        var model = SquareImages.Model.Model;
        var cam = GradCam.Compute(model, Image(9, 3), classIndex: 1, layerIndex: 4);
        Assert.Equal((8, 8), (cam.FeatureMap.Height, cam.FeatureMap.Width));
        Assert.All(cam.FeatureMap.Values, v => Assert.True(v >= 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradCam.Compute(model, Image(9, 3), 1, layerIndex: 7));
    }

    [Fact]
    public void GradCamWeightsBeforeALinearHeadAreTheClassRowsMeanWeightPerChannel()
    {
        // After the last pooling the head is Flatten → Linear, so ∂score/∂A[c, p] = W[class, c·16 + p] exactly
        // and α_c is that row's mean over channel c's 4×4 positions: an independent check of the autograd path.
        var model = SquareImages.Model.Model;
        var cam = GradCam.Compute(model, Image(5, 10), classIndex: 1);
        var w = ((Linear)model[7]).Weight.ToArray();
        for (int c = 0; c < 16; c++)
        {
            double mean = Enumerable.Range(0, 16).Average(p => w[1 * 256 + c * 16 + p]);
            Assert.Equal(mean, cam.ChannelWeights[c], 5);
        }
    }

    [Fact]
    public void GradCamOfAModelWithoutConvolutionIsAnError()
    {
        var e = Assert.Throws<ArgumentException>(() => GradCam.Compute(new Sequential(new Flatten(), new Linear(4, 2)), Tensor.Zeros(1, 2, 2), 0));
        Assert.Contains("no Conv2d", e.Message);
    }

    [Fact]
    public void FilterGridHasOneCellPerFilter()
    {
        var conv = (Conv2d)SquareImages.Model.Model[0];
        var tiles = FilterGrid.Filters(conv);
        Assert.Equal(8, tiles.Count);
        Assert.All(tiles, t => Assert.Equal((1, 3, 3), (t.Channels, t.Height, t.Width)));
        // Zero maps to mid-grey and each filter's largest |weight| to 0 or 1.
        Assert.All(tiles, t => Assert.Equal(1f, t.Values.Max(v => Math.Abs(v - 0.5f)) * 2, 5));
        using var bitmap = SKBitmap.Decode(FilterGrid.RenderPng(conv, cellSize: 32));
        Assert.Equal((3 * 34 + 2, 3 * 34 + 2), (bitmap.Width, bitmap.Height)); // 3×3 cells of 32 px with 2 px gaps
        var rgb = new Conv2d(3, 5, 5, generator: new Generator(1));
        using var rgbBitmap = SKBitmap.Decode(FilterGrid.RenderPng(rgb, cellSize: 10, columns: 5));
        Assert.Equal((5 * 12 + 2, 12 + 2), (rgbBitmap.Width, rgbBitmap.Height));
    }

    [Fact]
    public void TopActivationsFindTheSquareImagesForASquareChannel()
    {
        var model = SquareImages.Model.Model;
        var (images, labels) = SquareImages.Dataset(64, seed: 7);
        var hits = TopActivations.Compute(model, images, layerIndex: 4, top: 5);
        Assert.Equal(16, hits.Count);
        Assert.All(hits, h => Assert.Equal(5, h.Count));
        Assert.All(hits, h => Assert.True(h.Zip(h.Skip(1)).All(p => p.First.Activation >= p.Second.Activation)));
        // The channel with the strongest response overall answers to squares: its top images are all class 1.
        var strongest = hits.OrderByDescending(h => h[0].Activation).First();
        Assert.All(strongest, hit => Assert.Equal(1, labels.GetLong(hit.ImageIndex)));
        // Receptive field of layer 4 (conv3 p1, pool2, conv3 p1): 8 pixels, clipped to the image.
        Assert.All(hits.SelectMany(h => h), hit => Assert.True(hit.Field.Y1 - hit.Field.Y0 <= 8 && hit.Field.Y0 >= 0 && hit.Field.Y1 <= 16));
    }

    private static float MeanOutside(AttributionMap map, int y0, int x0, int y1, int x1)
    {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < map.Height; y++)
            for (int x = 0; x < map.Width; x++)
                if (y < y0 || y >= y1 || x < x0 || x >= x1) { sum += map[y, x]; n++; }
        return (float)(sum / n);
    }
}
