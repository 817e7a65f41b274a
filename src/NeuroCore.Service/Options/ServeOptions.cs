namespace NeuroCore.Service.Options;

/// <summary>How <c>neurocore serve</c> runs: where data lives, where it listens, who may write, how many render workers.</summary>
public sealed class ServeOptions
{
    /// <summary>The viewer's and playground's limits (concurrent trainings, model size, idle timeout).</summary>
    public NeuroCore.Viewer.ViewerOptions Viewer { get; set; } = new();

    /// <summary>Run folders on this machine to add to the service's runs at start (<c>--add-run</c>), e.g. the demo's run.</summary>
    public IReadOnlyList<string> AddRuns { get; set; } = [];

    /// <summary>
    /// Embedding output folders on this machine (<c>neurocore embed -o DIR</c>, <c>neurocore word2vec -o DIR</c>) the viewer
    /// shows at <c>/embeddings/{folder name}</c> (<c>--add-embedding</c>); each is checked at start.
    /// </summary>
    public IReadOnlyList<string> AddEmbeddings { get; set; } = [];

    /// <summary>The data folder (runs, job records, results and the embedded job database). Default <c>./neurocore-data</c>.</summary>
    public string DataFolder { get; set; } = "neurocore-data";

    /// <summary>The URLs Kestrel listens on (separated by <c>;</c>). Default <c>http://127.0.0.1:5080</c>.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The API key writes need (<c>Authorization: Bearer KEY</c>); null allows writes from loopback only binds.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Render workers in this process (Hangfire worker count); 0 serves the API only. Default: the number of cores.</summary>
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>The job storage: null or <c>sqlite</c> for the embedded database in the data folder, or <c>postgres://user:pass@host:port/db</c>.</summary>
    public string? Storage { get; set; }

    /// <summary>When true, reads of runs and jobs need the key from non-loopback clients too (the default when a key is set).</summary>
    public bool PublicReads { get; set; }

    /// <summary>Limits on what clients may send.</summary>
    public ServiceLimits Limits { get; set; } = new();

    /// <summary>
    /// After how long a job fetched by a worker that vanished (killed, machine lost) is handed to another worker.
    /// Renders are split into short segments, so this can be short. Default 5 minutes.
    /// </summary>
    public TimeSpan RequeueAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A name for this process in job metadata (which worker rendered which segment). Default <c>host:pid</c>.</summary>
    public string? WorkerName { get; set; }
}
