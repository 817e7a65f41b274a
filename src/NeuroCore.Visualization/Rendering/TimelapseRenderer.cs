using System.Collections.Concurrent;
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
    private readonly Plan _plan;
    private readonly FrameTime[] _frames;

    /// <summary>Prepares a render of <paramref name="data"/> with <paramref name="options"/>; validates both.</summary>
    public TimelapseRenderer(TimelapseData data, TimelapseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new TimelapseOptions();
        options.Validate();
        data.Validate();
        foreach (var a in data.Activations) FrameNetwork.ParseActivation(a);
        var network = new FrameNetwork(data);
        var probes = ProbeInputs.For(data);
        _plan = new Plan(
            data, options, SharedLayout.Create(data, options.MaxConnections), probes,
            RenderScales.Weights(data), RenderScales.Activations(data, network, probes),
            data.History.Count > 0
                ? [.. data.History.OrderBy(h => h.Step)]
                : [.. data.Snapshots.Where(s => s.Loss.HasValue).Select(s => new MetricSample(s.Step, s.Loss!.Value, s.Accuracy, s.LearningRate))],
            Extent(data.Points));
        _frames = TimelapseSchedule.Plan(data.Snapshots.Count, options.FrameCount,
            (int)Math.Round(options.HoldStartSeconds * options.Fps), (int)Math.Round(options.HoldEndSeconds * options.Fps));
    }

    /// <summary>What every frame of one render shares (read-only once built).</summary>
    internal sealed record Plan(
        TimelapseData Data, TimelapseOptions Options, SharedLayout Layout, Tensor Probes,
        float[] WeightScales, float[] ActivationScales, MetricSample[] History,
        (float XMin, float XMax, float YMin, float YMax) Extent);

    /// <summary>Number of frames the video will have.</summary>
    public int FrameCount => _frames.Length;

    /// <summary>The options in use.</summary>
    public TimelapseOptions Options => _plan.Options;

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
        var options = _plan.Options;
        var format = OutputFormats.FromPath(output);
        using var sink = FrameSinks.Create(format, output, options.Width, options.Height, options.Fps, FrameCount);
        RenderTo(sink, progress, cancellationToken);
        return new RenderResult(sink.OutputPath, format, FrameCount, options.Width, options.Height, options.Fps);
    }

    /// <summary>The heads-up display state frame <paramref name="index"/> is drawn with (for tests).</summary>
    internal HudState? HudOfFrame(int index)
    {
        using var worker = new FrameWorker(_plan);
        worker.Render(_frames[index]);
        return worker.LastHud;
    }

    /// <summary>Renders frame <paramref name="index"/> with a new worker, with or without the HUD's pixels, and returns the worker to inspect and dispose (tests).</summary>
    internal FrameWorker RenderWith(int index, bool drawHud)
    {
        var worker = new FrameWorker(_plan) { DrawHud = drawHud };
        worker.Render(_frames[index]);
        return worker;
    }

    /// <summary>Renders one frame (0-based) into <paramref name="rgba"/> (width × height × 4 bytes, RGBA8888).</summary>
    public void RenderFrame(int index, Span<byte> rgba)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, FrameCount);
        using var worker = new FrameWorker(_plan);
        worker.Render(_frames[index]);
        worker.Frame.Pixels.AsSpan(0, _plan.Options.Width * _plan.Options.Height * 4).CopyTo(rgba);
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

    /// <summary>The encode pipeline: frames rendered and encoded in parallel batches, written in order
    /// (frames <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> − 1; all when count is negative).</summary>
    internal void RenderTo(FrameSink sink, IProgress<RenderProgress>? progress, CancellationToken cancellationToken, int first = 0, int count = -1) =>
        FramePipeline.Run(sink, first, count < 0 ? FrameCount : count, _plan.Options.MaxParallelism, () => new FrameWorker(_plan),
            (worker, frame) => { worker.Render(_frames[frame]); return worker.Frame.Pixels; }, progress, cancellationToken);

    private static (float, float, float, float) Extent(float[]? pts)
    {
        if (pts is null || pts.Length < 2) return (-1, 1, -1, 1);
        float x0 = float.MaxValue, x1 = float.MinValue, y0 = float.MaxValue, y1 = float.MinValue;
        for (int i = 0; i + 1 < pts.Length; i += 2)
        {
            if (!float.IsFinite(pts[i]) || !float.IsFinite(pts[i + 1])) continue;
            x0 = MathF.Min(x0, pts[i]); x1 = MathF.Max(x1, pts[i]);
            y0 = MathF.Min(y0, pts[i + 1]); y1 = MathF.Max(y1, pts[i + 1]);
        }
        if (x0 > x1) return (-1, 1, -1, 1);
        // Square extent with 10 % padding, so the panel is not stretched.
        float cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
        float half = MathF.Max(MathF.Max(x1 - x0, y1 - y0) * 0.55f, 1e-3f);
        return (cx - half, cx + half, cy - half, cy + half);
    }
}
