using NeuroCore.Service.Storage;
using NeuroCore.Viewer;

namespace NeuroCore.Service.Runs;

/// <summary>
/// The viewer's and playground's view of the service's run storage: the runs it lists and serves are the uploaded,
/// live and playground runs of <see cref="IRunStore"/>, so anything trained in the playground can be scrubbed,
/// exported and rendered like an uploaded run.
/// </summary>
public sealed class ServiceViewerRunStore(IRunStore runs) : IViewerRunStore
{
    /// <inheritdoc />
    public IReadOnlyList<string> RunIds() => runs.List();

    /// <inheritdoc />
    public string? RunFolder(string id) => runs.GetRunFolder(id);

    /// <inheritdoc />
    public string CreateRunFolder(string id) => runs.CreateLiveFolder(id);
}
