using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Snapshots;
using NeuroCore.Training;
using NeuroCore.Visualization.Rendering;
using NeuroCore.Visualization.Rendering.Conv;
using NeuroCore.Visualization.Runs;

namespace NeuroCore.Visualization.Tests.Rendering;

/// <summary>Pixel checks of the convolutional video's panels, on a real CNN trained and recorded here.</summary>
public sealed class ConvTimelapseTests : IDisposable
{
    private const int W = 640, H = 360;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nc-convvideo-" + Guid.NewGuid().ToString("N"));
    private readonly RunModel _run;
    private readonly ConvTimelapseRenderer _renderer;

    public ConvTimelapseTests()
    {
        // 8×8 images whose class is a bright bar: horizontal, vertical or diagonal, at a random place, with noise.
        var rng = new Random(3);
        int n = 192;
        var x = new float[n * 64];
        var y = new long[n];
        for (int i = 0; i < n; i++)
        {
            int k = i % 3, p = rng.Next(1, 7);
            y[i] = k;
            for (int j = 0; j < 64; j++) x[i * 64 + j] = (float)rng.NextDouble() * 0.2f;
            for (int t = 0; t < 8; t++)
            {
                int r = k == 0 ? p : t, c = k == 1 ? p : k == 0 ? t : (t + p) % 8;
                x[i * 64 + r * 8 + c] = 1f;
            }
        }
        var data = new TensorDataset(Tensor.FromArray(x, n, 1, 8, 8), Tensor.FromArray(y, n));
        Generator.ManualSeed(1);
        var model = new Sequential(new Conv2d(1, 6, 3, padding: 1), new ReLU(), new MaxPool2d(2), new Conv2d(6, 8, 3, padding: 1), new ReLU(),
            new Flatten(), new Linear(8 * 4 * 4, 16), new ReLU(), new Linear(16, 3));
        using (var recorder = new SnapshotRecorder(_folder, new() { Schedule = SnapshotSchedule.Every(6), Probe = ProbeBatch.FromDataset(data, 6, seed: 0) }))
            new Trainer(model, new Adam(model.Parameters(), 0.02f)).With(recorder).Fit(new DataLoader(data, 32, shuffle: true, seed: 0), 4, new DataLoader(data, 64));
        _run = RunModel.Open(_folder);
        _renderer = new ConvTimelapseRenderer(_run, new TimelapseOptions { Width = W, Height = H, Fps = 4, DurationSeconds = 2, HoldStartSeconds = 0.25, HoldEndSeconds = 0.5 });
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void TheProbabilityBarsAreTheNetworksSoftmaxOnTheProbe()
    {
        var (state, pixels) = _renderer.FrameOf(_renderer.FrameCount - 1); // held on the last snapshot
        var network = _run.LoadNetwork(_run.Steps.Count - 1);
        var probe = _run.LoadProbe()!.Inputs.Narrow(0, 0, 1).Contiguous();
        var expected = ConvFrameWorker.Softmax(network.Call(probe).ToArray());
        Assert.Equal(3, state.Probabilities.Length);
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], state.Probabilities[i], 5);
        for (int i = 0; i < 3; i++)
        {
            var (left, right, yRow) = ProbabilityBarsPanel.BarSpan(W, H, i, 3);
            int filled = 0;
            for (int px = (int)left; px < (int)right; px++)
            {
                int o = ((int)yRow * W + px) * 4;
                bool bar = Near(pixels, o, 90, 150, 230) || Near(pixels, o, 110, 210, 140);
                if (bar) filled++;
            }
            float measured = filled / (right - left);
            Assert.True(Math.Abs(measured - expected[i]) < 0.03, $"bar {i}: {measured:P1} drawn for probability {expected[i]:P1}");
        }
    }

    [Fact]
    public void TheFiltersPanelChangesBetweenTheFirstAndLastSnapshot()
    {
        var (first, a) = _renderer.FrameOf(0);
        var (last, b) = _renderer.FrameOf(_renderer.FrameCount - 1);
        Assert.Equal(6, first.FilterCount);
        Assert.NotEqual(first.Filters, last.Filters);
        var grid = FilterPanel.Grid(ConvLayout.Filters(W, H), ConvLayout.Scale(W, H));
        double diff = 0;
        int count = 0;
        for (int y = (int)grid.Top; y < (int)grid.Bottom; y++)
            for (int x = (int)grid.Left; x < (int)grid.Right; x++, count++)
            {
                int o = (y * W + x) * 4;
                diff += Math.Abs(a[o] - b[o]) + Math.Abs(a[o + 1] - b[o + 1]) + Math.Abs(a[o + 2] - b[o + 2]);
            }
        Assert.True(diff / count / 3 > 3, $"filters panel changed by only {diff / count / 3:0.00} per channel");
    }

    [Fact]
    public void EveryConvolutionHasANonBlankFeatureMapPanelAndTheNetworkViewHasItsStacks()
    {
        var (state, pixels) = _renderer.FrameOf(_renderer.FrameCount - 1);
        Assert.Equal(["conv 1 (0)", "pool (2)", "conv 2 (3)"], state.Stacks.Select(s => s.Name));
        Assert.Equal([16, 3], state.Vectors.Select(v => v.Length));
        for (int k = 0; k < 2; k++)
        {
            var grid = FeatureMapGridPanel.Grid(ConvLayout.FeatureMapPanel(W, H, k, 2), ConvLayout.Scale(W, H));
            Assert.True(DistinctColours(pixels, grid) >= 12, $"feature-map panel {k} looks blank");
        }
        Assert.True(DistinctColours(pixels, ConvLayout.Network(W, H)) >= 20, "the network view looks blank");
        Assert.True(DistinctColours(pixels, ConvLayout.ProbeImage(W, H)) >= 4, "the probe image is missing");
    }

    [Fact]
    public void TheHudShowsTheHeldOutFiguresOfTheRun()
    {
        Assert.Contains(_run.Metrics, m => m.ValidationAccuracy is > 0);
        var data = TimelapseData.FromRun(MlpRun());
        var renderer = new TimelapseRenderer(data, new TimelapseOptions { Width = W, Height = H, Fps = 2, DurationSeconds = 1, HoldStartSeconds = 0, HoldEndSeconds = 0 });
        var hud = renderer.HudOfFrame(renderer.FrameCount - 1)!;
        Assert.NotNull(hud.ValidationAccuracy);
        Assert.Equal(data.History[^1].ValidationAccuracy, hud.ValidationAccuracy);
    }

    [Fact]
    public void AnMlpRunIsNotConvolutionalAndTheConvRendererSaysSo()
    {
        var mlp = MlpRun();
        Assert.False(ConvTimelapseRenderer.IsConvolutional(mlp));
        Assert.True(ConvTimelapseRenderer.IsConvolutional(_run));
        var e = Assert.Throws<ArgumentException>(() => new ConvTimelapseRenderer(mlp));
        Assert.Contains("no Conv2d layer", e.Message);
    }

    private RunModel MlpRun()
    {
        string folder = Path.Combine(_folder, "mlp");
        if (!File.Exists(Path.Combine(folder, SnapshotFormat.ManifestFileName)))
        {
            var session = TrainingSession.Create(new TrainingSpec { Dataset = "moons", Samples = 80, Epochs = 3, Layers = [6], Validation = 0.25, Probe = 8 });
            using var recorder = new SnapshotRecorder(folder, session.RecorderOptions());
            session.Train(recorder);
        }
        return RunModel.Open(folder);
    }

    private static bool Near(byte[] p, int o, int r, int g, int b) => Math.Abs(p[o] - r) <= 4 && Math.Abs(p[o + 1] - g) <= 4 && Math.Abs(p[o + 2] - b) <= 4;

    private static int DistinctColours(byte[] p, SkiaSharp.SKRect r)
    {
        var seen = new HashSet<int>();
        for (int y = (int)r.Top; y < (int)r.Bottom; y++)
            for (int x = (int)r.Left; x < (int)r.Right; x++)
            {
                int o = (y * W + x) * 4;
                seen.Add((p[o] >> 3) << 10 | (p[o + 1] >> 3) << 5 | (p[o + 2] >> 3));
            }
        return seen.Count;
    }
}
