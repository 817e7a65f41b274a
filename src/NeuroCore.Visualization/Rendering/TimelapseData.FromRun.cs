using NeuroCore.NN;
using NeuroCore.Snapshots;
using NeuroCore.Visualization.Runs;

namespace NeuroCore.Visualization.Rendering;

public sealed partial class TimelapseData
{
    /// <summary>
    /// The timelapse of a recorded run of a Sequential MLP (Linear and activation layers; Flatten and Dropout
    /// are allowed): the architecture, up to <paramref name="maxSnapshots"/> snapshots (evenly chosen, first and
    /// last kept; their weights are read from disk while the frames that show them are drawn, so memory does not
    /// grow with the run), every snapshot's loss, accuracy and learning rate, the probe batch (2-D probe points
    /// with class labels become the decision-region panel's data; an image input becomes the probe image), and
    /// the recorded network itself, on which every frame's forward passes run.
    /// </summary>
    /// <exception cref="ArgumentException">The run has no snapshots or a layer the renderer cannot show.</exception>
    public static TimelapseData FromRun(RunModel run, int maxSnapshots = 300)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (maxSnapshots < 1) throw new ArgumentException($"maxSnapshots must be at least 1, got {maxSnapshots}.", nameof(maxSnapshots));
        if (run.Steps.Count == 0)
            throw new ArgumentException($"Timelapse: the run '{run.Folder}' has no snapshots yet; nothing to render.");
        var manifest = run.Manifest;
        var (linears, activations) = LinearLayers(manifest.Architecture);
        var sizes = new List<int> { linears[0].In };
        sizes.AddRange(linears.Select(l => l.Out));
        if (!RecordedNetwork.CanBuild(manifest.Architecture, out var problem))
            throw new ArgumentException($"Timelapse: {problem}");

        var snapshots = new RunSnapshotList(run, run.PickEvenly(maxSnapshots), [.. linears]);
        var probe = ProbeOf(run, sizes[0]);
        string title = manifest.Dataset?.Name is { } ds ? $"{ds} · MLP {string.Join("-", sizes)}" : $"MLP {string.Join("-", sizes)}";
        return new TimelapseData
        {
            LayerSizes = sizes,
            Activations = activations,
            Snapshots = snapshots,
            History = run.Metrics,
            Epochs = manifest.Epochs,
            FinalEpoch = FinalEpochOf(run),
            Title = title,
            Points = probe.Points,
            Labels = probe.Labels,
            ProbeInputs = probe.Inputs,
            ProbeImage = probe.Image,
            ProbeWidth = probe.Width,
            ProbeHeight = probe.Height,
            ClassNames = manifest.Dataset?.ClassNames,
            CreateNetwork = () => RecordedNetwork.Build(manifest.Architecture),
            // The run model's drawn layers when they are exactly these (they are for Linear-only networks).
            Architecture = run.Architecture.Layers.Select(l => l.NeuronCount).SequenceEqual(sizes) ? run.Architecture : null,
        };
    }

    /// <summary>The last epoch's figures from <c>summary.json</c> when the run finished at its last snapshot (else null).</summary>
    private static (long Step, float? Loss, float? Accuracy)? FinalEpochOf(RunModel run)
    {
        if (run.Run.LoadSummary() is not { } summary || summary.LastStep != run.Steps[^1]) return null;
        float? loss = summary.FinalEpochLoss is { } l && double.IsFinite(l) ? (float)l : null;
        float? accuracy = summary.FinalEpochAccuracy is { } a && double.IsFinite(a) ? (float)a : null;
        return loss is null && accuracy is null ? null : (summary.LastStep.Value, loss, accuracy);
    }

    /// <summary>The Linear layers in order, each with the name of the activation that follows it ("identity" when none).</summary>
    private static (List<(string Weight, string? Bias, int In, int Out)>, List<string>) LinearLayers(ModelArchitecture architecture)
    {
        var linears = new List<(string Weight, string? Bias, int In, int Out)>();
        var activations = new List<string>();
        foreach (var layer in architecture.Layers)
        {
            if (layer.IsActivation || ActivationFunctions.FromTypeName(layer.TypeName) is not null)
            {
                if (linears.Count == 0) continue; // an activation on the raw input changes nothing we draw
                // Softmax at the end is shown by the decision panel as probabilities anyway.
                if (layer.Activation?.Function is { } f and not (ActivationFunction.Softmax or ActivationFunction.LogSoftmax)) activations[^1] = f.Name();
                continue;
            }
            if (layer.TypeName is "Flatten" or "Dropout" or "Identity") continue;
            if (layer.TypeName != "Linear")
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
        return (linears, activations);
    }

    private sealed record ProbeView(List<float[]>? Inputs, float[]? Points, int[]? Labels, float[]? Image, int Width, int Height);

    /// <summary>What the probe batch shows: inputs for the glow, 2-D points with class labels, or an image.</summary>
    private static ProbeView ProbeOf(RunModel run, int inputs)
    {
        if (run.LoadProbe() is not { Count: > 0 } probe) return new ProbeView(null, null, null, null, 0, 0);
        var values = probe.Inputs.ToArray();
        int n = probe.Count;
        if (values.Length != (long)n * inputs) return new ProbeView(null, null, null, null, 0, 0);
        List<float[]> rows = [.. Enumerable.Range(0, n).Select(i => values.AsSpan(i * inputs, inputs).ToArray())];
        // Float labels (regression targets, which the format allows) are no classes to colour points by.
        var classes = run.ProbeClassLabels();
        if (inputs == 2 && classes is { } c && c.Length == n && c.All(v => v is >= 0 and < 1 << 16))
            return new ProbeView(rows, values, [.. c.Select(v => (int)v)], null, 0, 0);
        if (run.InputImage is var (h, w) && h * w == inputs)
            return new ProbeView(rows, null, null, Normalize(rows[0]), w, h);
        return new ProbeView(rows, null, null, null, 0, 0);
    }

    // Probe images may be standardized; the panel shows them rescaled to 0..1.
    private static float[] Normalize(float[] image)
    {
        float min = float.MaxValue, max = float.MinValue;
        foreach (var v in image) if (float.IsFinite(v)) { min = MathF.Min(min, v); max = MathF.Max(max, v); }
        if (!(max > min)) return [.. image.Select(_ => 0.5f)];
        return [.. image.Select(v => float.IsFinite(v) ? (v - min) / (max - min) : 0.5f)];
    }
}
