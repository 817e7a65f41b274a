using System.Collections.Concurrent;
using NeuroCore.Snapshots;
using NeuroCore.Visualization.Encoding;
using NeuroCore.Visualization.Runs;

namespace NeuroCore.Visualization.Rendering.Conv;

/// <summary>
/// A timelapse of a convolutional run: every frame rebuilds the recorded network (<see cref="RunModel.LoadNetwork"/>)
/// with parameters interpolated between two snapshots and runs it on the probe image, then draws the network's
/// feature-map stacks in 3-D, the probe image with the predicted class probabilities as bars, the first layer's
/// filters, every convolution's feature maps as a grid, and the loss and accuracy curves (held-out ones beside them).
/// </summary>
/// <example>
/// <code>
/// var run = RunModel.Open("runs/digits-cnn");
/// if (ConvTimelapseRenderer.IsConvolutional(run)) new ConvTimelapseRenderer(run, new TimelapseOptions()).Render("cnn.mp4");
/// </code>
/// </example>
public sealed class ConvTimelapseRenderer
{
    private readonly Plan _plan;
    private readonly FrameTime[] _frames;

    /// <summary>True when the run's model has a Conv2d layer (the MLP renderer cannot show it; this one can).</summary>
    public static bool IsConvolutional(RunModel run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Manifest.Architecture.Layers.Any(l => l.TypeName == "Conv2d");
    }

    /// <summary>Prepares a render of <paramref name="run"/>: up to <paramref name="maxSnapshots"/> snapshots (evenly chosen), probe 0 as the image.</summary>
    /// <exception cref="ArgumentException">The run has no snapshots, no convolution, no probe image, or a layer the core cannot rebuild.</exception>
    public ConvTimelapseRenderer(RunModel run, TimelapseOptions? options = null, int maxSnapshots = 300)
    {
        ArgumentNullException.ThrowIfNull(run);
        options ??= new TimelapseOptions();
        options.Validate();
        if (maxSnapshots < 1) throw new ArgumentException($"maxSnapshots must be at least 1, got {maxSnapshots}.", nameof(maxSnapshots));
        if (run.Steps.Count == 0) throw new ArgumentException($"Timelapse: the run '{run.Folder}' has no snapshots yet; nothing to render.");
        if (!IsConvolutional(run)) throw new ArgumentException("Timelapse: the run's model has no Conv2d layer; render it with TimelapseRenderer.");
        if (!RecordedNetwork.CanBuild(run.Manifest.Architecture, out var problem)) throw new ArgumentException($"Timelapse: {problem}");
        var shape = run.InputShape;
        if (shape.Count != 3) throw new ArgumentException($"Timelapse: a convolutional video needs image inputs [channels, height, width]; the run's input is [{string.Join(", ", shape)}].");
        if (run.LoadProbe() is not { Count: > 0 } probe)
            throw new ArgumentException("Timelapse: the run has no probe batch; a convolutional video shows the network on a probe image (record with a probe).");
        int c = shape[0], h = shape[1], w = shape[2];
        var values = probe.Inputs.Contiguous().ToArray();
        var first = values.AsSpan(0, c * h * w).ToArray();
        // The picture shows the image's mean over channels, rescaled to 0..1 (the inputs may be standardized).
        var grey = new float[h * w];
        for (int ch = 0; ch < c; ch++) for (int i = 0; i < h * w; i++) grey[i] += first[ch * h * w + i] / c;
        var (min, max) = MapImage.Range(grey);
        for (int i = 0; i < grey.Length; i++) grey[i] = max > min ? (grey[i] - min) / (max - min) : 0.5f;
        var labels = run.ProbeClassLabels();
        var manifest = run.Manifest;
        string layers = manifest.HyperParameters.TryGetValue("layers", out var l) && l.ValueKind == System.Text.Json.JsonValueKind.String ? l.GetString()! : "CNN";
        string title = (manifest.Dataset?.Name is { } ds ? $"{ds} · " : "") + $"CNN {layers}";
        int maxMap = manifest.Architecture.Layers.Select(x => x.OutputShape is { Count: 4 } o ? o[2] * o[3] : 0).DefaultIfEmpty(0).Max();
        _plan = new Plan(run, options, run.PickEvenly(maxSnapshots), Tensor.FromArray(first, 1, c, h, w), grey, w, h,
            labels is { Length: > 0 } ? labels[0] : null, manifest.Dataset?.ClassNames, title, manifest.Epochs,
            [.. run.Metrics.OrderBy(m => m.Step)], Math.Max(maxMap, h * w));
        _frames = TimelapseSchedule.Plan(_plan.Indexes.Length, options.FrameCount,
            (int)Math.Round(options.HoldStartSeconds * options.Fps), (int)Math.Round(options.HoldEndSeconds * options.Fps));
    }

    /// <summary>What every frame of one render shares (read-only once built).</summary>
    internal sealed record Plan(
        RunModel Run, TimelapseOptions Options, int[] Indexes, Tensor ProbeInput, float[] ProbeImage, int ProbeWidth, int ProbeHeight,
        long? ProbeClass, IReadOnlyList<string>? ClassNames, string Title, int? Epochs, MetricSample[] History, int MaxMapPixels);

    /// <summary>Number of frames the video will have.</summary>
    public int FrameCount => _frames.Length;

    /// <summary>The options in use.</summary>
    public TimelapseOptions Options => _plan.Options;

    /// <summary>Renders every frame and writes <paramref name="output"/> (formats as <see cref="TimelapseRenderer.Render"/>).</summary>
    /// <exception cref="ArgumentException">Unsupported extension.</exception>
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

    /// <summary>The encode pipeline: frames rendered and encoded in parallel batches, written in order.</summary>
    internal void RenderTo(FrameSink sink, IProgress<RenderProgress>? progress, CancellationToken cancellationToken) =>
        FramePipeline.Run(sink, 0, FrameCount, _plan.Options.MaxParallelism, () => new ConvFrameWorker(_plan),
            (worker, frame) => { worker.Render(_frames[frame]); return worker.Pixels; }, progress, cancellationToken);

    /// <summary>Renders one frame (0-based) into <paramref name="rgba"/> (width × height × 4 bytes, RGBA8888).</summary>
    public void RenderFrame(int index, Span<byte> rgba)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, FrameCount);
        using var worker = new ConvFrameWorker(_plan);
        worker.Render(_frames[index]);
        worker.Pixels.AsSpan(0, _plan.Options.Width * _plan.Options.Height * 4).CopyTo(rgba);
    }

    /// <summary>What frame <paramref name="index"/> shows (for tests), and its pixels.</summary>
    internal (ConvFrameState State, byte[] Pixels) FrameOf(int index)
    {
        using var worker = new ConvFrameWorker(_plan);
        worker.Render(_frames[index]);
        return (worker.State, (byte[])worker.Pixels.Clone());
    }
}
