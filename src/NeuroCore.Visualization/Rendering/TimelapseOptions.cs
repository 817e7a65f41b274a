namespace NeuroCore.Visualization.Rendering;

/// <summary>Settings of a timelapse video.</summary>
public sealed record TimelapseOptions
{
    /// <summary>Frame width in pixels (even for MP4/WebM).</summary>
    public int Width { get; init; } = 1280;

    /// <summary>Frame height in pixels (even for MP4/WebM).</summary>
    public int Height { get; init; } = 720;

    /// <summary>Frames per second.</summary>
    public double Fps { get; init; } = 30;

    /// <summary>Length of the video in seconds, holds included.</summary>
    public double DurationSeconds { get; init; } = 10;

    /// <summary>Seconds the first snapshot is held before training starts to play.</summary>
    public double HoldStartSeconds { get; init; } = 0.5;

    /// <summary>Seconds the last snapshot is held at the end.</summary>
    public double HoldEndSeconds { get; init; } = 1.5;

    /// <summary>Camera path.</summary>
    public CameraMode Camera { get; init; } = CameraMode.Orbit;

    /// <summary>
    /// Most connections drawn per frame. When the network has more, each layer keeps its share of the
    /// connections with the strongest |weight| in the <b>last</b> snapshot, and that selection is fixed for the
    /// whole video (no flicker as weights change); see docs/timelapse.md.
    /// </summary>
    public int MaxConnections { get; init; } = 20_000;

    /// <summary>Draws the heads-up display (status, curves, decision regions or probe image, legend).</summary>
    public bool ShowHud { get; init; } = true;

    /// <summary>Cells per side of the decision-region grid evaluated every frame.</summary>
    public int DecisionGridSize { get; init; } = 72;

    /// <summary>Frames rendered in parallel (default: one per core).</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Total frames: duration × fps, at least one.</summary>
    public int FrameCount => Math.Max(1, (int)Math.Round(DurationSeconds * Fps));

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    public void Validate()
    {
        if (Width < 16 || Height < 16 || Width > 8192 || Height > 8192)
            throw new ArgumentException($"Timelapse: frame size {Width}×{Height} is outside 16..8192 pixels per side.");
        if (!(Fps > 0 && Fps <= 240)) throw new ArgumentException($"Timelapse: fps {Fps} must be in (0, 240].");
        if (!(DurationSeconds > 0 && DurationSeconds <= 3600)) throw new ArgumentException($"Timelapse: duration {DurationSeconds} s must be in (0, 3600].");
        if (HoldStartSeconds < 0 || HoldEndSeconds < 0) throw new ArgumentException("Timelapse: hold times cannot be negative.");
        if (MaxConnections < 0) throw new ArgumentException($"Timelapse: MaxConnections {MaxConnections} cannot be negative.");
        if (DecisionGridSize < 4 || DecisionGridSize > 1024) throw new ArgumentException($"Timelapse: DecisionGridSize {DecisionGridSize} must be in 4..1024.");
    }
}
