using NeuroCore.Service.Jobs;

namespace NeuroCore.Service.Storage;

/// <summary>
/// Where render jobs keep their records, segments and results. Every writer writes its own file (the job record by the
/// API and the finishing job, one record per segment by the worker rendering it), so workers on many machines never race
/// on one file; every file is written to a temporary name and renamed.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Writes (creates or replaces) the record of a job.</summary>
    void SaveJob(JobRecord job);

    /// <summary>The record of job <paramref name="id"/>, or null.</summary>
    JobRecord? LoadJob(string id);

    /// <summary>Writes the record of one segment of a video job.</summary>
    void SaveSegment(string jobId, SegmentRecord segment);

    /// <summary>The segment records of a job written so far.</summary>
    IReadOnlyList<SegmentRecord> LoadSegments(string jobId);

    /// <summary>Records the Hangfire job ids of a job (written once by the API, in its own file).</summary>
    void SaveEngineJobs(string jobId, IReadOnlyList<string> ids);

    /// <summary>The Hangfire job ids of a job.</summary>
    IReadOnlyList<string> LoadEngineJobs(string jobId);

    /// <summary>Marks a job canceled (read by the workers between frames).</summary>
    void MarkCanceled(string jobId);

    /// <summary>True when the job was canceled.</summary>
    bool IsCanceled(string jobId);

    /// <summary>The job's working folder (segment files, temporary outputs), created when absent.</summary>
    string WorkFolder(string jobId);

    /// <summary>The final path of a job's result file named <paramref name="fileName"/>.</summary>
    string ResultPath(string jobId, string fileName);

    /// <summary>Deletes a job's files.</summary>
    void DeleteJob(string jobId);

    /// <summary>True when the store can be read and written now (the readiness check).</summary>
    bool IsReachable(out string? problem);
}
