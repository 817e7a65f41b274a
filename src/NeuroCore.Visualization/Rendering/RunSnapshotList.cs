using NeuroCore.Visualization.Runs;

namespace NeuroCore.Visualization.Rendering;

/// <summary>
/// The chosen snapshots of a <see cref="RunModel"/> as <see cref="WeightSnapshot"/>s, loaded from disk when a
/// frame asks for them and kept in a small cache: frames are rendered in time order, a batch of frames
/// touches a few neighbouring snapshots, so memory is a few snapshots' weights whatever the run's length.
/// </summary>
internal sealed class RunSnapshotList : IReadOnlyList<WeightSnapshot>
{
    // Two per frame (the pair interpolated) plus the neighbours of a batch rendered in parallel.
    private const int CacheCapacity = 4;

    private readonly RunModel _run;
    private readonly int[] _indexes;
    private readonly (string Weight, string? Bias, int In, int Out)[] _linears;
    private readonly LinkedList<(int Position, WeightSnapshot Snapshot)> _cache = new();
    private readonly object _lock = new();

    public RunSnapshotList(RunModel run, int[] indexes, (string Weight, string? Bias, int In, int Out)[] linears)
    {
        _run = run;
        _indexes = indexes;
        _linears = linears;
    }

    public int Count => _indexes.Length;

    /// <summary>How many snapshots were read from disk so far (for tests of the memory bound).</summary>
    public int Loads { get; private set; }

    /// <summary>How many snapshots' weights are held now (at most the cache capacity).</summary>
    public int Cached
    {
        get { lock (_lock) return _cache.Count; }
    }

    public WeightSnapshot this[int position]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(position);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, _indexes.Length);
            lock (_lock)
            {
                for (var node = _cache.First; node is not null; node = node.Next)
                    if (node.Value.Position == position)
                    {
                        _cache.Remove(node);
                        _cache.AddFirst(node);
                        return node.Value.Snapshot;
                    }
            }
            var loaded = Load(position);
            lock (_lock)
            {
                _cache.AddFirst((position, loaded));
                while (_cache.Count > CacheCapacity) _cache.RemoveLast();
                Loads++;
            }
            return loaded;
        }
    }

    private WeightSnapshot Load(int position)
    {
        int index = _indexes[position];
        var entry = _run.Snapshots[index];
        var snap = _run.LoadSnapshot(index);
        var weights = new float[_linears.Length][];
        var biases = new float[]?[_linears.Length];
        for (int k = 0; k < _linears.Length; k++)
        {
            var (w, b, nIn, nOut) = _linears[k];
            weights[k] = Parameter(snap, w, entry.Step, [nOut, nIn]);
            biases[k] = b is null ? null : Parameter(snap, b, entry.Step, [nOut]);
        }
        return new WeightSnapshot(entry.Step, entry.Epoch, weights, biases)
        {
            Loss = entry.Loss is { } l ? (float)l : null,
            Accuracy = entry.Metrics.TryGetValue("accuracy", out var a) ? (float)a : null,
            LearningRate = entry.LearningRate is { } lr ? (float)lr : null,
        };
    }

    private static float[] Parameter(NeuroCore.Snapshots.Snapshot snap, string name, long step, int[] shape)
    {
        if (!snap.Parameters.TryGetValue(name, out var t))
            throw new NeuroCore.Snapshots.SnapshotFormatException(snap.Entry.File, $"the snapshot of step {step} has no parameter \"{name}\".");
        if (!t.Shape.AsSpan().SequenceEqual(shape))
            throw new NeuroCore.Snapshots.SnapshotFormatException(snap.Entry.File,
                $"parameter \"{name}\" of step {step} has shape [{string.Join(", ", t.Shape)}]; the manifest says [{string.Join(", ", shape)}].");
        return t.ToArray();
    }

    public IEnumerator<WeightSnapshot> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
