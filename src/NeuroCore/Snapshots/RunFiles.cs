using System.Text.RegularExpressions;

namespace NeuroCore.Snapshots;

/// <summary>The files a training run consists of, and removing exactly those (what <c>train --force</c> replaces).</summary>
public static partial class RunFiles
{
    private static readonly string[] TopLevel =
        [SnapshotFormat.ManifestFileName, SnapshotFormat.IndexFileName, SnapshotFormat.SummaryFileName, SnapshotFormat.ProbeFileName];

    /// <summary>
    /// Removes the run recorded in <paramref name="folder"/>: the manifest, index, summary and probe, the snapshot
    /// files (<c>snapshots/step-NNNNNN.safetensors</c>) and the temporary files a killed recorder may have left
    /// next to them. Anything else — files the user put in the folder or in <c>snapshots/</c> — stays, and so
    /// do the folders unless they end up empty. Returns the number of files removed (0 when there is no run).
    /// </summary>
    /// <exception cref="IOException">A recorder is recording into the folder right now (the message names it).</exception>
    public static int Delete(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full)) return 0;
        using (RunFolderLock.Acquire(full)) return DeleteLocked(full);
    }

    /// <summary>True when <paramref name="fileName"/> (a name without folder) is one a recorder writes at the top of a run folder.</summary>
    public static bool IsRunFile(string fileName) =>
        Array.IndexOf(TopLevel, fileName) >= 0 || IsTemporaryOf(fileName, TopLevel);

    /// <summary>True when <paramref name="fileName"/> is one a recorder writes in <c>snapshots/</c>: a snapshot file or its temporary file.</summary>
    public static bool IsSnapshotFile(string fileName)
    {
        var m = TemporaryName().Match(fileName);
        return SnapshotName().IsMatch(m.Success ? m.Groups["name"].Value : fileName);
    }

    /// <summary>Deletes the run files; the caller holds the folder's lock.</summary>
    internal static int DeleteLocked(string folder)
    {
        int removed = 0;
        foreach (var file in Directory.EnumerateFiles(folder))
            if (IsRunFile(Path.GetFileName(file))) { File.Delete(file); removed++; }
        string snapshots = Path.Combine(folder, SnapshotFormat.SnapshotFolder);
        if (Directory.Exists(snapshots))
        {
            foreach (var file in Directory.EnumerateFiles(snapshots))
                if (IsSnapshotFile(Path.GetFileName(file))) { File.Delete(file); removed++; }
            if (!Directory.EnumerateFileSystemEntries(snapshots).Any()) Directory.Delete(snapshots);
        }
        return removed;
    }

    private static bool IsTemporaryOf(string fileName, string[] names)
    {
        var m = TemporaryName().Match(fileName);
        return m.Success && Array.IndexOf(names, m.Groups["name"].Value) >= 0;
    }

    // The atomic writer's temporary names: ".<name>.<32 hex digits>.tmp" (see IO/AtomicFile).
    [GeneratedRegex(@"^\.(?<name>.+)\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TemporaryName();

    [GeneratedRegex(@"^step-[0-9]{6,}\.safetensors$")]
    private static partial Regex SnapshotName();
}
