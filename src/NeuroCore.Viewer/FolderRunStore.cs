using System.Text.RegularExpressions;

namespace NeuroCore.Viewer;

/// <summary>
/// An <see cref="IViewerRunStore"/> over one folder whose sub-folders are runs (the id is the folder
/// name). Used by the tests and by programs that want the viewer without the render service.
/// </summary>
public sealed partial class FolderRunStore : IViewerRunStore
{
    /// <summary>Creates a store over <paramref name="root"/> (created when missing).</summary>
    public FolderRunStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    /// <summary>The folder holding the runs.</summary>
    public string Root { get; }

    /// <summary>True for ids the store accepts: 1–100 letters, digits, '-', '_' or '.', not starting with '.'.</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    /// <inheritdoc />
    public IReadOnlyList<string> RunIds() =>
        new DirectoryInfo(Root).EnumerateDirectories()
            .Where(d => IsValidId(d.Name) && File.Exists(Path.Combine(d.FullName, NeuroCore.Snapshots.SnapshotFormat.ManifestFileName)))
            .OrderByDescending(d => d.CreationTimeUtc).ThenBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => d.Name).ToList();

    /// <inheritdoc />
    public string? RunFolder(string id)
    {
        if (!IsValidId(id)) return null;
        var folder = Path.Combine(Root, id);
        return Directory.Exists(folder) ? folder : null;
    }

    /// <inheritdoc />
    public string CreateRunFolder(string id)
    {
        if (!IsValidId(id)) throw new ArgumentException($"'{id}' is not a valid run id (letters, digits, '-', '_', '.', at most 100).", nameof(id));
        var folder = Path.Combine(Root, id);
        if (Directory.Exists(folder)) throw new InvalidOperationException($"A run '{id}' exists already.");
        Directory.CreateDirectory(folder);
        return folder;
    }

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex IdPattern();
}
