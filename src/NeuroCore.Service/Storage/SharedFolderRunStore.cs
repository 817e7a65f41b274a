namespace NeuroCore.Service.Storage;

/// <summary>
/// Runs in a folder (local disk, or a network share every worker mounts): <c>DATA/runs/{id}</c> holds each run as a local
/// recorder writes it; uploads are unpacked in <c>DATA/staging</c> and renamed into place once checked.
/// </summary>
public sealed class SharedFolderRunStore : IRunStore
{
    private readonly string _runs;
    private readonly string _staging;

    /// <summary>Uses <paramref name="dataFolder"/> (created when absent).</summary>
    public SharedFolderRunStore(string dataFolder)
    {
        _runs = Path.Combine(Path.GetFullPath(dataFolder), "runs");
        _staging = Path.Combine(Path.GetFullPath(dataFolder), "staging");
        Directory.CreateDirectory(_runs);
        Directory.CreateDirectory(_staging);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> List() =>
        [.. Directory.EnumerateDirectories(_runs).Select(Path.GetFileName).Where(RunIds.IsValid).Select(n => n!).Order(StringComparer.Ordinal)];

    /// <inheritdoc />
    public string? GetRunFolder(string id)
    {
        if (!RunIds.IsValid(id)) return null;
        string folder = Path.Combine(_runs, id);
        return Directory.Exists(folder) ? folder : null;
    }

    /// <inheritdoc />
    public string CreateStagingFolder()
    {
        string folder = Path.Combine(_staging, RunIds.New("upload"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <inheritdoc />
    public bool Publish(string stagingFolder, string id)
    {
        if (!RunIds.IsValid(id)) throw new ArgumentException($"invalid run id '{id}'", nameof(id));
        try
        {
            // rename(2) of a directory onto a missing name is atomic; onto an existing one it fails, so two uploads
            // of one id cannot mix their files: the first wins, the second is told the id is taken.
            Directory.Move(stagingFolder, Path.Combine(_runs, id));
            return true;
        }
        catch (IOException) when (Directory.Exists(Path.Combine(_runs, id)))
        {
            return false;
        }
    }

    /// <inheritdoc />
    public string CreateLiveFolder(string id)
    {
        if (!RunIds.IsValid(id)) throw new ArgumentException($"invalid run id '{id}'", nameof(id));
        string folder = Path.Combine(_runs, id);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <inheritdoc />
    public bool Delete(string id)
    {
        var folder = GetRunFolder(id);
        if (folder is null) return false;
        // Rename out of sight first, so readers never see a half-deleted run.
        string trash = Path.Combine(_staging, RunIds.New("deleted"));
        try { Directory.Move(folder, trash); }
        catch (DirectoryNotFoundException) { return false; }
        Directory.Delete(trash, recursive: true);
        return true;
    }
}
