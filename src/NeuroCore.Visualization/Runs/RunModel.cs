using System.Globalization;
using System.Text.Json;
using NeuroCore.NN;
using NeuroCore.Snapshots;
using NeuroCore.Visualization.Model;
using NeuroCore.Visualization.Rendering;

namespace NeuroCore.Visualization.Runs;

/// <summary>
/// A recorded training run as every consumer sees it (the glTF exporter, the video renderer, the CLI,
/// the service and the viewer): the drawn architecture, the snapshots by step, the metric history, the
/// probe batch, and derived facts (image-shaped inputs, even picking, step ↔ index lookup, weight
/// scales). Snapshots are loaded one at a time on request, so memory is bounded by what is drawn, not
/// by the model size times the snapshot count; <see cref="Refresh"/> follows a run still recording.
/// </summary>
/// <remarks>
/// <para>Drawn layers: the input, then every <c>Linear</c> (dense), <c>Conv2d</c> and pooling layer in
/// forward order; activation functions, flatten and dropout are not drawn. A drawn layer's activations
/// are the recorded output of its activation layer (<see cref="LayerInfo.Activation"/>), otherwise its own.</para>
/// <para>The input's shape is the recorded one; without one (a run recorded without a probe) it is inferred
/// from the first Linear's <c>in_features</c>. A flat input of N = k² values (k ≥ 4, e.g. 784) is an image
/// k×k; so is [H, W] or [1, H, W]. This is the only place either rule is written.</para>
/// <para>Not thread-safe for <see cref="Refresh"/>; loading snapshots from several threads is safe.</para>
/// </remarks>
public sealed class RunModel : ISnapshotSource
{
    private readonly object _lock = new();
    private readonly DrawnLayer[] _layers;
    private long[] _steps = [];
    private Dictionary<long, int> _indexOfStep = [];
    private MetricSample[] _metrics = [];
    private ProbeBatch? _probe;
    private bool _probeLoaded;

    /// <summary>Opens the run in <paramref name="folder"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="SnapshotFormatException">The run's files are missing or corrupt (the message names the file and the field).</exception>
    /// <exception cref="ArgumentException">The run has a layer that cannot be drawn, or its input shape cannot be inferred (the message says what to record).</exception>
    public static RunModel Open(string folder) => new(TrainingRun.Open(folder));

    /// <summary>Wraps an opened run.</summary>
    /// <exception cref="ArgumentException">The run has a layer that cannot be drawn, or its input shape cannot be inferred.</exception>
    public RunModel(TrainingRun run)
    {
        Run = run ?? throw new ArgumentNullException(nameof(run));
        InputShape = InferInputShape(run);
        _layers = DrawLayers(run.Manifest.Architecture, DrawnInputShape(InputShape));
        Architecture = new NetworkArchitecture([.. _layers.Select(l => l.Spec)]);
        Metadata = DescribeMetadata(run);
        Sync();
    }

    /// <summary>The underlying reader of the run's files.</summary>
    public TrainingRun Run { get; }

    /// <summary>The run's manifest.</summary>
    public RunManifest Manifest => Run.Manifest;

    /// <summary>The run folder (full path).</summary>
    public string Folder => Run.Folder;

    /// <summary>The run folder's name, used as the run's display name.</summary>
    public string Name => Path.GetFileName(Path.TrimEndingDirectorySeparator(Run.Folder));

    /// <summary>The drawn layers, input first (same order as <see cref="Architecture"/>), with where their data lives.</summary>
    public IReadOnlyList<DrawnLayer> Layers => _layers;

    /// <inheritdoc />
    public NetworkArchitecture Architecture { get; }

    /// <summary>Shape of one input example as recorded (or inferred from the first Linear layer).</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>Height and width when the input is an image (see the remarks), otherwise null.</summary>
    public (int Height, int Width)? InputImage => DrawnInputShape(InputShape) switch
    {
        [var h, var w] => (h, w),
        [1, var h, var w] => (h, w),
        _ => null,
    };

    /// <summary>The readable snapshots' index entries, ascending by step.</summary>
    public IReadOnlyList<SnapshotEntry> Snapshots => Run.Snapshots;

    /// <inheritdoc />
    public IReadOnlyList<long> Steps => _steps;

    /// <summary>Loss, accuracy and learning rate of every snapshot that recorded a loss, ascending by step.</summary>
    public IReadOnlyList<MetricSample> Metrics => _metrics;

    /// <inheritdoc />
    public int ProbeCount => Manifest.Probe?.Count ?? 0;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Problems found while reading (skipped index lines, missing snapshot files).</summary>
    public IReadOnlyList<string> Warnings => Run.Warnings;

    /// <summary>Reads snapshots recorded since the last call (a run still being written); returns how many were added.</summary>
    public int Refresh()
    {
        int added = Run.Refresh();
        // Also when the TrainingRun was refreshed directly: the steps must always be its snapshots'.
        if (added > 0 || _steps.Length != Run.Snapshots.Count) Sync();
        return added;
    }

    private void Sync()
    {
        _steps = [.. Run.Snapshots.Select(s => s.Step)];
        // Recorded in ascending order by the recorder, but a hand-written loop may capture steps out of order.
        _indexOfStep = _steps.Select((step, i) => (step, i)).ToDictionary(x => x.step, x => x.i);
        _metrics = [.. Run.Snapshots.Where(e => e.Loss.HasValue).Select(e => new MetricSample(e.Step, (float)e.Loss!.Value,
            e.Metrics.TryGetValue("accuracy", out var a) ? (float)a : null, e.LearningRate is { } lr ? (float)lr : null,
            e.Metrics.TryGetValue(SnapshotRecorder.ValidationLossMetric, out var vl) ? (float)vl : null,
            e.Metrics.TryGetValue(SnapshotRecorder.ValidationAccuracyMetric, out var va) ? (float)va : null))];
    }

    // ---- steps ----

    /// <summary>The index of the snapshot recorded at <paramref name="step"/>, or false.</summary>
    public bool TryIndexOfStep(long step, out int index)
    {
        if (_indexOfStep.TryGetValue(step, out index)) return true;
        index = -1;
        return false;
    }

    /// <summary>The index of the snapshot recorded at <paramref name="step"/>.</summary>
    /// <exception cref="KeyNotFoundException">No snapshot at that step; the message names the nearest recorded steps (also in <see cref="NearestSteps"/>).</exception>
    public int IndexOfStep(long step) =>
        TryIndexOfStep(step, out int index) ? index : throw new KeyNotFoundException($"{Folder}: {Run.DescribeMissingStep(step)}.");

    /// <summary>The recorded steps nearest to <paramref name="step"/> (the one below and the one above).</summary>
    public IReadOnlyList<long> NearestSteps(long step) => Run.NearestSteps(step);

    /// <summary>The index of the recorded step closest to <paramref name="step"/> (the earlier one on a tie).</summary>
    /// <exception cref="InvalidOperationException">The run has no snapshots yet.</exception>
    public int IndexOfNearestStep(long step)
    {
        if (_steps.Length == 0) throw new InvalidOperationException($"{Folder}: the run has no snapshots yet.");
        int best = 0;
        for (int i = 1; i < _steps.Length; i++)
        {
            long d = Math.Abs(_steps[i] - step), b = Math.Abs(_steps[best] - step);
            if (d < b || (d == b && _steps[i] < _steps[best])) best = i;
        }
        return best;
    }

    /// <summary>At most <paramref name="max"/> snapshot indexes, evenly spaced, first and last kept (see <see cref="EvenPicking"/>).</summary>
    public int[] PickEvenly(int max) => EvenPicking.Indexes(_steps.Length, max);

    // ---- data ----

    /// <summary>The probe batch (inputs and labels, read once), or null when the run recorded none.</summary>
    /// <exception cref="SnapshotFormatException">The probe file is missing or corrupt.</exception>
    public ProbeBatch? LoadProbe()
    {
        lock (_lock)
        {
            if (!_probeLoaded) { _probe = Run.LoadProbe(); _probeLoaded = true; }
            return _probe;
        }
    }

    /// <summary>The class labels of the probe examples when they are integer classes; null for float targets or without a probe.</summary>
    public long[]? ProbeClassLabels()
    {
        var probe = LoadProbe();
        if (probe?.Labels is { DType: DType.Int64 } labels) return labels.ToLongArray();
        return Manifest.Probe?.Labels is { } l && l.Count == ProbeCount ? [.. l] : null;
    }

    /// <summary>Loads the tensors of snapshot <paramref name="index"/> (float32).</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such index.</exception>
    /// <exception cref="SnapshotFormatException">The snapshot file is damaged.</exception>
    public Snapshot LoadSnapshot(int index)
    {
        CheckIndex(index);
        // TrainingRun is not thread-safe, but LoadSnapshot only reads the entry and the file.
        SnapshotEntry entry;
        lock (_lock) entry = Run.Snapshots[index];
        return Run.LoadSnapshot(entry);
    }

    /// <inheritdoc />
    public NetworkSnapshot Load(int index, int probe)
    {
        var entry = Run.Snapshots[CheckIndex(index)];
        var snap = LoadSnapshot(index);
        var weights = new LayerWeights?[_layers.Length];
        var acts = new float[]?[_layers.Length];
        bool hasProbe = probe >= 0 && probe < ProbeCount;
        if (hasProbe && LoadProbe() is { } pb) acts[0] = Row(pb.Inputs, probe);
        for (int d = 1; d < _layers.Length; d++)
        {
            var layer = _layers[d];
            if (layer.Weight is { } w && snap.Parameters.TryGetValue(w, out var wt))
                weights[d] = new LayerWeights(wt.ToArray(), wt.Shape, layer.Bias is { } b && snap.Parameters.TryGetValue(b, out var bt) ? bt.ToArray() : null);
            if (!hasProbe) continue;
            if (layer.ActivationLayer is { } a && snap.Activations.TryGetValue(a, out var at)) acts[d] = Row(at, probe);
            else if (layer.Module is { } m && snap.Activations.TryGetValue(m, out var own)) acts[d] = Row(own, probe);
        }
        var metrics = new Dictionary<string, double>(entry.Metrics);
        if (entry.Loss is { } loss) metrics["loss"] = loss;
        if (entry.LearningRate is { } lr) metrics["learningRate"] = lr;
        return new NetworkSnapshot(entry.Step, weights, acts) { Metrics = metrics };
    }

    /// <summary>
    /// The recorded network rebuilt from the manifest with the core's modules (see <see cref="RecordedNetwork"/>),
    /// in evaluation mode, holding snapshot <paramref name="index"/>'s parameters and buffers.
    /// </summary>
    /// <exception cref="NotSupportedException">A recorded layer has no core module (the message names it).</exception>
    public Sequential LoadNetwork(int index)
    {
        var network = RecordedNetwork.Build(Manifest.Architecture);
        RecordedNetwork.LoadSnapshot(network, LoadSnapshot(index));
        return network;
    }

    /// <summary>
    /// Per drawn layer, the largest finite |weight| over the snapshots <paramref name="indexes"/> (1 where a layer
    /// has no weights or all are zero): the fixed colour scale a timeline uses. Reads one snapshot at a time.
    /// </summary>
    public float[] WeightScales(IReadOnlyList<int> indexes)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        var scales = new float[_layers.Length];
        foreach (int i in indexes)
        {
            var snap = LoadSnapshot(i);
            for (int d = 0; d < _layers.Length; d++)
                if (_layers[d].Weight is { } w && snap.Parameters.TryGetValue(w, out var t))
                    scales[d] = MathF.Max(scales[d], WeightStatistics.MaxAbsFinite(t.ToArray()));
        }
        for (int d = 0; d < scales.Length; d++) if (!(scales[d] > 1e-8f)) scales[d] = 1f;
        return scales;
    }

    private int CheckIndex(int index)
    {
        if ((uint)index >= (uint)_steps.Length)
            throw new ArgumentOutOfRangeException(nameof(index), $"Snapshot {index} does not exist; the run has {_steps.Length}.");
        return index;
    }

    private static float[] Row(Tensor batch, int row)
    {
        var all = batch.ToArray();
        int rows = batch.Rank == 0 ? 1 : batch.Size(0);
        int size = all.Length / Math.Max(1, rows);
        return all.AsSpan(row * size, size).ToArray();
    }

    // ---- the one place the shape rules live ----

    private static int[] InferInputShape(TrainingRun run)
    {
        var m = run.Manifest;
        if ((m.Architecture.InputShape ?? m.Probe?.InputShape ?? m.Dataset?.InputShape) is { Count: > 0 } recorded) return [.. recorded];
        foreach (var l in m.Architecture.Layers)
        {
            if (l.TypeName == "Linear")
            {
                if (l.Config.TryGetValue("in_features", out var f) && f.ValueKind == JsonValueKind.Number && f.TryGetInt32(out int n) && n > 0) return [n];
                if (l.Parameters.FirstOrDefault(IsWeight) is { Shape: [_, var inputs] } && inputs > 0) return [inputs];
                break;
            }
            if (!l.IsActivation && l.TypeName is not ("Flatten" or "Dropout")) break;
        }
        throw new ArgumentException(
            $"Run '{run.Folder}' records no input shape and it cannot be inferred (the first layer is not a Linear layer): " +
            "record the run with a probe batch (SnapshotRecorderOptions.Probe, or `neurocore train`) or set SnapshotRecorderOptions.Dataset.InputShape.");
    }

    private static int[] DrawnInputShape(IReadOnlyList<int> shape) =>
        shape is [var n] && n >= 16 && (int)Math.Round(Math.Sqrt(n)) is var k && k * k == n ? [k, k] : [.. shape];

    private static bool IsWeight(TensorInfo p) => p.Name.EndsWith(".weight", StringComparison.Ordinal) || p.Name == "weight";

    private static bool IsBias(TensorInfo p) => p.Name.EndsWith(".bias", StringComparison.Ordinal) || p.Name == "bias";

    private static DrawnLayer[] DrawLayers(ModelArchitecture arch, int[] inputShape)
    {
        var layers = new List<DrawnLayer> { new(new LayerSpec("input", LayerKind.Input, inputShape), null, null, null, null, null) };
        foreach (var l in arch.Layers)
        {
            LayerKind? kind = l.TypeName switch
            {
                "Linear" => LayerKind.Dense,
                "Conv2d" => LayerKind.Conv2d,
                "MaxPool2d" or "AvgPool2d" or "AdaptiveAvgPool2d" => LayerKind.Pool2d,
                _ => null,
            };
            if (kind is null) continue;
            var weight = l.Parameters.FirstOrDefault(IsWeight);
            var bias = l.Parameters.FirstOrDefault(IsBias);
            int[] shape;
            if (kind == LayerKind.Dense)
            {
                if (weight is null || weight.Shape.Count != 2) throw new ArgumentException($"Linear layer '{l.Name}' has no [out, in] weight in the manifest.");
                shape = [weight.Shape[0]];
            }
            else
            {
                shape = l.OutputShape?.ToArray() ?? throw new ArgumentException(
                    $"{l.TypeName} layer '{l.Name}' has no recorded output shape: record the run with a probe batch (SnapshotRecorderOptions.Probe).");
                if (shape.Length != 3) throw new ArgumentException($"{l.TypeName} layer '{l.Name}' has output shape [{string.Join(", ", shape)}]; expected [C, H, W].");
            }
            // dense_1, dense_2, conv_1, pool_1, ...: stable, readable and free of the '/' node names use.
            string prefix = kind == LayerKind.Dense ? "dense" : kind == LayerKind.Conv2d ? "conv" : "pool";
            string name = $"{prefix}_{(layers.Count(x => x.Spec.Kind == kind) + 1).ToString(CultureInfo.InvariantCulture)}";
            layers.Add(new DrawnLayer(new LayerSpec(name, kind.Value, shape), l.Name, l.Activation?.Layer, l.Activation?.Function, weight?.Name, bias?.Name));
        }
        return [.. layers];
    }

    private static Dictionary<string, string> DescribeMetadata(TrainingRun run)
    {
        var m = run.Manifest;
        var meta = new Dictionary<string, string>
        {
            ["run"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(run.Folder)),
            ["model"] = m.Architecture.TypeName,
            ["parameters"] = m.Architecture.ParameterCount.ToString(CultureInfo.InvariantCulture),
        };
        if (m.Producer is not null) meta["producer"] = m.Producer;
        if (m.Dataset is not null) meta["dataset"] = m.Dataset.Name;
        // Strings were validated as proper text when the manifest was read.
        foreach (var (key, value) in m.HyperParameters)
            meta[key] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        return meta;
    }
}
