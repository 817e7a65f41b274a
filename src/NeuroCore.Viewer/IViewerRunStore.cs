namespace NeuroCore.Viewer;

/// <summary>
/// Where the viewer finds runs: the host (the render service, a test, a small program) decides how runs
/// are stored; the viewer only needs each run's folder in the snapshot format (docs/snapshot-format.md).
/// </summary>
public interface IViewerRunStore
{
    /// <summary>The ids of the runs to list on the start page, newest first when the store knows the order.</summary>
    IReadOnlyList<string> RunIds();

    /// <summary>The folder of run <paramref name="id"/>, or null when there is no such run (answered with 404).</summary>
    string? RunFolder(string id);

    /// <summary>
    /// Creates an empty folder for a new run <paramref name="id"/> (the playground records its trainings
    /// there) and returns its path; the run becomes visible through <see cref="RunIds"/> and
    /// <see cref="RunFolder"/> once the recorder has written its manifest.
    /// </summary>
    /// <exception cref="InvalidOperationException">A run with that id exists already.</exception>
    string CreateRunFolder(string id);
}
