using NeuroCore.Visualization.Runs;
using System.Globalization;
using System.Runtime.InteropServices;
using NeuroCore.Snapshots;
using NeuroCore.Visualization.Color;
using NeuroCore.Visualization.Layout;
using NeuroCore.Visualization.Model;

namespace NeuroCore.Viewer.Runs;

/// <summary>
/// The one adapter between the recorded-run reader (<see cref="TrainingRun"/>,
/// <see cref="RunModel"/>) and the viewer's JSON: everything the pages learn about a run
/// passes through here, so switching to another run model changes this file only.
/// </summary>
/// <remarks>
/// The drawn network, its layout and the connection selection come from NeuroCore.Visualization
/// (<see cref="NetworkLayout"/>, <see cref="ConnectionSelection"/>), exactly as the glTF scenes and
/// videos use them. Values sent are the stored ones (weights, biases, activations, gradients); the
/// only derived numbers are the kernel means of conv connections (as the glTF uses) and ranges.
/// Not thread-safe by itself: <see cref="RunReaderCache"/> hands out one reader per folder behind a lock.
/// </remarks>
internal sealed class RunReader
{
    private readonly TrainingRun _run;
    private readonly RunModel _source;
    private ConnectionSelection? _selection;
    private readonly Dictionary<(int Index, int Probe), NetworkSnapshot> _loaded = [];
    private readonly Queue<(int Index, int Probe)> _loadOrder = new();

    private RunReader(string id, TrainingRun run)
    {
        Id = id;
        _run = run;
        _source = new RunModel(run);
        Layout = NetworkLayout.Compute(_source.Architecture);
    }

    /// <summary>Opens the run in <paramref name="folder"/>.</summary>
    /// <exception cref="SnapshotFormatException">The folder is not a readable run.</exception>
    /// <exception cref="ArgumentException">The run has a layer the viewer cannot draw.</exception>
    public static RunReader Open(string id, string folder) => new(id, TrainingRun.Open(folder));

    public string Id { get; }

    public NetworkLayout Layout { get; }

    public NetworkArchitecture Architecture => _source.Architecture;

    public int SnapshotCount => _run.Snapshots.Count;

    public bool IsFinished => _run.IsFinished;

    /// <summary>Reads index lines written since the last call; returns the new snapshots.</summary>
    public IReadOnlyList<SnapshotEntry> Refresh()
    {
        var before = _run.Snapshots.Count;
        // Through the run model, so that its steps (which Load indexes) follow the index too.
        _source.Refresh();
        return _run.Snapshots.Skip(before).ToList();
    }

    /// <summary>What <c>GET /api/runs/{id}/view</c> answers: architecture, layout, snapshots' metrics, probe, colours, connections.</summary>
    public Dictionary<string, object?> View(int budget)
    {
        Refresh();
        var m = _run.Manifest;
        var arch = Architecture;
        var layers = new List<object>();
        for (var i = 0; i < arch.Layers.Count; i++)
        {
            var spec = arch.Layers[i];
            var ll = Layout.Layers[i];
            var positions = new float[spec.NeuronCount * 3];
            for (var k = 0; k < spec.NeuronCount; k++)
            {
                positions[3 * k] = ll.Positions[k].X; positions[3 * k + 1] = ll.Positions[k].Y; positions[3 * k + 2] = ll.Positions[k].Z;
            }
            var planes = new float[ll.PlaneCount * 3];
            for (var p = 0; p < ll.PlaneCount; p++)
            {
                var c = ll.PlaneCenter(p);
                planes[3 * p] = c.X; planes[3 * p + 1] = c.Y; planes[3 * p + 2] = c.Z;
            }
            layers.Add(new
            {
                index = i,
                name = spec.Name,
                kind = spec.Kind.ToString(),
                shape = spec.Shape,
                neurons = spec.NeuronCount,
                rows = ll.Rows,
                cols = ll.Cols,
                planes = ll.PlaneCount,
                radius = ll.NeuronRadius,
                spacing = Layout.Options.NeuronSpacing,
                positions = Base64(positions),
                planeCenters = Base64(planes),
                connections = ConnectionSelection.CountConnections(arch, i),
            });
        }

        var probe = _run.LoadProbe();
        object? probeJson = null;
        if (probe is not null)
        {
            var count = Math.Min(probe.Count, 64);
            var inputs = probe.Inputs.ToArray();
            var per = inputs.Length / Math.Max(1, probe.Count);
            probeJson = new
            {
                count,
                recorded = probe.Count,
                inputShape = m.Probe?.InputShape,
                inputs = Base64(inputs.AsSpan(0, count * per)),
                labels = m.Probe?.Labels?.Take(count).ToArray(),
            };
        }

        var (weightScale, activationRange) = Ranges();
        return new Dictionary<string, object?>
        {
            ["id"] = Id,
            ["finished"] = _run.IsFinished,
            ["warnings"] = _run.Warnings,
            ["producer"] = m.Producer,
            ["model"] = m.Architecture.TypeName,
            ["parameters"] = m.Architecture.ParameterCount,
            ["dataset"] = m.Dataset?.Name,
            ["classNames"] = ClassNames(),
            ["hyperParameters"] = m.HyperParameters,
            ["gradients"] = m.Storage.Gradients.ToString().ToLowerInvariant(),
            ["layers"] = layers,
            ["bounds"] = new { min = new[] { Layout.Min.X, Layout.Min.Y, Layout.Min.Z }, max = new[] { Layout.Max.X, Layout.Max.Y, Layout.Max.Z } },
            ["snapshots"] = _run.Snapshots.Select(EntryJson).ToList(),
            ["probe"] = probeJson,
            ["weightScale"] = weightScale,
            ["activationRange"] = activationRange,
            ["colors"] = Colors(),
            ["connections"] = Connections(budget),
        };
    }

    /// <summary>The drawn connections for a budget (strongest |weight| per layer in the latest snapshot, as the glTF export picks them).</summary>
    public Dictionary<string, object?> Connections(int budget)
    {
        if (_selection is null || _selection.Budget != budget)
            _selection = _run.Snapshots.Count == 0 ? null : ConnectionSelection.Select(Architecture, Load(_run.Snapshots.Count - 1, 0), budget);
        var layers = new List<object>();
        long shown = 0, total = 0;
        var reference = _run.Snapshots.Count == 0 ? null : Load(_run.Snapshots.Count - 1, 0);
        for (var i = 0; i < Architecture.Layers.Count; i++)
        {
            if (!Architecture.Layers[i].HasWeights) continue;
            var t = ConnectionSelection.CountConnections(Architecture, i);
            var ids = _selection?.Layers[i]?.Shown ?? [];
            shown += ids.Length;
            total += t;
            layers.Add(new { layer = i, total = t, shown = ids.Length, ids = Base64(ids.AsSpan()), widths = Widths(reference, i, ids) });
        }
        return new Dictionary<string, object?> { ["budget"] = budget, ["shown"] = shown, ["total"] = total, ["layers"] = layers };
    }

    /// <summary>
    /// Line width class (0 thin, 1 medium, 2 thick) of each drawn connection, from its strength in the
    /// reference snapshot — as the glTF takes connection thickness from the reference snapshot.
    /// </summary>
    private string Widths(NetworkSnapshot? reference, int layer, int[] ids)
    {
        var widths = new byte[ids.Length];
        if (reference is not null && layer < reference.Weights.Count && reference.Weights[layer] is { } w)
        {
            var values = ConnectionSelection.ConnectionValues(Architecture, layer, w);
            var scale = 0f;
            foreach (var v in values) if (float.IsFinite(v)) scale = Math.Max(scale, Math.Abs(v));
            for (var j = 0; j < ids.Length; j++)
            {
                var s = DivergingColorMap.Strength(values[ids[j]], scale);
                widths[j] = (byte)(s >= 0.8f ? 2 : s >= 0.6f ? 1 : 0);
            }
        }
        return Convert.ToBase64String(widths);
    }

    /// <summary>
    /// The recorded activation name behind layer <paramref name="layer"/>: a drawn layer's name (as the view
    /// lists them; its activation layer's output when it has one, as the page draws it) or a manifest layer name.
    /// Null when no layer has that name; empty for a drawn layer without a module of its own (the input).
    /// </summary>
    public string? RecordedActivationName(string layer)
    {
        foreach (var l in _source.Layers)
            if (l.Spec.Name == layer) return l.ActivationLayer ?? l.Module ?? "";
        return _run.Manifest.Architecture.FindLayer(layer) is null ? null : layer;
    }

    /// <summary>The drawn layers' names, for error messages.</summary>
    public IEnumerable<string> LayerNames => _source.Layers.Select(l => l.Spec.Name);

    /// <summary>The latest snapshot's step, or null before the first.</summary>
    public long? LatestStep => _run.Latest?.Step;

    /// <summary>True when the run has a snapshot at <paramref name="step"/>.</summary>
    public bool HasStep(int step) => _run.TryGetEntry(step, out _);

    /// <summary>
    /// What <c>GET /api/runs/{id}/view/steps/{step}</c> answers: per drawn layer the stored connection
    /// values (dense weights; conv kernel means), biases, the probe's activations, full gradients when
    /// recorded and gradient norms — float32 little-endian in base64.
    /// </summary>
    public Dictionary<string, object?> Step(int step, int probe)
    {
        var entry = _run.GetEntry(step);
        var index = IndexOf(entry);
        var probeCount = _run.Manifest.Probe?.Count ?? 0;
        if (probeCount > 0 && (probe < 0 || probe >= probeCount))
            throw new ArgumentOutOfRangeException(nameof(probe), $"probe {probe} does not exist; the run has {probeCount} probe inputs (0..{probeCount - 1}).");
        var snap = Load(index, probe);
        var raw = _run.LoadSnapshot(entry);
        var layers = new List<object>();
        for (var i = 0; i < Architecture.Layers.Count; i++)
        {
            var spec = Architecture.Layers[i];
            var w = i < snap.Weights.Count ? snap.Weights[i] : null;
            string? grads = null;
            float? gradNorm = null;
            if (_source.Layers[i].Weight is { } wn) // the state-dict name of the drawn layer's weight
            {
                if (raw.Gradients.TryGetValue(wn, out var g))
                {
                    var gw = new LayerWeights(g.ToArray(), g.Shape);
                    grads = Base64(spec.Kind == LayerKind.Dense ? gw.Values : ConnectionSelection.ConnectionValues(Architecture, i, gw));
                }
                if (raw.GradientNorms.TryGetValue(wn, out var n)) gradNorm = n;
            }
            var act = snap.Activations is { } a && i < a.Count ? a[i] : null;
            layers.Add(new
            {
                layer = i,
                connections = w is null || !spec.HasWeights ? null : Base64(ConnectionSelection.ConnectionValues(Architecture, i, w)),
                bias = w?.Bias is { } b ? Base64(b) : null,
                activations = act is null ? null : Base64(act),
                gradients = grads,
                gradientNorm = gradNorm,
            });
        }
        return new Dictionary<string, object?>
        {
            ["step"] = entry.Step,
            ["index"] = index,
            ["probe"] = probe,
            ["entry"] = EntryJson(entry),
            ["layers"] = layers,
        };
    }

    /// <summary>
    /// A snapshot as the renderers see it, from a small cache: opening a view reads the first and latest
    /// snapshots for several probes and the reference for the connections; each is read from disk once.
    /// </summary>
    private NetworkSnapshot Load(int index, int probe)
    {
        if (_loaded.TryGetValue((index, probe), out var s)) return s;
        s = _source.Load(index, probe);
        _loaded[(index, probe)] = s;
        _loadOrder.Enqueue((index, probe));
        if (_loadOrder.Count > 24) _loaded.Remove(_loadOrder.Dequeue());
        return s;
    }

    /// <summary>The JSON of one snapshot's index entry (what the timeline and charts show).</summary>
    public static Dictionary<string, object?> EntryJson(SnapshotEntry e)
    {
        var d = new Dictionary<string, object?>
        {
            ["step"] = e.Step,
            ["epoch"] = e.Epoch,
            ["loss"] = e.Loss is { } l && double.IsFinite(l) ? l : null,
            ["accuracy"] = e.Metrics.TryGetValue("accuracy", out var a) && double.IsFinite(a) ? a : null,
            ["learningRate"] = e.LearningRate,
            ["elapsedSeconds"] = e.ElapsedSeconds,
            ["reason"] = e.Reason,
        };
        return d;
    }

    private int IndexOf(SnapshotEntry entry)
    {
        var list = _run.Snapshots;
        for (var i = list.Count - 1; i >= 0; i--) if (ReferenceEquals(list[i], entry)) return i;
        throw new KeyNotFoundException($"step {entry.Step} is not in the run's index.");
    }

    private IReadOnlyList<string>? ClassNames()
    {
        var names = _run.Manifest.Dataset?.ClassNames;
        if (names is { Count: > 0 }) return names;
        var outputs = Architecture.Layers[^1].NeuronCount;
        return _run.Manifest.Dataset?.Classes is int c && c == outputs
            ? Enumerable.Range(0, c).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToList()
            : null;
    }

    /// <summary>Per layer: the largest |connection value| and the activation range over the first and latest snapshot (fixed scales, so steps compare).</summary>
    private (float[] WeightScale, float[][] ActivationRange) Ranges()
    {
        var n = Architecture.Layers.Count;
        var scale = new float[n];
        var range = Enumerable.Range(0, n).Select(_ => new[] { float.PositiveInfinity, float.NegativeInfinity }).ToArray();
        var count = _run.Snapshots.Count;
        int[] indices = count == 0 ? [] : count == 1 ? [0] : [0, count - 1];
        foreach (var index in indices)
        {
            var probes = Math.Max(1, Math.Min(_source.ProbeCount, 8));
            for (var p = 0; p < probes; p++)
            {
                var s = Load(index, p);
                for (var i = 0; i < n; i++)
                {
                    if (p == 0 && i < s.Weights.Count && s.Weights[i] is { } w && Architecture.Layers[i].HasWeights)
                        foreach (var v in ConnectionSelection.ConnectionValues(Architecture, i, w))
                            if (float.IsFinite(v)) scale[i] = Math.Max(scale[i], Math.Abs(v));
                    if (s.Activations is { } acts && i < acts.Count && acts[i] is { } act)
                        foreach (var v in act)
                            if (float.IsFinite(v)) { range[i][0] = Math.Min(range[i][0], v); range[i][1] = Math.Max(range[i][1], v); }
                }
            }
        }
        foreach (var r in range) if (r[0] > r[1]) { r[0] = 0; r[1] = 1; }
        return (scale, range);
    }

    /// <summary>The shared colour maps sampled from NeuroCore.Visualization's Color folder, so page, glTF and video match.</summary>
    private static object Colors()
    {
        const int Samples = 64;
        var diverging = Enumerable.Range(0, 2 * Samples + 1).Select(k => DivergingColorMap.Map((k - Samples) / (float)Samples, 1f).ToString()).ToArray();
        var sequential = Enumerable.Range(0, Samples + 1).Select(k => SequentialColorMap.Map(k / (float)Samples).ToString()).ToArray();
        return new
        {
            diverging,
            sequential,
            classes = ClassColorMap.Colors.Select(c => c.ToString()).ToArray(),
            divergingRule = "value / layer scale in [-1, 1]; brightness = sqrt(|value| / scale)",
        };
    }

    internal static string Base64(ReadOnlySpan<float> values) => Convert.ToBase64String(MemoryMarshal.AsBytes(values));

    internal static string Base64(ReadOnlySpan<int> values) => Convert.ToBase64String(MemoryMarshal.AsBytes(values));
}
