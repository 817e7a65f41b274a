using System.CommandLine;

namespace NeuroCore.Cli;

/// <summary>The <c>RUN</c> argument of the commands that read a recorded run.</summary>
public static class RunArgument
{
    /// <summary>A new <c>RUN</c> argument.</summary>
    public static Argument<string> Create() => new("RUN") { Description = "the run folder (written by 'neurocore train')" };

    /// <summary>
    /// The run folder, or a one-line failure when <paramref name="path"/> is missing or is a file
    /// (such as the run's own <c>manifest.json</c>).
    /// </summary>
    /// <exception cref="CliException">The folder does not exist, or the path is a file.</exception>
    public static string Folder(string path)
    {
        if (File.Exists(path))
            throw new CliException(Path.GetFileName(path) == Snapshots.SnapshotFormat.ManifestFileName
                ? $"{path} is the run's manifest; give the run folder that holds it ('{Path.GetDirectoryName(path)}')"
                : $"{path} is a file; RUN is the run folder written by 'neurocore train'");
        if (!Directory.Exists(path)) throw new CliException($"{path}: run folder does not exist.");
        return path;
    }
}
