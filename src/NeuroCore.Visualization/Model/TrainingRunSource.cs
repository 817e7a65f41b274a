using System.Globalization;
using NeuroCore.Snapshots;

namespace NeuroCore.Visualization.Model;

/// <summary>
/// Reads a recorded training run (<see cref="TrainingRun"/>) as an <see cref="ISnapshotSource"/>: the
/// thin adapter between the snapshot format and the renderers.
/// </summary>
/// <remarks>
/// Drawn layers: the input, then every <c>Linear</c> (dense), <c>Conv2d</c> and pooling layer of the
/// manifest, in forward order; activation functions, flatten and dropout are not drawn. A layer's
/// drawn activations are those after its activation function when one follows it directly (the
/// manifest's <see cref="LayerInfo.Activation"/>), otherwise its own output. A flat input of N = k²
/// values (k ≥ 4, e.g. 784) is laid out as a k×k image.
/// </remarks>
public sealed class TrainingRunSource : ISnapshotSource
{
    private readonly TrainingRun _run;
    private readonly List<(string Module, string? ActivationModule, string? Weight, string? Bias)> _drawn = [];

    /// <summary>Opens the run in <paramref name="folder"/>.</summary>
    /// <exception cref="ArgumentException">The run has a layer that cannot be drawn (say which).</exception>
    public static TrainingRunSource Open(string folder) => new(TrainingRun.Open(folder));

    /// <summary>Wraps an opened run.</summary>
    /// <exception cref="ArgumentException">The run has a layer that cannot be drawn (say which).</exception>
    public TrainingRunSource(TrainingRun run)
    {
        _run = run ?? throw new ArgumentNullException(nameof(run));
        var m = run.Manifest;
        var arch = m.Architecture;
        var inputShape = (arch.InputShape ?? m.Probe?.InputShape ?? m.Dataset?.InputShape)?.ToArray()
            ?? throw new ArgumentException($"Run '{run.Folder}' records no input shape, so its input layer cannot be drawn.");
        if (inputShape.Length == 1 && inputShape[0] >= 16 && (int)Math.Sqrt(inputShape[0]) is var k && k * k == inputShape[0])
            inputShape = [k, k];
        var layers = new List<LayerSpec> { new("input", LayerKind.Input, inputShape) };
        var all = arch.Layers;
        for (var i = 0; i < all.Count; i++)
        {
            var l = all[i];
            var kind = l.TypeName switch
            {
                "Linear" => LayerKind.Dense,
                "Conv2d" => LayerKind.Conv2d,
                "MaxPool2d" or "AvgPool2d" or "AdaptiveAvgPool2d" => LayerKind.Pool2d,
                _ => (LayerKind?)null,
            };
            if (kind is null) continue;
            var weight = l.Parameters.FirstOrDefault(p => p.Name.EndsWith(".weight", StringComparison.Ordinal) || p.Name == "weight");
            var bias = l.Parameters.FirstOrDefault(p => p.Name.EndsWith(".bias", StringComparison.Ordinal) || p.Name == "bias");
            int[] shape;
            if (kind == LayerKind.Dense)
            {
                if (weight is null || weight.Shape.Count != 2) throw new ArgumentException($"Linear layer '{l.Name}' has no [out, in] weight in the manifest.");
                shape = [weight.Shape[0]];
            }
            else
            {
                shape = l.OutputShape?.ToArray() ?? throw new ArgumentException($"{l.TypeName} layer '{l.Name}' has no recorded output shape (the run needs a probe batch).");
                if (shape.Length != 3) throw new ArgumentException($"{l.TypeName} layer '{l.Name}' has output shape [{string.Join(", ", shape)}]; expected [C, H, W].");
            }
            var next = i + 1 < all.Count && all[i + 1].IsActivation ? all[i + 1].Name : null;
            // dense_1, dense_2, conv_1, pool_1, ...: stable, readable and free of the '/' node names use.
            var prefix = kind == LayerKind.Dense ? "dense" : kind == LayerKind.Conv2d ? "conv" : "pool";
            var name = $"{prefix}_{(layers.Count(x => x.Kind == kind) + 1).ToString(CultureInfo.InvariantCulture)}";
            layers.Add(new LayerSpec(name, kind.Value, shape));
            _drawn.Add((l.Name, next, weight?.Name, bias?.Name));
        }
        Architecture = new NetworkArchitecture(layers);
        Steps = run.Snapshots.Select(s => (long)s.Step).ToArray();
        var meta = new Dictionary<string, string>
        {
            ["run"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(run.Folder)),
            ["model"] = arch.TypeName,
            ["parameters"] = arch.ParameterCount.ToString(CultureInfo.InvariantCulture),
        };
        if (m.Producer is not null) meta["producer"] = m.Producer;
        if (m.Dataset is not null) meta["dataset"] = m.Dataset.Name;
        foreach (var (key, value) in m.HyperParameters)
            meta[key] = value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString()! : System.Text.Json.JsonSerializer.Serialize(value);
        Metadata = meta;
    }

    /// <inheritdoc />
    public NetworkArchitecture Architecture { get; }

    /// <inheritdoc />
    public IReadOnlyList<long> Steps { get; }

    /// <inheritdoc />
    public int ProbeCount => _run.Manifest.Probe?.Count ?? 0;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <inheritdoc />
    public NetworkSnapshot Load(int index, int probe)
    {
        if ((uint)index >= (uint)_run.Snapshots.Count) throw new ArgumentOutOfRangeException(nameof(index), $"Snapshot {index} does not exist; the run has {_run.Snapshots.Count}.");
        var entry = _run.Snapshots[index];
        var snap = _run.LoadSnapshot(entry);
        var n = Architecture.Layers.Count;
        var weights = new LayerWeights?[n];
        var acts = new float[]?[n];
        var hasProbe = ProbeCount > 0 && probe < ProbeCount;
        if (hasProbe && _run.LoadProbe() is { } pb) acts[0] = Row(pb.Inputs, probe);
        for (var d = 0; d < _drawn.Count; d++)
        {
            var (module, actModule, w, b) = _drawn[d];
            if (w is not null && snap.Parameters.TryGetValue(w, out var wt))
                weights[d + 1] = new LayerWeights(wt.ToArray(), wt.Shape, b is not null && snap.Parameters.TryGetValue(b, out var bt) ? bt.ToArray() : null);
            if (!hasProbe) continue;
            if (actModule is not null && snap.Activations.TryGetValue(actModule, out var a)) acts[d + 1] = Row(a, probe);
            else if (snap.Activations.TryGetValue(module, out var own)) acts[d + 1] = Row(own, probe);
        }
        var metrics = new Dictionary<string, double>(entry.Metrics);
        if (entry.Loss is { } loss) metrics["loss"] = loss;
        if (entry.LearningRate is { } lr) metrics["learningRate"] = lr;
        return new NetworkSnapshot(entry.Step, weights, acts) { Metrics = metrics };
    }

    private static float[] Row(Tensor batch, int row)
    {
        var all = batch.ToArray();
        var rows = batch.Shape.Length == 0 ? 1 : batch.Shape[0];
        var size = all.Length / Math.Max(1, rows);
        return all.AsSpan(row * size, size).ToArray();
    }
}
