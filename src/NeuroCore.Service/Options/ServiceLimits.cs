namespace NeuroCore.Service.Options;

/// <summary>Limits that keep a shared service healthy against hostile or careless input.</summary>
public sealed class ServiceLimits
{
    /// <summary>Largest upload body in bytes (archives and live snapshot files); larger is answered 413. Default 1 GiB.</summary>
    public long MaxUploadBytes { get; set; } = 1L << 30;

    /// <summary>Most entries in an uploaded archive (files and folders); more is answered 400. Default 100,000.</summary>
    public int MaxArchiveEntries { get; set; } = 100_000;

    /// <summary>Most bytes an uploaded archive may unpack to; more is answered 400 as soon as it is exceeded. Default 4 GiB.</summary>
    public long MaxUncompressedBytes { get; set; } = 4L << 30;

    /// <summary>Requests per second one client (remote address) may make on average; more is answered 429. Default 200.</summary>
    public int RequestsPerSecond { get; set; } = 200;

    /// <summary>Burst of requests one client may make at once before the rate applies. Default 400.</summary>
    public int RequestBurst { get; set; } = 400;

    /// <summary>Largest frame side of a render, in pixels. Default 3840.</summary>
    public int MaxFrameSide { get; set; } = 3840;

    /// <summary>Most frames of one video render. Default 36,000 (20 minutes at 30 fps).</summary>
    public int MaxFrames { get; set; } = 36_000;

    /// <summary>Frames per video segment: a video longer than this is split into segments rendered by any worker. Default 150.</summary>
    public int SegmentFrames { get; set; } = 150;
}
