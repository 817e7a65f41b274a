using NeuroCore.Snapshots;

namespace NeuroCore.Service.Client;

/// <summary>Streams a recorder's run to a NeuroCore service while it records.</summary>
public static class SnapshotRecorderExtensions
{
    /// <summary>
    /// Starts a <see cref="RunUploader"/> that follows <paramref name="recorder"/>'s folder and streams it to
    /// <paramref name="server"/> as run <paramref name="runId"/> (default: the folder's name). The recorder keeps
    /// writing locally as always; await <see cref="RunUploader.CompleteAsync"/> after training.
    /// </summary>
    public static RunUploader ToServer(this SnapshotRecorder recorder, Uri server, string? apiKey = null, string? runId = null)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        return new RunUploader(recorder.Folder, server, runId ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(recorder.Folder)), apiKey).Start();
    }
}
