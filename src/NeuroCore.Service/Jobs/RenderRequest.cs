namespace NeuroCore.Service.Jobs;

/// <summary>
/// The body of <c>POST /api/runs/{id}/renders</c>: what to render and how, with the options the CLI has
/// (<c>neurocore render</c> and <c>neurocore export gltf</c>).
/// </summary>
public sealed class RenderRequest
{
    /// <summary><c>video</c>, <c>gltf-step</c>, <c>gltf-timeline</c> or <c>frames</c> (a zip of numbered PNG frames).</summary>
    public string? Kind { get; set; }

    /// <summary>Video: <c>mp4</c> (default), <c>webm</c>, <c>png</c> (animated PNG) or <c>webp</c>; glTF: <c>glb</c>; frames: <c>png</c>.</summary>
    public string? Format { get; set; }

    /// <summary>gltf-step: the training step to export (default: the latest snapshot).</summary>
    public int? Step { get; set; }

    /// <summary>Video/frames: frame width in pixels (default 1280).</summary>
    public int? Width { get; set; }

    /// <summary>Video/frames: frame height in pixels (default 720).</summary>
    public int? Height { get; set; }

    /// <summary>Video/frames: frames per second (default 30).</summary>
    public double? Fps { get; set; }

    /// <summary>Video/frames: length in seconds including the holds (default 10).</summary>
    public double? Duration { get; set; }

    /// <summary>Video/frames: <c>orbit</c> (default) or <c>fixed</c>.</summary>
    public string? Camera { get; set; }

    /// <summary>Most connections drawn (default 20,000 in videos, the glTF default in scenes).</summary>
    public int? MaxConnections { get; set; }

    /// <summary>Video/frames: most snapshots read from the run, evenly chosen (default 300).</summary>
    public int? MaxSnapshots { get; set; }

    /// <summary>Video/frames: leave out the HUD.</summary>
    public bool? NoHud { get; set; }

    /// <summary>glTF: probe input whose activations colour the neurons (default 0).</summary>
    public int? Probe { get; set; }

    /// <summary>gltf-timeline: seconds of playback per snapshot (default 0.5).</summary>
    public double? SecondsPerSnapshot { get; set; }

    /// <summary>Video (mp4/webm): frames per segment; segments render in parallel on any worker. Default: the service's setting.</summary>
    public int? SegmentFrames { get; set; }
}
