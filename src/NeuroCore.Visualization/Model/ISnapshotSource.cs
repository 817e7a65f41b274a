namespace NeuroCore.Visualization.Model;

/// <summary>
/// Where scene builders get a run's data from, one snapshot at a time so memory stays bounded by
/// what is drawn, not by the length of the run. The adapter over the recorded-run reader implements
/// this; <see cref="InMemorySnapshotSource"/> serves tests and small programs.
/// </summary>
public interface ISnapshotSource
{
    /// <summary>The network's layers.</summary>
    NetworkArchitecture Architecture { get; }

    /// <summary>The recorded snapshots' training steps, in recording order.</summary>
    IReadOnlyList<long> Steps { get; }

    /// <summary>Number of probe inputs whose activations were recorded (0 when none).</summary>
    int ProbeCount { get; }

    /// <summary>Run metadata shown in the scene's extras (name, dataset, optimizer, ...).</summary>
    IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Loads snapshot <paramref name="index"/> with the activations of probe <paramref name="probe"/> (if recorded).</summary>
    NetworkSnapshot Load(int index, int probe);
}
