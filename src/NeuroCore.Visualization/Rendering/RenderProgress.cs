namespace NeuroCore.Visualization.Rendering;

/// <summary>Progress of a render: frames done out of the total.</summary>
/// <param name="FramesDone">Frames rendered and written so far.</param>
/// <param name="TotalFrames">Frames in the video.</param>
public readonly record struct RenderProgress(int FramesDone, int TotalFrames)
{
    /// <summary>Fraction done in 0..1.</summary>
    public double Fraction => TotalFrames == 0 ? 1 : FramesDone / (double)TotalFrames;
}
