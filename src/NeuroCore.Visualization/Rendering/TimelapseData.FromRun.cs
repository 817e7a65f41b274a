using NeuroCore.Snapshots;

namespace NeuroCore.Visualization.Rendering;

public sealed partial class TimelapseData
{
    private static readonly HashSet<string> PassThrough = new(StringComparer.OrdinalIgnoreCase) { "Flatten", "Dropout", "Identity" };

    /// <summary>
    /// Reads a recorded training run (see <see cref="TrainingRun"/>) of a Sequential MLP made of Linear and
    /// activation layers (Flatten and Dropout are allowed): the architecture, the parameters of up to
    /// <paramref name="maxSnapshots"/> snapshots (evenly chosen, first and last always kept), the losses,
    /// accuracies and learning rates of every snapshot, and the probe batch (2-D probe points become the
    /// decision-boundary panel's data; a single-channel image probe becomes the probe image).
    /// </summary>
    /// <exception cref="ArgumentException">The run has no snapshots or a layer the renderer cannot evaluate.</exception>
    public static TimelapseData FromRun(TrainingRun run, int maxSnapshots = 300)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (maxSnapshots < 1) throw new ArgumentException($"maxSnapshots must be at least 1, got {maxSnapshots}.", nameof(maxSnapshots));
        if (run.Snapshots.Count == 0)
            throw new ArgumentException($"Timelapse: the run '{run.Folder}' has no snapshots yet; nothing to render.");
        var manifest = run.Manifest;

        // Linear layers in order, each with the activation that follows it.
        var linears = new List<(string Weight, string? Bias, int In, int Out)>();
        var activations = new List<string>();
        foreach (var layer in manifest.Architecture.Layers)
        {
            if (layer.IsActivation)
            {
                if (linears.Count == 0) continue; // an activation on the raw input changes nothing we draw
                var name = layer.Activation ?? layer.TypeName;
                if (!MlpEvaluator.IsKnown(name) && !name.Contains("softmax", StringComparison.OrdinalIgnoreCase))
                    throw new ArgumentException($"Timelapse: activation layer '{layer.Name}' ({layer.TypeName}) is not supported by the renderer.");
                // Softmax at the end is applied by the decision panel anyway.
                if (!name.Contains("softmax", StringComparison.OrdinalIgnoreCase)) activations[^1] = name;
                continue;
            }
            if (PassThrough.Contains(layer.TypeName)) continue;
            if (!layer.TypeName.Equals("Linear", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException(
                    $"Timelapse: layer '{layer.Name}' is {layer.TypeName}; video rendering supports Sequential MLPs of Linear and activation layers (use the glTF export for other models).");
            var weight = layer.Parameters.FirstOrDefault(p => p.Name.EndsWith("weight", StringComparison.Ordinal))
                ?? throw new ArgumentException($"Timelapse: Linear layer '{layer.Name}' has no weight parameter in the manifest.");
            var bias = layer.Parameters.FirstOrDefault(p => p.Name.EndsWith("bias", StringComparison.Ordinal));
            if (weight.Shape.Count != 2) throw new ArgumentException($"Timelapse: '{weight.Name}' has shape [{string.Join(", ", weight.Shape)}], expected [out, in].");
            if (linears.Count > 0 && linears[^1].Out != weight.Shape[1])
                throw new ArgumentException($"Timelapse: '{weight.Name}' takes {weight.Shape[1]} inputs but the previous Linear layer gives {linears[^1].Out}.");
            linears.Add((weight.Name, bias?.Name, weight.Shape[1], weight.Shape[0]));
            activations.Add("identity");
        }
        if (linears.Count == 0)
            throw new ArgumentException("Timelapse: the run's model has no Linear layer; video rendering supports Sequential MLPs of Linear and activation layers.");
        var sizes = new List<int> { linears[0].In };
        sizes.AddRange(linears.Select(l => l.Out));

        var entries = PickEvenly(run.Snapshots, maxSnapshots);
        var snapshots = new List<WeightSnapshot>(entries.Count);
        foreach (var entry in entries)
        {
            var snap = run.LoadSnapshot(entry);
            var weights = new float[linears.Count][];
            var biases = new float[]?[linears.Count];
            for (int k = 0; k < linears.Count; k++)
            {
                weights[k] = Parameter(snap, linears[k].Weight, entry.Step);
                biases[k] = linears[k].Bias is { } b ? Parameter(snap, b, entry.Step) : null;
            }
            snapshots.Add(new WeightSnapshot(entry.Step, entry.Epoch, weights, biases)
            {
                Loss = entry.Loss is { } l ? (float)l : null,
                Accuracy = entry.Metrics.TryGetValue("accuracy", out var a) ? (float)a : null,
                LearningRate = entry.LearningRate is { } lr ? (float)lr : null,
            });
        }
        var history = run.Snapshots.Where(e => e.Loss.HasValue)
            .Select(e => new MetricSample(e.Step, (float)e.Loss!.Value,
                e.Metrics.TryGetValue("accuracy", out var a) ? (float)a : null, e.LearningRate is { } lr ? (float)lr : null))
            .ToList();

        float[]? points = null, probeImage = null;
        int[]? labels = null;
        int probeW = 0, probeH = 0;
        List<float[]>? probeInputs = null;
        if (run.LoadProbe() is { } probe)
        {
            var inputs = probe.Inputs.ToArray();
            int n = probe.Count;
            int per = n == 0 ? 0 : inputs.Length / n;
            if (per == sizes[0] && n > 0)
            {
                probeInputs = [.. Enumerable.Range(0, n).Select(i => inputs.AsSpan(i * per, per).ToArray())];
                var probeLabels = probe.Labels?.ToLongArray() ?? manifest.Probe?.Labels?.ToArray();
                if (per == 2 && probeLabels is { } pl && pl.Length == n)
                {
                    points = inputs;
                    labels = [.. pl.Select(v => (int)v)];
                }
                var shape = manifest.Probe?.InputShape ?? manifest.Architecture.InputShape ?? [];
                var spatial = shape.Where(d => d > 1).ToArray();
                // Flattened image datasets (digits 8×8, MNIST 28×28 stored as [784]) are square images too.
                int side = (int)Math.Round(Math.Sqrt(per));
                string datasetName = manifest.Dataset?.Name ?? "";
                bool imageDataset = datasetName.Contains("digit", StringComparison.OrdinalIgnoreCase)
                    || datasetName.Contains("mnist", StringComparison.OrdinalIgnoreCase)
                    || datasetName.Contains("image", StringComparison.OrdinalIgnoreCase);
                if (spatial.Length != 2 && imageDataset && side * side == per) spatial = [side, side];
                if (per >= 16 && spatial.Length == 2 && spatial[0] * spatial[1] == per)
                {
                    probeH = spatial[0];
                    probeW = spatial[1];
                    probeImage = Normalize(probeInputs[0]);
                }
            }
        }
        string title = manifest.Dataset?.Name is { } ds ? $"{ds} · MLP {string.Join("-", sizes)}" : $"MLP {string.Join("-", sizes)}";
        int? epochs = manifest.HyperParameters.TryGetValue("epochs", out var ep) && ep.ValueKind == System.Text.Json.JsonValueKind.Number ? ep.GetInt32() : null;
        return new TimelapseData
        {
            LayerSizes = sizes,
            Activations = activations,
            Snapshots = snapshots,
            History = history,
            Epochs = epochs,
            Title = title,
            Points = points,
            Labels = labels,
            ProbeInputs = probeInputs,
            ProbeImage = probeImage,
            ProbeWidth = probeW,
            ProbeHeight = probeH,
            ClassNames = manifest.Dataset?.ClassNames,
        };
    }

    private static float[] Parameter(Snapshot snap, string name, int step) =>
        snap.Parameters.TryGetValue(name, out var t) ? t.ToArray()
            : throw new ArgumentException($"Timelapse: the snapshot of step {step} has no parameter '{name}'.");

    // Probe images may be standardized; the panel shows them rescaled to 0..1.
    private static float[] Normalize(float[] image)
    {
        float min = image.Min(), max = image.Max();
        if (!(max > min)) return [.. image.Select(_ => 0.5f)];
        return [.. image.Select(v => (v - min) / (max - min))];
    }

    private static List<SnapshotEntry> PickEvenly(IReadOnlyList<SnapshotEntry> all, int max)
    {
        if (all.Count <= max) return [.. all];
        if (max == 1) return [all[^1]];
        var picked = new List<SnapshotEntry>(max);
        int last = -1;
        for (int i = 0; i < max; i++)
        {
            int index = (int)Math.Round(i * (all.Count - 1) / (double)(max - 1));
            if (index != last) picked.Add(all[index]);
            last = index;
        }
        return picked;
    }
}
