using NeuroCore.Visualization.Color;
using NeuroCore.Visualization.Rendering;

namespace NeuroCore.Visualization.Tests.Rendering;

/// <summary>One legend: the frame's bars are the shared maps the page's legend and the glTF files use (Color folder).</summary>
public class HudLegendTests
{
    private const int W = 1280, H = 720;

    [Fact]
    public void The_weight_and_activation_bars_show_the_shared_maps()
    {
        var options = new TimelapseOptions { Width = W, Height = H, Fps = 2, DurationSeconds = 1, Camera = CameraMode.Fixed, HoldStartSeconds = 0, HoldEndSeconds = 0 };
        var rgba = new byte[W * H * 4];
        new TimelapseRenderer(TestRuns.Spiral(), options).RenderFrame(0, rgba);
        foreach (var fx in new[] { 0.05f, 0.2f, 0.35f, 0.5f, 0.65f, 0.8f, 0.95f })
        {
            AssertNear(DivergingColorMap.Map(2 * fx - 1, 1f), At(rgba, Hud.WeightLegendBar(W, H), fx), $"weight bar at {fx}");
            AssertNear(SequentialColorMap.Map(fx), At(rgba, Hud.ActivationLegendBar(W, H), fx), $"activation bar at {fx}");
        }
    }

    private static (int R, int G, int B) At(byte[] rgba, SkiaSharp.SKRect bar, float fx)
    {
        int x = (int)(bar.Left + fx * bar.Width), y = (int)bar.MidY;
        int p = (y * W + x) * 4;
        return (rgba[p], rgba[p + 1], rgba[p + 2]);
    }

    private static void AssertNear(ColorRgb expected, (int R, int G, int B) actual, string where)
    {
        int r = (int)MathF.Round(expected.R * 255), g = (int)MathF.Round(expected.G * 255), b = (int)MathF.Round(expected.B * 255);
        Assert.True(Math.Abs(r - actual.R) <= 8 && Math.Abs(g - actual.G) <= 8 && Math.Abs(b - actual.B) <= 8,
            $"{where}: expected ({r}, {g}, {b}), drawn {actual}");
    }
}
