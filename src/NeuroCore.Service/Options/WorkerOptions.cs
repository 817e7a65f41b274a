namespace NeuroCore.Service.Options;

/// <summary>How <c>neurocore worker</c> runs: a render worker without HTTP, sharing a job database and a data folder with the service.</summary>
public sealed class WorkerOptions
{
    /// <summary>The shared data folder (the same folder the service uses, e.g. an NFS mount).</summary>
    public required string DataFolder { get; set; }

    /// <summary>The shared job storage: <c>postgres://user:pass@host:port/db</c>.</summary>
    public required string Storage { get; set; }

    /// <summary>Render workers in this process. Default: the number of cores.</summary>
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>After how long a job of a vanished worker is handed to another. Default 5 minutes.</summary>
    public TimeSpan RequeueAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A name for this process in job metadata. Default <c>host:pid</c>.</summary>
    public string? WorkerName { get; set; }

    /// <summary>Limits applied to renders (frame sizes, segment length).</summary>
    public ServiceLimits Limits { get; set; } = new();
}
