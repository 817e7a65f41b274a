namespace NeuroCore.Visualization.Model;

/// <summary>An <see cref="ISnapshotSource"/> over snapshots already in memory.</summary>
public sealed class InMemorySnapshotSource : ISnapshotSource
{
    private readonly IReadOnlyList<Func<int, NetworkSnapshot>> _snapshots;

    /// <summary>Creates a source whose snapshots carry the activations of a single probe.</summary>
    public InMemorySnapshotSource(NetworkArchitecture architecture, IReadOnlyList<NetworkSnapshot> snapshots, IReadOnlyDictionary<string, string>? metadata = null)
        : this(architecture, snapshots.Select(s => (Func<int, NetworkSnapshot>)(_ => s)).ToArray(), snapshots.Select(s => s.Step).ToArray(),
               snapshots.Any(s => s.Activations is not null) ? 1 : 0, metadata)
    {
    }

    /// <summary>Creates a source whose snapshots are produced on demand for a probe index.</summary>
    public InMemorySnapshotSource(NetworkArchitecture architecture, IReadOnlyList<Func<int, NetworkSnapshot>> snapshots, IReadOnlyList<long> steps, int probeCount, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (snapshots.Count != steps.Count) throw new ArgumentException($"{snapshots.Count} snapshots but {steps.Count} steps.", nameof(steps));
        Architecture = architecture;
        _snapshots = snapshots;
        Steps = steps;
        ProbeCount = probeCount;
        Metadata = metadata ?? new Dictionary<string, string>();
    }

    /// <inheritdoc />
    public NetworkArchitecture Architecture { get; }

    /// <inheritdoc />
    public IReadOnlyList<long> Steps { get; }

    /// <inheritdoc />
    public int ProbeCount { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <inheritdoc />
    public NetworkSnapshot Load(int index, int probe)
    {
        if ((uint)index >= (uint)_snapshots.Count) throw new ArgumentOutOfRangeException(nameof(index), $"Snapshot {index} does not exist; the run has {_snapshots.Count}.");
        return _snapshots[index](probe);
    }
}
