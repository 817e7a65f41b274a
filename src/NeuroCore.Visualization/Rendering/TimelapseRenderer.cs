using System.Collections.Concurrent;
using NeuroCore.Visualization.Color;
using NeuroCore.Visualization.Encoding;

namespace NeuroCore.Visualization.Rendering;

/// <summary>
/// Renders a timelapse of a network learning: weights and activations interpolated between snapshots,
/// a camera path, a HUD, frames rendered in parallel and written in order to PNG frames, animated PNG,
/// animated WebP, MP4 or WebM.
/// </summary>
/// <example>
/// <code>
/// var renderer = new TimelapseRenderer(data, new TimelapseOptions { DurationSeconds = 8 });
/// renderer.Render("spiral.mp4", new Progress&lt;RenderProgress&gt;(p =&gt; Console.Write($"\r{p.Fraction:P0}")));
/// </code>
/// </example>
public sealed class TimelapseRenderer
{
    private readonly TimelapseData _data;
    private readonly TimelapseOptions _options;
    private readonly SharedLayout _layout;
    private readonly FrameTime[] _plan;
    private readonly float[] _weightScale;
    private readonly float[] _activationScale;
    private readonly float[][] _probeInputs;
    private readonly MetricSample[] _history;
    private readonly (float, float, float, float) _extent;

    /// <summary>Prepares a render of <paramref name="data"/> with <paramref name="options"/>; validates both.</summary>
    public TimelapseRenderer(TimelapseData data, TimelapseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        _options = options ?? new TimelapseOptions();
        _options.Validate();
        data.Validate();
        foreach (var a in data.Activations)
            if (!MlpEvaluator.IsKnown(a))
                throw new ArgumentException($"Timelapse: activation '{a}' is not supported by the renderer (relu, leaky_relu, tanh, sigmoid, silu, gelu, elu, identity).");
        _data = data;
        _layout = SharedLayout.Create(data, _options.MaxConnections);
        _plan = TimelapseSchedule.Plan(data.Snapshots.Count, _options.FrameCount,
            (int)Math.Round(_options.HoldStartSeconds * _options.Fps), (int)Math.Round(_options.HoldEndSeconds * _options.Fps));
        _probeInputs = ProbeInputs(data);
        _weightScale = WeightScales(data);
        _activationScale = ActivationScales(data, _probeInputs);
        _history = data.History.Count > 0
            ? [.. data.History.OrderBy(h => h.Step)]
            : [.. data.Snapshots.Where(s => s.Loss.HasValue).Select(s => new MetricSample(s.Step, s.Loss!.Value, s.Accuracy, s.LearningRate))];
        _extent = Extent(data.Points);
    }

    /// <summary>Number of frames the video will have.</summary>
    public int FrameCount => _plan.Length;

    /// <summary>The options in use.</summary>
    public TimelapseOptions Options => _options;

    /// <summary>
    /// Renders every frame and writes <paramref name="output"/>; the format follows the extension
    /// (<c>.mp4</c>, <c>.webm</c>, <c>.png</c> animated PNG, <c>.webp</c> animated WebP) or, for a path ending
    /// in a directory separator or naming an existing directory, numbered PNG frames.
    /// </summary>
    /// <exception cref="ArgumentException">Unsupported extension or bad options.</exception>
    /// <exception cref="IOException">The output cannot be written.</exception>
    /// <exception cref="ExternalToolException">MP4/WebM requested but ffmpeg is missing or failed.</exception>
    public RenderResult Render(string output, IProgress<RenderProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var format = OutputFormats.FromPath(output);
        using var sink = FrameSinks.Create(format, output, _options.Width, _options.Height, _options.Fps, FrameCount);
        RenderTo(sink, progress, cancellationToken);
        return new RenderResult(sink.OutputPath, format, FrameCount, _options.Width, _options.Height, _options.Fps);
    }

    /// <summary>The heads-up display state frame <paramref name="index"/> is drawn with (for tests).</summary>
    internal HudState? HudOfFrame(int index)
    {
        using var worker = new Worker(this);
        worker.Render(_plan[index]);
        return worker.LastHud;
    }

    /// <summary>Renders one frame (0-based) into <paramref name="rgba"/> (width × height × 4 bytes, RGBA8888).</summary>
    public void RenderFrame(int index, Span<byte> rgba)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, FrameCount);
        using var worker = new Worker(this);
        worker.Render(_plan[index]);
        worker.Frame.Pixels.AsSpan(0, _options.Width * _options.Height * 4).CopyTo(rgba);
    }

    /// <summary>
    /// Renders frames <paramref name="firstFrame"/> .. <paramref name="firstFrame"/> + <paramref name="frameCount"/> − 1
    /// (the same pixels as in a full <see cref="Render"/>) and hands each to <paramref name="onFrame"/> in order, as
    /// (frame index, RGBA8888 bytes; the buffer belongs to the callee). Used to render one segment of a video on one
    /// machine and another segment elsewhere.
    /// </summary>
    public void RenderRange(int firstFrame, int frameCount, Action<int, byte[]> onFrame, IProgress<RenderProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        ArgumentOutOfRangeException.ThrowIfNegative(firstFrame);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstFrame + frameCount, FrameCount);
        using var sink = new CallbackSink(onFrame);
        RenderTo(sink, progress, cancellationToken, firstFrame, frameCount);
    }

    private sealed class CallbackSink(Action<int, byte[]> onFrame) : FrameSink
    {
        public override string OutputPath => "";
        public override byte[] Encode(int index, byte[] rgba) => (byte[])rgba.Clone();
        public override void Write(int index, byte[] encoded) => onFrame(index, encoded);
        public override void Complete() { }
    }

    internal void RenderTo(FrameSink sink, IProgress<RenderProgress>? progress, CancellationToken cancellationToken, int first = 0, int count = -1)
    {
        int total = count < 0 ? FrameCount : count;
        int parallelism = Math.Clamp(_options.MaxParallelism, 1, 64);
        var workers = new ConcurrentBag<Worker>();
        try
        {
            // Batches of a few frames per worker: render and encode in parallel, then write in order.
            int batch = parallelism * 2;
            var encoded = new byte[batch][];
            progress?.Report(new RenderProgress(0, total));
            for (int start = 0; start < total; start += batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int n = Math.Min(batch, total - start);
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, k =>
                {
                    if (!workers.TryTake(out var worker)) worker = new Worker(this);
                    try
                    {
                        worker.Render(_plan[first + start + k]);
                        encoded[k] = sink.Encode(first + start + k, worker.Frame.Pixels);
                    }
                    finally { workers.Add(worker); }
                });
                for (int k = 0; k < n; k++)
                {
                    sink.Write(first + start + k, encoded[k]);
                    encoded[k] = null!;
                    progress?.Report(new RenderProgress(start + k + 1, total));
                }
            }
            sink.Complete();
        }
        finally
        {
            foreach (var w in workers) w.Dispose();
        }
    }

    private static float[][] ProbeInputs(TimelapseData data)
    {
        if (data.ProbeImage is { } image) return [image];
        int nIn = data.LayerSizes[0];
        if (data.ProbeInputs is { Count: > 0 } given) return [.. given.Take(64)];
        if (data.Points is { } pts)
        {
            int n = pts.Length / 2;
            int take = Math.Min(48, n);
            var list = new float[take][];
            for (int i = 0; i < take; i++)
            {
                int p = (int)((long)i * n / take);
                list[i] = [pts[2 * p], pts[2 * p + 1]];
            }
            return list;
        }
        // No data: a fixed, seeded set of standard-normal inputs, so glows are reproducible.
        var rng = new Random(1234);
        var inputs = new float[16][];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = new float[nIn];
            for (int j = 0; j < nIn; j++)
                inputs[i][j] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        }
        return inputs;
    }

    // Fixed per-layer scales for the whole video (the largest |w| of the layer over the run, as the glTF
    // timeline uses), so colour and width show weights growing over training.
    private static float[] WeightScales(TimelapseData data)
    {
        int layers = data.LayerSizes.Count - 1;
        var scales = new float[layers];
        foreach (var snap in data.Snapshots)
            for (int k = 0; k < layers; k++)
                foreach (var v in snap.Weights[k])
                    if (float.IsFinite(v)) scales[k] = MathF.Max(scales[k], MathF.Abs(v));
        for (int k = 0; k < layers; k++) if (!(scales[k] > 1e-8f)) scales[k] = 1f;
        return scales;
    }

    private static float[] ActivationScales(TimelapseData data, float[][] probes)
    {
        var sizes = data.LayerSizes;
        var scales = new float[sizes.Count];
        var eval = new Evaluation(sizes);
        foreach (var snap in Stride(data.Snapshots, 24))
        {
            if (snap.Activations is { } recorded)
            {
                for (int k = 0; k < sizes.Count && k < recorded.Count; k++)
                    foreach (var v in recorded[k]) scales[k] = MathF.Max(scales[k], MathF.Abs(v));
                continue;
            }
            eval.Load(snap, snap, 0);
            eval.MeanActivations(data, probes);
            for (int k = 0; k < sizes.Count; k++)
                foreach (var v in eval.MeanAbs[k]) scales[k] = MathF.Max(scales[k], v);
        }
        for (int k = 0; k < scales.Length; k++) if (!(scales[k] > 1e-6f)) scales[k] = 1f;
        return scales;
    }

    private static IEnumerable<T> Stride<T>(IReadOnlyList<T> items, int max)
    {
        int n = items.Count;
        if (n <= max) { foreach (var x in items) yield return x; yield break; }
        for (int i = 0; i < max; i++) yield return items[(int)((long)i * (n - 1) / (max - 1))];
    }

    private static (float, float, float, float) Extent(float[]? pts)
    {
        if (pts is null || pts.Length < 2) return (-1, 1, -1, 1);
        float x0 = float.MaxValue, x1 = float.MinValue, y0 = float.MaxValue, y1 = float.MinValue;
        for (int i = 0; i + 1 < pts.Length; i += 2)
        {
            x0 = MathF.Min(x0, pts[i]); x1 = MathF.Max(x1, pts[i]);
            y0 = MathF.Min(y0, pts[i + 1]); y1 = MathF.Max(y1, pts[i + 1]);
        }
        // Square extent with 10 % padding, so the panel is not stretched.
        float cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
        float half = MathF.Max(MathF.Max(x1 - x0, y1 - y0) * 0.55f, 1e-3f);
        return (cx - half, cx + half, cy - half, cy + half);
    }

    /// <summary>Interpolated parameters of one frame and forward passes over them.</summary>
    private sealed class Evaluation
    {
        private readonly IReadOnlyList<int> _sizes;
        public readonly float[][] Weights, Layers, Mean, MeanAbs;
        public readonly float[]?[] Biases;

        public Evaluation(IReadOnlyList<int> sizes)
        {
            _sizes = sizes;
            int n = sizes.Count;
            Weights = new float[n - 1][];
            Biases = new float[n - 1][];
            for (int k = 0; k + 1 < n; k++) Weights[k] = new float[sizes[k] * sizes[k + 1]];
            Layers = [.. sizes.Select(s => new float[s])];
            Mean = [.. sizes.Select(s => new float[s])];
            MeanAbs = [.. sizes.Select(s => new float[s])];
        }

        public void Load(WeightSnapshot a, WeightSnapshot b, float t)
        {
            for (int k = 0; k < Weights.Length; k++)
            {
                Lerp(a.Weights[k], b.Weights[k], t, Weights[k]);
                var ba = a.Biases is { } la && la.Count > k ? la[k] : null;
                var bb = b.Biases is { } lb && lb.Count > k ? lb[k] : null;
                if (ba is null || bb is null) { Biases[k] = null; continue; }
                if (Biases[k] is not { } dst || dst.Length != ba.Length) Biases[k] = dst = new float[ba.Length];
                Lerp(ba, bb, t, dst);
            }
        }

        public static void Lerp(float[] a, float[] b, float t, float[] dst)
        {
            if (t == 0 || ReferenceEquals(a, b)) { a.CopyTo(dst, 0); return; }
            // dst = a + t·(b − a)
            System.Numerics.Tensors.TensorPrimitives.Subtract(b, a, dst);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(dst, t, a, dst);
        }

        public void MeanActivations(TimelapseData data, float[][] probes)
        {
            foreach (var m in Mean) Array.Clear(m);
            foreach (var m in MeanAbs) Array.Clear(m);
            foreach (var input in probes)
            {
                MlpEvaluator.Forward(_sizes, data.Activations, Weights, Biases, input, Layers);
                for (int k = 0; k < Layers.Length; k++)
                    for (int i = 0; i < Layers[k].Length; i++)
                    {
                        Mean[k][i] += Layers[k][i];
                        MeanAbs[k][i] += MathF.Abs(Layers[k][i]);
                    }
            }
            float inv = 1f / probes.Length;
            for (int k = 0; k < Layers.Length; k++)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(Mean[k], inv, Mean[k]);
                System.Numerics.Tensors.TensorPrimitives.Multiply(MeanAbs[k], inv, MeanAbs[k]);
            }
        }
    }

    /// <summary>Per-thread state: interpolation buffers, the scene, the renderer and the HUD.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly TimelapseRenderer _owner;
        private readonly Evaluation _eval;
        private readonly RenderScene _scene;
        private readonly HudState _hud = new();
        private byte[]? _grid;
        private float[][][]? _gridLayers;

        public Worker(TimelapseRenderer owner)
        {
            _owner = owner;
            _eval = new Evaluation(owner._data.LayerSizes);
            _scene = new RenderScene(owner._layout.Positions.Length, owner._layout.ShownCount);
            Frame = new FrameRenderer(owner._options.Width, owner._options.Height);
            for (int i = 0; i < _scene.NeuronCount; i++) _scene.NeuronPosition[i] = owner._layout.Positions[i];
        }

        public FrameRenderer Frame { get; }

        /// <summary>The HUD of the last rendered frame, or null without a HUD.</summary>
        public HudState? LastHud { get; private set; }

        public void Render(FrameTime time)
        {
            var data = _owner._data;
            var snaps = data.Snapshots;
            var a = snaps[time.Snapshot];
            var b = time.T > 0 && time.Snapshot + 1 < snaps.Count ? snaps[time.Snapshot + 1] : a;
            _eval.Load(a, b, time.T);
            if (a.Activations is { } ra && b.Activations is { } rb)
            {
                for (int k = 0; k < _eval.Mean.Length && k < ra.Count && k < rb.Count; k++)
                {
                    Evaluation.Lerp(ra[k], rb[k], time.T, _eval.Mean[k]);
                    System.Numerics.Tensors.TensorPrimitives.Abs(_eval.Mean[k], _eval.MeanAbs[k]);
                }
            }
            else _eval.MeanActivations(data, _owner._probeInputs);

            BuildNeurons();
            BuildConnections();
            HudState? hud = null;
            if (_owner._options.ShowHud) hud = BuildHud(a, b, time);
            LastHud = hud;
            var (center, radius) = _scene.Bounds();
            float offsetX = hud is null ? 0 : Hud.SceneOffsetX(_owner._options.Width, _owner._options.Height, hud);
            var camera = PerspectiveCamera.ForScene(_owner._options.Camera, time.VideoTime, center, radius,
                _owner._options.Width, _owner._options.Height, offsetX, 0);
            Frame.Render(_scene, camera, hud);
        }

        private void BuildNeurons()
        {
            var layout = _owner._layout;
            var sizes = layout.LayerSizes;
            for (int k = 0; k < sizes.Count; k++)
            {
                float inv = 1f / _owner._activationScale[k];
                for (int i = 0; i < sizes[k]; i++)
                {
                    int id = layout.LayerStart[k] + i;
                    // Colour from the shared sequential map (as the glTF neurons), glow growing with |activation|.
                    float magnitude = Math.Clamp(_eval.MeanAbs[k][i] * inv, 0f, 1f);
                    var color = Palette.Sequential(magnitude);
                    _scene.NeuronFill[id] = color;
                    _scene.NeuronGlowColor[id] = color.Lerp(new Rgb(1, 1, 1), 0.15f);
                    _scene.NeuronGlow[id] = 0.6f * magnitude * magnitude;
                    _scene.NeuronRadius[id] = layout.Radius[id];
                }
            }
        }

        private void BuildConnections()
        {
            var layout = _owner._layout;
            var sizes = layout.LayerSizes;
            float scale = _owner._options.Height / 720f;
            int count = 0;
            for (int k = 0; k + 1 < sizes.Count; k++)
            {
                var w = _eval.Weights[k];
                int nIn = sizes[k];
                float weightScale = _owner._weightScale[k];
                foreach (int id in layout.Shown[k])
                {
                    float v = w[id];
                    float strength = DivergingColorMap.Strength(v, weightScale);
                    _scene.SegmentFrom[count] = layout.LayerStart[k] + id % nIn;
                    _scene.SegmentTo[count] = layout.LayerStart[k + 1] + id / nIn;
                    _scene.SegmentColor[count] = Palette.Diverging(v, weightScale);
                    _scene.SegmentWidth[count] = (0.6f + 2.4f * strength) * scale;
                    _scene.SegmentAlpha[count] = 0.08f + 0.87f * strength;
                    count++;
                }
            }
            _scene.SegmentCount = count;
        }

        private HudState BuildHud(WeightSnapshot a, WeightSnapshot b, FrameTime time)
        {
            var data = _owner._data;
            float t = time.T;
            _hud.Title = data.Title;
            _hud.Step = (int)MathF.Round(a.Step + (b.Step - a.Step) * t);
            _hud.Epoch = t < 1 ? a.Epoch : b.Epoch;
            _hud.Epochs = data.Epochs;
            _hud.History = _owner._history;
            var current = _owner._history.LastOrDefault(h => h.Step <= _hud.Step);
            bool hasCurrent = _owner._history.Length > 0 && _owner._history[0].Step <= _hud.Step;
            _hud.Loss = a.Loss is { } la && b.Loss is { } lb ? la + (lb - la) * t : hasCurrent ? current.Loss : null;
            _hud.Accuracy = a.Accuracy is { } aa && b.Accuracy is { } ab ? aa + (ab - aa) * t : hasCurrent ? current.Accuracy : null;
            _hud.LearningRate = a.LearningRate ?? (hasCurrent ? current.LearningRate : null);
            if (data.Points is not null) DecisionGrid();
            else if (data.ProbeImage is { } image)
            {
                _hud.ProbeImage = image;
                _hud.ProbeWidth = data.ProbeWidth;
                _hud.ProbeHeight = data.ProbeHeight;
                // Predict on the probe as the network saw it (possibly standardized), not on the display copy.
                var input = data.ProbeInputs is { Count: > 0 } probes ? probes[0] : image;
                MlpEvaluator.Forward(data.LayerSizes, data.Activations, _eval.Weights, _eval.Biases, input, _eval.Layers);
                var logits = _eval.Layers[^1];
                var probs = new float[logits.Length];
                MlpEvaluator.Probabilities(logits, probs, IsProbabilityOutput());
                int best = 0;
                for (int i = 1; i < probs.Length; i++) if (probs[i] > probs[best]) best = i;
                _hud.PredictedClass = probs.Length == 1 ? (probs[0] >= 0.5f ? 1 : 0) : best;
                _hud.PredictedProbability = probs.Length == 1 ? MathF.Max(probs[0], 1 - probs[0]) : probs[best];
                _hud.PredictedName = data.ClassNames is { } names && _hud.PredictedClass < names.Count ? names[_hud.PredictedClass] : null;
            }
            return _hud;
        }

        private bool IsProbabilityOutput()
        {
            var acts = _owner._data.Activations;
            int last = _owner._data.LayerSizes.Count - 2;
            return last < acts.Count && acts[last].Equals("sigmoid", StringComparison.OrdinalIgnoreCase) && _owner._data.LayerSizes[^1] == 1;
        }

        private void DecisionGrid()
        {
            var data = _owner._data;
            var sizes = data.LayerSizes;
            int g = GridSize(_owner._options.DecisionGridSize, sizes);
            int n = g * g;
            if (_grid is null || _grid.Length != n * 4)
            {
                _grid = new byte[n * 4];
                _gridLayers = [.. sizes.Select(size => Enumerable.Range(0, size).Select(_ => new float[n]).ToArray())];
                var (x0, x1, y0, y1) = _owner._extent;
                for (int row = 0; row < g; row++)
                    for (int col = 0; col < g; col++)
                    {
                        _gridLayers[0][0][row * g + col] = x0 + (col + 0.5f) / g * (x1 - x0);
                        _gridLayers[0][1][row * g + col] = y1 - (row + 0.5f) / g * (y1 - y0);
                    }
            }
            var layers = _gridLayers!;
            MlpEvaluator.ForwardBatch(sizes, data.Activations, _eval.Weights, _eval.Biases, layers, n);
            var outputs = layers[^1];
            int classes = sizes[^1];
            Span<float> logits = stackalloc float[Math.Max(1, classes)];
            Span<float> probs = stackalloc float[Math.Max(1, classes)];
            bool probability = IsProbabilityOutput();
            var background = Palette.BackgroundTop;
            for (int p = 0; p < n; p++)
            {
                for (int c = 0; c < classes; c++) logits[c] = outputs[c][p];
                MlpEvaluator.Probabilities(logits, probs, probability);
                int best; float confidence;
                if (classes == 1)
                {
                    best = probs[0] >= 0.5f ? 1 : 0;
                    confidence = MathF.Abs(probs[0] - 0.5f) * 2f;
                }
                else
                {
                    best = 0;
                    for (int i = 1; i < classes; i++) if (probs[i] > probs[best]) best = i;
                    confidence = (probs[best] - 1f / classes) / (1f - 1f / classes);
                }
                var color = background.Lerp(Palette.Class(best), 0.18f + 0.5f * Math.Clamp(confidence, 0f, 1f));
                _grid[4 * p] = (byte)(color.R * 255f + 0.5f);
                _grid[4 * p + 1] = (byte)(color.G * 255f + 0.5f);
                _grid[4 * p + 2] = (byte)(color.B * 255f + 0.5f);
                _grid[4 * p + 3] = 255;
            }
            _hud.Grid = _grid;
            _hud.GridSize = g;
            _hud.Points = data.Points;
            _hud.Labels = data.Labels;
            _hud.Extent = _owner._extent;
        }

        // Big networks get a coarser grid (drawn with bilinear filtering): about 12 M multiply-adds per frame at most.
        internal static int GridSize(int requested, IReadOnlyList<int> sizes)
        {
            long macs = 0;
            for (int k = 0; k + 1 < sizes.Count; k++) macs += (long)sizes[k] * sizes[k + 1];
            int affordable = (int)Math.Sqrt(12_000_000.0 / Math.Max(1, macs));
            return Math.Clamp(Math.Min(requested, affordable), Math.Min(requested, 16), requested);
        }

        public void Dispose() => Frame.Dispose();
    }
}

/// <summary>What a render wrote.</summary>
/// <param name="OutputPath">The file (or folder of PNG frames) written.</param>
/// <param name="Format">The output format.</param>
/// <param name="Frames">Number of frames.</param>
/// <param name="Width">Frame width.</param>
/// <param name="Height">Frame height.</param>
/// <param name="Fps">Frames per second.</param>
public sealed record RenderResult(string OutputPath, OutputFormat Format, int Frames, int Width, int Height, double Fps);
