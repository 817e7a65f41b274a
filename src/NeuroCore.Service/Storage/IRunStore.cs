namespace NeuroCore.Service.Storage;

/// <summary>Where training runs live. A run becomes visible only once complete (validated upload, or a live run's manifest).</summary>
public interface IRunStore
{
    /// <summary>The ids of every visible run, sorted.</summary>
    IReadOnlyList<string> List();

    /// <summary>The folder of run <paramref name="id"/> (laid out as a local <c>SnapshotRecorder</c> writes it), or null when there is none.</summary>
    string? GetRunFolder(string id);

    /// <summary>A new, empty staging folder on the same volume as the runs, for an upload being unpacked and checked.</summary>
    string CreateStagingFolder();

    /// <summary>
    /// Makes a checked staging folder visible as run <paramref name="id"/> in one atomic rename. Returns false (and leaves
    /// the existing run untouched) when the id is already taken.
    /// </summary>
    bool Publish(string stagingFolder, string id);

    /// <summary>The folder for a live run <paramref name="id"/>, created when absent.</summary>
    string CreateLiveFolder(string id);

    /// <summary>Deletes run <paramref name="id"/>; false when there is none.</summary>
    bool Delete(string id);
}
