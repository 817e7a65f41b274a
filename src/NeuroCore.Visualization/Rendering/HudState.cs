using System.Globalization;
using SkiaSharp;

namespace NeuroCore.Visualization.Rendering;

/// <summary>What the heads-up display shows on one frame.</summary>
internal sealed class HudState
{
    public string? Title { get; set; }
    public long Step { get; set; }
    public int Epoch { get; set; }
    public int? Epochs { get; set; }
    public float? LearningRate { get; set; }
    public float? Loss { get; set; }
    public float? Accuracy { get; set; }

    /// <summary>Held-out loss and accuracy of the last completed epoch, when the run has a held-out split.</summary>
    public float? ValidationLoss { get; set; }
    public float? ValidationAccuracy { get; set; }

    /// <summary>Full metric history (the curves are drawn up to <see cref="Step"/>; axes span all of it).</summary>
    public MetricSample[] History { get; set; } = [];

    /// <summary>Decision-region colours, RGBA8888, <see cref="GridSize"/>² pixels, row 0 at the top (largest y).</summary>
    public byte[]? Grid { get; set; }
    public int GridSize { get; set; }
    public float[]? Points { get; set; }
    public int[]? Labels { get; set; }
    public (float XMin, float XMax, float YMin, float YMax) Extent { get; set; }

    public float[]? ProbeImage { get; set; }
    public int ProbeWidth { get; set; }
    public int ProbeHeight { get; set; }
    public int PredictedClass { get; set; } = -1;
    public string? PredictedName { get; set; }
    public float PredictedProbability { get; set; }
}
