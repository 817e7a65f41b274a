using NeuroCore.Visualization.Runs;
using NeuroCore.Snapshots;
using NeuroCore.Visualization.Model;
using NeuroCore.Visualization.Rendering;

namespace NeuroCore.Service.Runs;

/// <summary>
/// The one place the service reads runs with the core's run reader (<see cref="TrainingRun"/>) and turns them into what
/// the renderers take. When the run model changes, only this file changes.
/// </summary>
public static class RunReader
{
    /// <summary>Opens and checks the run in <paramref name="folder"/>; throws <see cref="RunRejectedException"/> with the reader's message.</summary>
    public static RunSummary Summarize(string id, string folder)
    {
        TrainingRun run;
        try
        {
            run = TrainingRun.Open(folder);
        }
        catch (Exception e) when (e is SnapshotFormatException or DirectoryNotFoundException or IOException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new RunRejectedException(Relative(e.Message, folder));
        }
        var m = run.Manifest;
        var snaps = run.Snapshots;
        return new RunSummary(
            id,
            run.IsFinished ? "finished" : "recording",
            m.CreatedUtc,
            m.Producer,
            new ArchitectureSummary(m.Architecture.TypeName, m.Architecture.ParameterCount,
                [.. m.Architecture.Layers.Select(l => new LayerSummary(l.Name, l.TypeName, l.Activation?.Name, l.OutputShape, l.Parameters.Sum(p => p.Numel)))]),
            m.Dataset is { } d ? new DatasetSummary(d.Name, d.Count, d.InputShape, d.Classes, d.ClassNames) : null,
            snaps.Count,
            snaps.Count > 0 ? snaps[0].Step : null,
            snaps.Count > 0 ? snaps[^1].Step : null,
            snaps.Count > 0 ? snaps[^1].Loss : null,
            [.. snaps.Select(s => s.Step)],
            run.TotalBytes(),
            [.. run.Warnings.Select(w => Relative(w, folder))]);
    }

    /// <summary>Checks that the run can be drawn at all (an MLP the renderers support); throws <see cref="RunRejectedException"/>.</summary>
    public static void CheckDrawable(string folder)
    {
        try
        {
            var source = RunModel.Open(folder);
            if (source.Steps.Count == 0) throw new RunRejectedException("the run has no snapshots yet; nothing to render.");
        }
        catch (Exception e) when (e is SnapshotFormatException or ArgumentException or IOException or InvalidOperationException or NotSupportedException)
        {
            throw new RunRejectedException("cannot draw this run: " + Relative(e.Message, folder));
        }
    }

    /// <summary>The timelapse input of a run (for videos and frames).</summary>
    public static TimelapseData Timelapse(string folder, int maxSnapshots) => TimelapseData.FromRun(RunModel.Open(folder), maxSnapshots);

    /// <summary>The glTF scene source of a run.</summary>
    public static RunModel Scene(string folder) => RunModel.Open(folder);

    /// <summary>The snapshot file name a recorder writes for <paramref name="step"/>, relative to the run folder.</summary>
    public static string SnapshotFile(int step) => SnapshotFormat.SnapshotFileName(step);

    /// <summary>The manifest, index, probe and summary file names of a run folder.</summary>
    public static (string Manifest, string Index, string Probe, string Summary, string Snapshots) FileNames =>
        (SnapshotFormat.ManifestFileName, SnapshotFormat.IndexFileName, SnapshotFormat.ProbeFileName, SnapshotFormat.SummaryFileName, SnapshotFormat.SnapshotFolder);

    /// <summary>Checks a manifest sent by a live recorder by reading it as the run reader does; throws <see cref="RunRejectedException"/>.</summary>
    public static void CheckManifest(byte[] manifest)
    {
        string folder = Path.Combine(Path.GetTempPath(), "neurocore-manifest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllBytes(Path.Combine(folder, SnapshotFormat.ManifestFileName), manifest);
            Summarize("check", folder);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    // Messages name files relative to the run, never the server's folders.
    private static string Relative(string message, string folder) =>
        message.Replace(Path.GetFullPath(folder).TrimEnd('/') + "/", "").Replace(Path.GetFullPath(folder), "run");
}

/// <summary>The run reader refused a run; the message says why.</summary>
public sealed class RunRejectedException(string message) : Exception(message);
