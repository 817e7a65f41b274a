namespace NeuroCore.Snapshots;

/// <summary>
/// A file of a training run cannot be read: it is corrupt, truncated, of an unknown or newer
/// format version, or missing. The message names the file and the problem.
/// </summary>
public sealed class SnapshotFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with a message describing the problem.</summary>
    public SnapshotFormatException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file that could not be read.</summary>
    public string FilePath { get; }

    /// <summary>The problem, without the file name.</summary>
    public string Problem { get; }
}
