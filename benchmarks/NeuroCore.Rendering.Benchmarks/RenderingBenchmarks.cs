using System.Numerics;
using BenchmarkDotNet.Attributes;
using NeuroCore.Visualization.Encoding;
using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Snapshots;
using NeuroCore.Training;
using NeuroCore.Visualization.Rendering;
using NeuroCore.Visualization.Rendering.Conv;
using NeuroCore.Visualization.Runs;
using SkiaSharp;

namespace NeuroCore.Rendering.Benchmarks;

/// <summary>
/// Frame rendering at 1280×720. The target is ≥ 30 frames/s with 20,000 drawn connections on 2 cores with
/// frames rendered in parallel: <see cref="TimelapseFrames_Parallel2"/> reports the time per frame (1 / fps).
/// <see cref="Skia_5000AALines"/> is the naive baseline the custom rasterizer replaces.
/// </summary>
[MemoryDiagnoser]
public class RenderingBenchmarks
{
    private const int Width = 1280, Height = 720;
    private const int ParallelFrames = 8;
    private float[] _lines = [];
    private Rgb[] _colors = [];
    private Rasterizer _raster = null!;
    private SKSurface _skia = null!;
    private SKPaint _paint = null!;
    private TimelapseRenderer _renderer = null!;
    private TimelapseRenderer _parallel = null!;
    private ConvTimelapseRenderer _conv = null!;
    private string _convRun = "";

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        // Network-like lines: from one of 5 columns to the next, 20,000 of them.
        _lines = new float[20_000 * 5];
        _colors = new Rgb[20_000];
        for (int i = 0; i < 20_000; i++)
        {
            int col = rng.Next(4);
            float x0 = 200 + col * 220, x1 = x0 + 220;
            _lines[5 * i] = x0;
            _lines[5 * i + 1] = 120 + (float)rng.NextDouble() * 480;
            _lines[5 * i + 2] = x1;
            _lines[5 * i + 3] = 120 + (float)rng.NextDouble() * 480;
            _lines[5 * i + 4] = 0.6f + 2.4f * (float)rng.NextDouble();
            _colors[i] = new Rgb((float)rng.NextDouble(), 0.5f, (float)rng.NextDouble());
        }
        _raster = new Rasterizer(Width, Height);
        _skia = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        _paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke };

        var data = Network();
        var options = new TimelapseOptions { Width = Width, Height = Height, Fps = 30, DurationSeconds = 2, MaxConnections = 20_000, MaxParallelism = 1 };
        _renderer = new TimelapseRenderer(data, options with { DurationSeconds = ParallelFrames / 30.0 });
        _parallel = new TimelapseRenderer(data, options with { DurationSeconds = ParallelFrames / 30.0, MaxParallelism = 2 });
        _convRun = ConvRun();
        _conv = new ConvTimelapseRenderer(RunModel.Open(_convRun), options with { DurationSeconds = ParallelFrames / 30.0 });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        try { Directory.Delete(_convRun, recursive: true); } catch (IOException) { }
    }

    /// <summary>The digits-sized CNN of issue 13 (conv16k3, pool2, conv32k3, pool2, dense64 on 8×8 images), 5 snapshots of a short training run.</summary>
    private static string ConvRun()
    {
        string folder = Path.Combine(Path.GetTempPath(), "nc-bench-conv-" + Guid.NewGuid().ToString("N"));
        var rng = new Random(2);
        int n = 256;
        var x = new float[n * 64];
        var y = new long[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 10;
            for (int j = 0; j < 64; j++) x[i * 64 + j] = (float)rng.NextDouble() * 0.3f + (j % 10 == y[i] ? 0.7f : 0f);
        }
        var dataset = new TensorDataset(Tensor.FromArray(x, n, 1, 8, 8), Tensor.FromArray(y, n));
        Generator.ManualSeed(0);
        var model = new Sequential(new Conv2d(1, 16, 3, padding: 1), new ReLU(), new MaxPool2d(2), new Conv2d(16, 32, 3, padding: 1), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Linear(32 * 2 * 2, 64), new ReLU(), new Linear(64, 10));
        using var recorder = new SnapshotRecorder(folder, new() { Schedule = SnapshotSchedule.Every(8), Probe = ProbeBatch.FromDataset(dataset, 10) });
        new Trainer(model, new Adam(model.Parameters(), 0.01f)).With(recorder).Fit(new DataLoader(dataset, 32, shuffle: true), 4);
        return folder;
    }

    /// <summary>An MLP 2-100-100-100-3 (20,500 connections, 20,000 drawn) on 2-D points, 5 snapshots.</summary>
    private static TimelapseData Network()
    {
        var rng = new Random(1);
        int[] sizes = [2, 100, 100, 100, 3];
        var snaps = new List<WeightSnapshot>();
        for (int s = 0; s < 5; s++)
        {
            var w = new float[sizes.Length - 1][];
            for (int k = 0; k < w.Length; k++)
            {
                w[k] = new float[sizes[k] * sizes[k + 1]];
                for (int i = 0; i < w[k].Length; i++) w[k][i] = (float)(rng.NextDouble() - 0.5) * (0.3f + s * 0.2f);
            }
            snaps.Add(new WeightSnapshot(s * 100, s, w) { Loss = 1f / (s + 1), Accuracy = 0.3f + 0.15f * s, LearningRate = 0.01f });
        }
        var points = new float[400];
        var labels = new int[200];
        for (int i = 0; i < 200; i++)
        {
            points[2 * i] = (float)rng.NextDouble() * 2 - 1;
            points[2 * i + 1] = (float)rng.NextDouble() * 2 - 1;
            labels[i] = i % 3;
        }
        return new TimelapseData
        {
            LayerSizes = sizes, Activations = ["relu", "relu", "relu", "identity"], Snapshots = snaps,
            Points = points, Labels = labels, Title = "benchmark · MLP 2-100-100-100-3",
        };
    }

    [Benchmark(Description = "Skia: 5,000 AA lines (naive baseline)")]
    public void Skia_5000AALines()
    {
        var canvas = _skia.Canvas;
        canvas.Clear(SKColors.Black);
        for (int i = 0; i < 5_000; i++)
        {
            var c = _colors[i];
            _paint.Color = new SKColor((byte)(c.R * 255), (byte)(c.G * 255), (byte)(c.B * 255), 200);
            _paint.StrokeWidth = _lines[5 * i + 4];
            canvas.DrawLine(_lines[5 * i], _lines[5 * i + 1], _lines[5 * i + 2], _lines[5 * i + 3], _paint);
        }
        canvas.Flush();
    }

    [Benchmark(Description = "Rasterizer: 20,000 AA lines")]
    public void Rasterizer_20000Lines()
    {
        _raster.Clear(0, 0, 0);
        for (int i = 0; i < 20_000; i++)
            _raster.DrawLine(_lines[5 * i], _lines[5 * i + 1], _lines[5 * i + 2], _lines[5 * i + 3], _lines[5 * i + 4], _colors[i], 0.8f);
    }

    [Benchmark(Description = "Timelapse frames, 20,000 connections + HUD, 1 core (per frame)", OperationsPerInvoke = ParallelFrames)]
    public void TimelapseFrames_OneCore() => _renderer.RenderTo(new NullSink(), null, CancellationToken.None);

    [Benchmark(Description = "Timelapse frames on 2 cores in parallel (per frame)", OperationsPerInvoke = ParallelFrames)]
    public void TimelapseFrames_Parallel2() => _parallel.RenderTo(new NullSink(), null, CancellationToken.None);

    [Benchmark(Description = "Conv frames (digits CNN: forward pass + panels), 1 core (per frame)", OperationsPerInvoke = ParallelFrames)]
    public void ConvFrames_OneCore() => _conv.RenderTo(new NullSink(), null, CancellationToken.None);

    private sealed class NullSink : FrameSink
    {
        public override string OutputPath => "";
        public override byte[] Encode(int index, byte[] rgba) => [];
        public override void Write(int index, byte[] encoded) { }
        public override void Complete() { }
    }
}
