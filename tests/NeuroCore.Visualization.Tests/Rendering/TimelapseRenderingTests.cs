using NeuroCore.Visualization.Rendering;

namespace NeuroCore.Visualization.Tests.Rendering;

public class TimelapseRenderingTests
{
    private const int W = 640, H = 360;

    private static byte[] Frame(TimelapseData data, int index, TimelapseOptions options)
    {
        var renderer = new TimelapseRenderer(data, options);
        var rgba = new byte[options.Width * options.Height * 4];
        renderer.RenderFrame(index, rgba);
        return rgba;
    }

    private static (int R, int G, int B) Pixel(byte[] rgba, int width, int x, int y)
    {
        int p = (y * width + x) * 4;
        return (rgba[p], rgba[p + 1], rgba[p + 2]);
    }

    private static TimelapseOptions Fixed(bool hud = false) =>
        new() { Width = W, Height = H, Fps = 4, DurationSeconds = 1, Camera = CameraMode.Fixed, ShowHud = hud, HoldStartSeconds = 0, HoldEndSeconds = 0 };

    // Where the renderer's camera puts the single connection of a 1-1 network.
    private static ((float X, float Y) A, (float X, float Y) B) ProjectedConnection()
    {
        var layout = SharedLayout.Create(TestRuns.SingleWeight(1f), 100);
        var camera = NetworkFraming.Create(layout.Positions, layout.Radius, CameraMode.Fixed, W, H, NetworkFraming.AreaFor(Fixed(), false, false)).CameraAt(0);
        Assert.True(camera.Project(layout.Positions[0], out var ax, out var ay, out _));
        Assert.True(camera.Project(layout.Positions[1], out var bx, out var by, out _));
        return ((ax, ay), (bx, by));
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(-1f)]
    public void SingleWeightDrawsALineInItsSignColourWhereTheCameraProjectsIt(float weight)
    {
        var rgba = Frame(TestRuns.SingleWeight(weight), 0, Fixed());
        var (a, b) = ProjectedConnection();
        var expected = weight > 0 ? Palette.Positive : Palette.Negative;
        // Sample the middle third of the segment, away from the neuron discs at its ends.
        for (float t = 0.35f; t <= 0.65f; t += 0.05f)
        {
            int x = (int)(a.X + (b.X - a.X) * t), y = (int)(a.Y + (b.Y - a.Y) * t);
            // The line is about one pixel wide at this size: take the brightest pixel within two rows.
            var (r, g, bl) = Enumerable.Range(y - 2, 5).Select(yy => Pixel(rgba, W, x, yy)).MaxBy(p => p.R + p.G + p.B);
            Assert.True(Math.Abs(r - expected.R * 255) < 40 && Math.Abs(g - expected.G * 255) < 40 && Math.Abs(bl - expected.B * 255) < 40,
                $"pixel ({x},{y}) at t={t:0.00} is ({r},{g},{bl}); expected about {expected} × 255");
        }
        // Well off the line (a quarter of the frame below its middle) is background.
        int mx = (int)((a.X + b.X) / 2), my = (int)((a.Y + b.Y) / 2);
        var off = Pixel(rgba, W, mx, Math.Min(H - 1, my + H / 4));
        Assert.True(off.R < 40 && off.G < 40 && off.B < 40, $"background expected at ({mx},{my + H / 4}), got {off}");
    }

    [Fact]
    public void FramesChangeAsTheWeightsChange()
    {
        var data = TestRuns.Spiral(snapshots: 4);
        var options = Fixed() with { Fps = 8 };
        var first = Frame(data, 0, options);
        var last = Frame(data, options.FrameCount - 1, options);
        int changed = 0;
        for (int i = 0; i < first.Length; i += 4)
            if (Math.Abs(first[i] - last[i]) + Math.Abs(first[i + 1] - last[i + 1]) + Math.Abs(first[i + 2] - last[i + 2]) > 30) changed++;
        Assert.True(changed > W * H / 50, $"only {changed} pixels changed between the first and the last snapshot");

        // Constant weights with a fixed camera: every frame identical.
        var still = TestRuns.SingleWeight(0.5f, 0.5f);
        Assert.Equal(Frame(still, 0, options), Frame(still, options.FrameCount - 1, options));
    }

    [Fact]
    public void InterpolatedFrameLiesBetweenItsSnapshots()
    {
        // Weight 0 → 1: the midpoint frame's line is brighter than the first and dimmer than the last.
        var data = TestRuns.SingleWeight(0.1f, 1f);
        var options = Fixed() with { Fps = 3, DurationSeconds = 1 }; // frames at t = 0, 0.5, 1
        var (a, b) = ProjectedConnection();
        int x = (int)((a.X + b.X) / 2), y = (int)((a.Y + b.Y) / 2);
        int[] red = [.. Enumerable.Range(0, 3).Select(f => Pixel(Frame(data, f, options), W, x, y).R)];
        Assert.True(red[0] < red[1] && red[1] < red[2], $"red at the line middle over frames: {string.Join(", ", red)}");
    }

    [Fact]
    public void HudTextIsDrawnInTheStatusBox()
    {
        var data = TestRuns.Spiral();
        var with = Frame(data, 0, Fixed(hud: true));
        var without = Frame(data, 0, Fixed(hud: false));
        var box = Hud.StatusBox(W, H);
        int text = 0;
        for (int y = (int)box.Top; y < (int)box.Bottom; y++)
            for (int x = (int)box.Left; x < (int)box.Right && x < W; x++)
            {
                var p = Pixel(with, W, x, y);
                var q = Pixel(without, W, x, y);
                if (p.R + p.G + p.B > q.R + q.G + q.B + 90) text++;
            }
        Assert.True(text > 40, $"only {text} bright text pixels in the HUD status box");
    }

    [Fact]
    public void ScheduleHoldsAndSweepsAllSnapshots()
    {
        var plan = TimelapseSchedule.Plan(snapshots: 5, frames: 30, holdStartFrames: 3, holdEndFrames: 6);
        Assert.Equal(30, plan.Length);
        Assert.All(plan.Take(3), f => Assert.Equal((0, 0f), (f.Snapshot, f.T)));
        Assert.All(plan.Skip(24), f => Assert.Equal((4, 0f), (f.Snapshot, f.T)));
        float Position(FrameTime f) => f.Snapshot + f.T;
        for (int i = 1; i < plan.Length; i++) Assert.True(Position(plan[i]) >= Position(plan[i - 1]));
        Assert.Contains(plan, f => f.T is > 0.1f and < 0.9f);

        var single = TimelapseSchedule.Plan(1, 4, 1, 1);
        Assert.All(single, f => Assert.Equal(0, f.Snapshot));
        // Holds longer than the video shrink so that the run still plays.
        var tight = TimelapseSchedule.Plan(3, 3, 10, 10);
        Assert.Equal(0, tight[0].Snapshot + tight[0].T);
        Assert.Equal(2, tight[^1].Snapshot + tight[^1].T);
    }

    [Fact]
    public void ConnectionBudgetCapsDrawnConnections()
    {
        int[] sizes = [64, 64, 10];
        var rng = new Random(5);
        float[][] w = [.. Enumerable.Range(0, 2).Select(k => Enumerable.Range(0, sizes[k] * sizes[k + 1]).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray())];
        var data = new TimelapseData { LayerSizes = sizes, Activations = ["relu", "identity"], Snapshots = [new WeightSnapshot(0, 0, w)] };
        var layout = SharedLayout.Create(data, 500);
        Assert.Equal(500, layout.ShownCount);
        // Shared in proportion to the layers' sizes (4,096 and 640 connections: 432.4 and 67.6, largest remainder rounds up the second), strongest |w| first.
        Assert.Equal([432, 68], layout.Shown.Select(s => s.Length));
        float weakestShown = layout.Shown[0].Min(id => MathF.Abs(w[0][id]));
        Assert.Equal(432, w[0].Count(v => MathF.Abs(v) >= weakestShown));
        var rgba = Frame(data, 0, Fixed() with { MaxConnections = 500 });
        Assert.Contains(rgba.Where((_, i) => i % 4 == 0), v => v > 100);
    }

    [Fact]
    public void BadInputsGiveClearErrors()
    {
        var empty = new TimelapseData { LayerSizes = [2, 3], Snapshots = [] };
        var e = Assert.Throws<ArgumentException>(() => new TimelapseRenderer(empty));
        Assert.Contains("no snapshots", e.Message);

        var wrong = new TimelapseData { LayerSizes = [2, 3], Snapshots = [new WeightSnapshot(0, 0, [new float[5]])] };
        e = Assert.Throws<ArgumentException>(() => new TimelapseRenderer(wrong));
        Assert.Contains("[3, 2]", e.Message);

        e = Assert.Throws<ArgumentException>(() => new TimelapseRenderer(TestRuns.SingleWeight(1), new TimelapseOptions { Fps = 0 }));
        Assert.Contains("fps", e.Message);

        var badAct = TestRuns.Spiral() is var s ? new TimelapseData { LayerSizes = s.LayerSizes, Snapshots = s.Snapshots, Activations = ["swishy", "tanh", "identity"] } : null;
        e = Assert.Throws<ArgumentException>(() => new TimelapseRenderer(badAct!));
        Assert.Contains("swishy", e.Message);
    }

    [Fact]
    public void EmbeddedFontLoads()
    {
        Assert.Contains("DejaVu", Fonts.Sans.FamilyName);
        Assert.True(Fonts.Sans.GlyphCount > 1000);
    }
}
