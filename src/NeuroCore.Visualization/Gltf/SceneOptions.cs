using NeuroCore.Visualization.Layout;

namespace NeuroCore.Visualization.Gltf;

/// <summary>Options of <see cref="NetworkSceneBuilder"/>.</summary>
public sealed record SceneOptions
{
    /// <summary>Most connections drawn over the whole network (default 50,000); see <see cref="ConnectionSelection"/>.</summary>
    public int MaxConnections { get; init; } = ConnectionSelection.DefaultBudget;

    /// <summary>Which recorded probe input's activations colour and size the neurons (default 0).</summary>
    public int Probe { get; init; }

    /// <summary>
    /// Snapshot whose weights choose the drawn connections (index into the run's snapshots); null =
    /// the exported snapshot for a single step, the last snapshot for a timeline.
    /// </summary>
    public int? ReferenceSnapshot { get; init; }

    /// <summary>Neuron positions; null = <see cref="LayoutOptions"/> defaults.</summary>
    public LayoutOptions? Layout { get; init; }

    /// <summary>Timeline playback: seconds per snapshot (default 0.5), used unless <see cref="SecondsPerStep"/> is set.</summary>
    public float SecondsPerSnapshot { get; init; } = 0.5f;

    /// <summary>Timeline playback: seconds per training step; when set, keyframes are spaced by step rather than by snapshot.</summary>
    public float? SecondsPerStep { get; init; }

    /// <summary>
    /// Layers with more neurons than this get no per-neuron named nodes (their neurons are still drawn;
    /// the layer's extras say so). Default 4,096: above that the node list dwarfs the geometry.
    /// </summary>
    public int MaxNamedNeuronsPerLayer { get; init; } = 4096;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public void Validate()
    {
        if (MaxConnections < 0) throw new ArgumentException($"MaxConnections must be 0 or more, got {MaxConnections}.");
        if (Probe < 0) throw new ArgumentException($"Probe must be 0 or more, got {Probe}.");
        if (!(SecondsPerSnapshot > 0f && float.IsFinite(SecondsPerSnapshot))) throw new ArgumentException($"SecondsPerSnapshot must be a positive number, got {SecondsPerSnapshot}.");
        if (SecondsPerStep is { } s && !(s > 0f && float.IsFinite(s))) throw new ArgumentException($"SecondsPerStep must be a positive number, got {s}.");
        if (MaxNamedNeuronsPerLayer < 0) throw new ArgumentException($"MaxNamedNeuronsPerLayer must be 0 or more, got {MaxNamedNeuronsPerLayer}.");
        Layout?.Validate();
    }
}
