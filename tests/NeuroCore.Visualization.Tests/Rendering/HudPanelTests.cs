using NeuroCore.Visualization.Rendering;

namespace NeuroCore.Visualization.Tests.Rendering;

public class HudPanelTests
{
    private const int W = 640, H = 360;

    private static byte[] Frame(TimelapseData data)
    {
        var options = new TimelapseOptions { Width = W, Height = H, Fps = 2, DurationSeconds = 1, Camera = CameraMode.Fixed, HoldStartSeconds = 0, HoldEndSeconds = 0 };
        var rgba = new byte[W * H * 4];
        new TimelapseRenderer(data, options).RenderFrame(0, rgba);
        return rgba;
    }

    [Fact]
    public void DecisionRegionsFollowTheModel()
    {
        // logits = (x, −x): class 0 where x > 0 (right half), class 1 where x < 0 (left half).
        var data = new TimelapseData
        {
            LayerSizes = [2, 2],
            Activations = ["identity"],
            Snapshots = [new WeightSnapshot(0, 0, [new[] { 4f, 0f, -4f, 0f }])],
            // Points only in the corners, away from the sampled spots.
            Points = [-1f, -1f, 1f, 1f, -1f, 1f, 1f, -1f],
            Labels = [1, 0, 1, 0],
        };
        var rgba = Frame(data);
        var plot = Hud.DecisionPlot(W, H);
        (int R, int G, int B) At(float fx, float fy)
        {
            int x = (int)(plot.Left + fx * plot.Width), y = (int)(plot.Top + fy * plot.Height);
            int p = (y * W + x) * 4;
            return (rgba[p], rgba[p + 1], rgba[p + 2]);
        }
        var class0 = Palette.Class(0);
        var class1 = Palette.Class(1);
        Assert.True(class0.R > class0.B && class1.B > class1.R, "the test relies on class 0 being warm and class 1 cool");
        var left = At(0.2f, 0.5f);
        var right = At(0.8f, 0.5f);
        Assert.True(left.B > left.R + 20, $"left half should show class 1 (cool), got {left}");
        Assert.True(right.R > right.B + 20, $"right half should show class 0 (warm), got {right}");
    }

    [Fact]
    public void ProbeImagePanelShowsTheImage()
    {
        // A 16×16 probe image: a bright square on black, fed to a 256-8-3 MLP.
        var image = new float[256];
        for (int y = 4; y < 12; y++) for (int x = 4; x < 12; x++) image[y * 16 + x] = 1f;
        var rng = new Random(2);
        float[] w1 = [.. Enumerable.Range(0, 256 * 8).Select(_ => (float)rng.NextDouble() - 0.5f)];
        float[] w2 = [.. Enumerable.Range(0, 8 * 3).Select(_ => (float)rng.NextDouble() - 0.5f)];
        var data = new TimelapseData
        {
            LayerSizes = [256, 8, 3],
            Activations = ["relu", "identity"],
            Snapshots = [new WeightSnapshot(0, 0, [w1, w2])],
            ProbeImage = image, ProbeWidth = 16, ProbeHeight = 16,
        };
        var rgba = Frame(data);
        var panel = Hud.DecisionPlot(W, H); // the probe image sits at the top of the same side panel
        int white = 0;
        for (int y = (int)panel.Top; y < (int)panel.Bottom; y++)
            for (int x = (int)panel.Left; x < (int)panel.Right; x++)
            {
                int p = (y * W + x) * 4;
                if (rgba[p] > 240 && rgba[p + 1] > 240 && rgba[p + 2] > 240) white++;
            }
        // The 8×8 bright square, scaled up, covers a good part of the panel.
        Assert.True(white > 400, $"only {white} white pixels in the probe panel");
    }
}

public class ProbePredictionTests
{
    [Fact]
    public void PredictionUsesTheProbeAsTheNetworkSawItAndShowsTheClassName()
    {
        // A standardized probe (all negative) and its display copy rescaled to 0..1. Logits = W·x with
        // W = [[1,1,1,1], [-1,-1,-1,-1]]: on the real input class 1 wins (logits -6 vs 6); on the
        // display copy (non-negative) class 0 would — a HUD predicting on it shows the wrong answer.
        float[] raw = [-2f, -1f, -1f, -2f];
        float[] display = [0f, 1f, 1f, 0f];
        var data = new TimelapseData
        {
            LayerSizes = [4, 2],
            Activations = ["identity"],
            Snapshots = [new WeightSnapshot(0, 0, [new[] { 1f, 1, 1, 1, -1, -1, -1, -1 }])],
            ProbeImage = display, ProbeWidth = 2, ProbeHeight = 2,
            ProbeInputs = [raw],
            ClassNames = ["T-shirt/top", "Trouser"],
        };
        var renderer = new TimelapseRenderer(data, new TimelapseOptions { Width = 320, Height = 180, Fps = 2, DurationSeconds = 1 });
        var hud = renderer.HudOfFrame(0)!;
        Assert.Equal(1, hud.PredictedClass);
        Assert.Equal("Trouser", hud.PredictedName);
        Assert.True(hud.PredictedProbability > 0.99f, $"probability {hud.PredictedProbability}");
    }
}
