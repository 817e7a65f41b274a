using NeuroCore.Visualization.Rendering;
using SkiaSharp;

namespace NeuroCore.Visualization.Tests.Rendering;

/// <summary>The network is framed so that no HUD panel covers it (issue 11: the digits' input grid ran under the charts).</summary>
public class NetworkFramingTests
{
    /// <summary>A digits-like run: an 8×8 probe image into a 64-32-16-10 MLP, with loss and accuracy history.</summary>
    private static TimelapseData Digits()
    {
        var rng = new Random(3);
        int[] sizes = [64, 32, 16, 10];
        var snaps = new List<WeightSnapshot>();
        for (int s = 0; s < 4; s++)
        {
            var weights = new float[3][];
            for (int k = 0; k < 3; k++)
                weights[k] = [.. Enumerable.Range(0, sizes[k] * sizes[k + 1]).Select(_ => (float)(rng.NextDouble() - 0.5) * (0.5f + s))];
            snaps.Add(new WeightSnapshot(s * 50, s, weights) { Loss = 2f / (s + 1), Accuracy = 0.2f * (s + 1) });
        }
        var image = new float[64];
        for (int i = 0; i < 64; i++) image[i] = (i % 8 is 2 or 5) && i / 8 is > 0 and < 7 ? 1f : 0f;
        return new TimelapseData
        {
            LayerSizes = sizes,
            Activations = ["relu", "relu", "identity"],
            Snapshots = snaps,
            History = [.. Enumerable.Range(0, 16).Select(i => new MetricSample(i * 10, 2f / (1 + i), i / 16f, 0.01f))],
            Epochs = 4,
            Title = "digits · MLP 64-32-16-10",
            ProbeImage = image, ProbeWidth = 8, ProbeHeight = 8,
        };
    }

    public static TheoryData<string, int, int, CameraMode> Cases => new()
    {
        { "digits", 1280, 720, CameraMode.Fixed },
        { "digits", 1280, 720, CameraMode.Orbit },
        { "digits", 640, 640, CameraMode.Orbit },
        { "spiral", 1280, 720, CameraMode.Orbit },
        { "spiral", 960, 540, CameraMode.Fixed },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void No_panel_covers_the_projected_network_or_its_pixels(string run, int width, int height, CameraMode camera)
    {
        var data = run == "digits" ? Digits() : TestRuns.Spiral();
        var options = new TimelapseOptions { Width = width, Height = height, Fps = 4, DurationSeconds = 3, Camera = camera, HoldStartSeconds = 0, HoldEndSeconds = 0 };
        var renderer = new TimelapseRenderer(data, options);
        float widest = 0;
        foreach (int frame in new[] { 0, renderer.FrameCount / 3, renderer.FrameCount / 2, renderer.FrameCount - 1 })
        {
            using var worker = renderer.RenderWith(frame, drawHud: false);
            var panels = Hud.Panels(width, height, worker.LastHud!);
            Assert.Contains(panels, p => p.Name == "loss chart");
            Assert.Contains(panels, p => p.Name == (run == "digits" ? "probe input" : "decision regions"));

            // The projected neurons' box stays inside the frame and clear of every panel.
            var box = worker.LastNetworkBounds;
            Assert.False(box.IsEmpty);
            Assert.True(box.Left >= 0 && box.Top >= 0 && box.Right <= width && box.Bottom <= height, $"frame {frame}: {box} leaves the {width}×{height} frame");
            foreach (var (name, rect) in panels)
                Assert.False(rect.IntersectsWith(box), $"frame {frame}: the {name} panel {rect} overlaps the network {box}");

            // The pixels agree: every neuron or connection pixel (drawn without the HUD) lies outside the panels.
            var pixels = worker.Frame.Pixels;
            var background = BackgroundOnly(width, height);
            int drawn = 0;
            foreach (var (name, rect) in panels)
            {
                int covered = 0;
                for (int y = Math.Max(0, (int)rect.Top); y < Math.Min(height, (int)MathF.Ceiling(rect.Bottom)); y++)
                    for (int x = Math.Max(0, (int)rect.Left); x < Math.Min(width, (int)MathF.Ceiling(rect.Right)); x++)
                        if (Differs(pixels, background, (y * width + x) * 4)) covered++;
                Assert.True(covered == 0, $"frame {frame}: {covered} network pixels under the {name} panel {rect}");
            }
            for (int i = 0; i < width * height; i++) if (Differs(pixels, background, i * 4)) drawn++;
            Assert.True(drawn > width * height / 200, $"frame {frame}: only {drawn} network pixels; nothing to check");
            // And it is framed, not shrunk to a dot: the network spans much of the free area's width or height at every angle,
            // and most of it at the widest angle (the distance fits the widest view of the orbit).
            var area = worker.FramingArea;
            float fill = MathF.Max(box.Width / area.Width, box.Height / area.Height);
            Assert.True(fill > 0.5f, $"frame {frame}: {box} is small in {area}");
            widest = MathF.Max(widest, fill);
        }
        Assert.True(widest > 0.7f, $"the network fills at most {widest:P0} of the free area");
    }

    private static bool Differs(byte[] a, byte[] b, int p) =>
        Math.Abs(a[p] - b[p]) + Math.Abs(a[p + 1] - b[p + 1]) + Math.Abs(a[p + 2] - b[p + 2]) > 12;

    // The frame's background gradient alone.
    private static byte[] BackgroundOnly(int width, int height)
    {
        var raster = new Rasterizer(width, height);
        raster.ClearVerticalGradient(Palette.BackgroundTop, Palette.BackgroundBottom);
        var rgba = new byte[width * height * 4];
        raster.Resolve(rgba);
        return rgba;
    }
}
