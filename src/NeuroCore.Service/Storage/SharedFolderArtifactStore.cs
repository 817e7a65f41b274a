using System.Text.Json;
using NeuroCore.Service.Jobs;

namespace NeuroCore.Service.Storage;

/// <summary>
/// Job records and results in a folder every worker shares: <c>DATA/jobs/{id}/job.json</c>, <c>segments/NNNN.json</c>,
/// <c>work/</c> for segment files, <c>result/</c> for the finished file, <c>canceled</c> as a marker.
/// </summary>
public sealed class SharedFolderArtifactStore : IArtifactStore
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly string _jobs;

    /// <summary>Uses <paramref name="dataFolder"/> (created when absent).</summary>
    public SharedFolderArtifactStore(string dataFolder)
    {
        _jobs = Path.Combine(Path.GetFullPath(dataFolder), "jobs");
        Directory.CreateDirectory(_jobs);
    }

    private string JobFolder(string id) =>
        RunIds.IsValid(id) ? Path.Combine(_jobs, id) : throw new ArgumentException($"invalid job id '{id}'", nameof(id));

    /// <inheritdoc />
    public void SaveJob(JobRecord job) =>
        AtomicFiles.WriteAllBytes(Path.Combine(JobFolder(job.Id), "job.json"), JsonSerializer.SerializeToUtf8Bytes(job, Json));

    /// <inheritdoc />
    public JobRecord? LoadJob(string id)
    {
        if (!RunIds.IsValid(id)) return null;
        var path = Path.Combine(JobFolder(id), "job.json");
        try { return JsonSerializer.Deserialize<JobRecord>(File.ReadAllBytes(path), Json); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    /// <inheritdoc />
    public void SaveSegment(string jobId, SegmentRecord segment) =>
        AtomicFiles.WriteAllBytes(Path.Combine(JobFolder(jobId), "segments", $"{segment.Index:D4}.json"), JsonSerializer.SerializeToUtf8Bytes(segment, Json));

    /// <inheritdoc />
    public IReadOnlyList<SegmentRecord> LoadSegments(string jobId)
    {
        var folder = Path.Combine(JobFolder(jobId), "segments");
        if (!Directory.Exists(folder)) return [];
        var list = new List<SegmentRecord>();
        foreach (var f in Directory.EnumerateFiles(folder, "*.json"))
        {
            try { if (JsonSerializer.Deserialize<SegmentRecord>(File.ReadAllBytes(f), Json) is { } s) list.Add(s); }
            catch (FileNotFoundException) { }
        }
        return [.. list.OrderBy(s => s.Index)];
    }

    /// <inheritdoc />
    public void SaveEngineJobs(string jobId, IReadOnlyList<string> ids) =>
        AtomicFiles.WriteAllBytes(Path.Combine(JobFolder(jobId), "hangfire.json"), JsonSerializer.SerializeToUtf8Bytes(ids, Json));

    /// <inheritdoc />
    public IReadOnlyList<string> LoadEngineJobs(string jobId)
    {
        try { return JsonSerializer.Deserialize<List<string>>(File.ReadAllBytes(Path.Combine(JobFolder(jobId), "hangfire.json")), Json) ?? []; }
        catch (FileNotFoundException) { return []; }
        catch (DirectoryNotFoundException) { return []; }
    }

    /// <inheritdoc />
    public void MarkCanceled(string jobId) => AtomicFiles.WriteAllBytes(Path.Combine(JobFolder(jobId), "canceled"), "canceled\n"u8);

    /// <inheritdoc />
    public bool IsCanceled(string jobId) => File.Exists(Path.Combine(JobFolder(jobId), "canceled"));

    /// <inheritdoc />
    public string WorkFolder(string jobId)
    {
        var folder = Path.Combine(JobFolder(jobId), "work");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <inheritdoc />
    public string ResultPath(string jobId, string fileName) => Path.Combine(JobFolder(jobId), "result", fileName);

    /// <inheritdoc />
    public void DeleteJob(string jobId)
    {
        var folder = JobFolder(jobId);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    /// <inheritdoc />
    public bool IsReachable(out string? problem)
    {
        try
        {
            var probe = Path.Combine(_jobs, ".ready-" + Environment.ProcessId);
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            problem = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"data folder {_jobs} is not writable: {e.Message}";
            return false;
        }
    }
}
