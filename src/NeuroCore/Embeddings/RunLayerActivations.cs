using NeuroCore.Snapshots;

namespace NeuroCore.Embeddings;

/// <summary>
/// The one place the embeddings read a recorded training run (through <see cref="TrainingRun"/>): a layer's
/// activations over the run's probe batch at a snapshot, labelled with the probe's labels.
/// </summary>
public static class RunLayerActivations
{
    /// <summary>
    /// Reads layer <paramref name="layer"/>'s recorded activations at training step <paramref name="step"/>
    /// (the latest snapshot when null) from the run in <paramref name="runFolder"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The layer is unknown or was not recorded (the message lists the recorded ones), or the step has no snapshot.</exception>
    /// <exception cref="SnapshotFormatException">The run's files are unreadable.</exception>
    public static EmbeddingSource Load(string runFolder, string layer, int? step = null)
    {
        ArgumentNullException.ThrowIfNull(runFolder);
        return Load(TrainingRun.Open(runFolder), layer, step);
    }

    /// <summary>
    /// Reads layer <paramref name="layer"/>'s recorded activations at training step <paramref name="step"/>
    /// (the latest snapshot when null) from an opened run (e.g. once per frame of an animation).
    /// </summary>
    /// <exception cref="ArgumentException">The layer is unknown or was not recorded (the message lists the recorded ones), or the step has no snapshot.</exception>
    /// <exception cref="SnapshotFormatException">The run's files are unreadable.</exception>
    public static EmbeddingSource Load(TrainingRun run, string layer, long? step = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(layer);
        string runFolder = run.Folder;
        var entry = step is { } s
            ? run.TryGetEntry(s, out var e) ? e : throw new ArgumentException($"Run '{runFolder}' has no snapshot at step {s}; steps: {Steps(run)}.")
            : run.Latest ?? throw new ArgumentException($"Run '{runFolder}' has no snapshots yet.");
        var snapshot = run.LoadSnapshot(entry);
        if (!snapshot.Activations.TryGetValue(layer, out var activations))
        {
            var recorded = snapshot.Activations.Keys.Order(StringComparer.Ordinal).ToArray();
            string known = run.Manifest.Architecture.FindLayer(layer) is null ? "no layer is named" : "the snapshot recorded no activations for";
            throw new ArgumentException(
                $"Run '{runFolder}', step {entry.Step}: {known} '{layer}'. Layers with recorded activations: {(recorded.Length > 0 ? string.Join(", ", recorded) : "none (record the run with a probe batch)")}.");
        }
        var input = EmbeddingInput.FromTensor(activations);
        var probe = run.LoadProbe();
        int[]? labels = null;
        if (probe?.Labels is { } l && l.Numel == input.Count)
            labels = (l.DType == DType.Int64 ? l.ToLongArray() : l.ToArray().Select(v => (long)v).ToArray()).Select(v => (int)v).ToArray();
        float[]? images = null;
        int[]? imageShape = null;
        if (probe is not null && probe.Inputs.Rank >= 3 && probe.Inputs.Size(0) == input.Count)
        {
            var shape = probe.Inputs.Shape;
            // [N, 1, H, W] or [N, H, W]: grey images the projector can show in a sprite sheet.
            if (shape.Length == 4 && shape[1] == 1) imageShape = [shape[2], shape[3]];
            else if (shape.Length == 3) imageShape = [shape[1], shape[2]];
            if (imageShape is not null) images = Normalize01(probe.Inputs.ToArray());
        }
        return new EmbeddingSource(input, labels, run.Manifest.Dataset?.ClassNames, images, imageShape,
            $"run {Path.GetFileName(Path.GetFullPath(runFolder).TrimEnd(Path.DirectorySeparatorChar))}, layer {layer}, step {entry.Step}");
    }

    private static string Steps(TrainingRun run)
    {
        var steps = run.Snapshots.Select(s => s.Step).ToArray();
        return steps.Length == 0 ? "none" : steps.Length <= 12 ? string.Join(", ", steps) : $"{string.Join(", ", steps.Take(6))}, …, {string.Join(", ", steps.TakeLast(3))}";
    }

    private static float[] Normalize01(float[] v)
    {
        float min = v.Min(), max = v.Max();
        if (max <= min) return new float[v.Length];
        return v.Select(x => (x - min) / (max - min)).ToArray();
    }
}
