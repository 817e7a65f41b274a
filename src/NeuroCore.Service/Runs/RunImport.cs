using NeuroCore.Service.Storage;

namespace NeuroCore.Service.Runs;

/// <summary>
/// Adds a run folder on this machine to the service's runs (<c>neurocore serve --add-run FOLDER</c>), checked by the
/// run reader exactly as an upload is and published atomically, so a newcomer can open the demo run in the viewer
/// without packing and uploading it.
/// </summary>
public static class RunImport
{
    /// <summary>
    /// Copies <paramref name="folder"/> into the store under its folder name (or <paramref name="id"/>) unless a run of
    /// that id exists already; returns the id.
    /// </summary>
    /// <exception cref="RunRejectedException">The folder is not a readable run, or its name is not a valid run id.</exception>
    public static string AddFolder(IRunStore runs, string folder, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        string full = Path.GetFullPath(folder);
        if (!Directory.Exists(full)) throw new RunRejectedException($"--add-run {folder}: no such folder.");
        id ??= Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar));
        if (!RunIds.IsValid(id)) throw new RunRejectedException($"--add-run {folder}: '{id}' is not a valid run id (letters, digits, '-', '_', '.').");
        if (runs.GetRunFolder(id) is not null) return id; // added before (the data folder keeps runs across restarts)

        string staging = runs.CreateStagingFolder();
        try
        {
            string content = Path.Combine(staging, "content");
            CopyTree(full, content);
            RunReader.Summarize(id, content); // the upload's check: a run the reader rejects is never published
            runs.Publish(content, id);
            return id;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            if (new FileInfo(file).LinkTarget is not null) continue; // never follow links out of the run folder
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            if (new DirectoryInfo(dir).LinkTarget is not null) continue;
            CopyTree(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }
}
