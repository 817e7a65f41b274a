namespace NeuroCore.Visualization.Model;

/// <summary>What a layer of the drawn network is, which decides how it is laid out and connected.</summary>
public enum LayerKind
{
    /// <summary>The network's input: a vector (<c>[N]</c>), an image (<c>[H, W]</c>) or image channels (<c>[C, H, W]</c>).</summary>
    Input,

    /// <summary>A fully connected layer of <c>[N]</c> neurons with a weight matrix <c>[N, inputs]</c> (PyTorch's Linear layout).</summary>
    Dense,

    /// <summary>A 2-D convolution producing <c>[C, H, W]</c> feature maps, weights <c>[C, inC, kH, kW]</c>.</summary>
    Conv2d,

    /// <summary>A layer without weights that changes the shape (pooling): drawn, but not connected.</summary>
    Pool2d,
}

/// <summary>One drawn layer: a unique name (used in node names, e.g. <c>dense_1</c>), its kind and its output shape per sample.</summary>
/// <param name="Name">Unique name; node names are built from it (<c>dense_1/neuron_17</c>).</param>
/// <param name="Kind">How the layer is laid out and connected.</param>
/// <param name="Shape">Output shape of one sample: <c>[N]</c>, <c>[H, W]</c> or <c>[C, H, W]</c>.</param>
public sealed record LayerSpec(string Name, LayerKind Kind, int[] Shape)
{
    /// <summary>Number of neurons (units): the product of <see cref="Shape"/>.</summary>
    public int NeuronCount
    {
        get
        {
            var n = 1;
            foreach (var d in Shape) n = checked(n * d);
            return n;
        }
    }

    /// <summary>True for a layer whose connections come from a weight tensor (dense and convolution layers).</summary>
    public bool HasWeights => Kind is LayerKind.Dense or LayerKind.Conv2d;
}

/// <summary>The architecture of a run: its layers in order, input first. Connections run from layer i−1 to layer i.</summary>
public sealed class NetworkArchitecture
{
    /// <summary>Creates an architecture, checking that names are unique and shapes are usable.</summary>
    /// <exception cref="ArgumentException">No layers, a duplicate or empty name, or an empty/invalid shape.</exception>
    public NetworkArchitecture(IReadOnlyList<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            if (string.IsNullOrWhiteSpace(l.Name)) throw new ArgumentException($"Layer {i} has no name.", nameof(layers));
            if (l.Name.Contains('/')) throw new ArgumentException($"Layer name '{l.Name}' must not contain '/': it separates parts of node names.", nameof(layers));
            if (!names.Add(l.Name)) throw new ArgumentException($"Layer name '{l.Name}' is used twice.", nameof(layers));
            if (l.Shape.Length is < 1 or > 3 || l.Shape.Any(d => d <= 0))
                throw new ArgumentException($"Layer '{l.Name}' has shape [{string.Join(", ", l.Shape)}]; expected 1 to 3 positive sizes.", nameof(layers));
            if (l.Kind == LayerKind.Conv2d && l.Shape.Length != 3)
                throw new ArgumentException($"Conv2d layer '{l.Name}' has shape [{string.Join(", ", l.Shape)}]; expected [C, H, W].", nameof(layers));
            if (i == 0 && l.HasWeights) throw new ArgumentException($"The first layer '{l.Name}' cannot have weights: there is nothing before it.", nameof(layers));
        }
        Layers = layers.ToArray();
    }

    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<LayerSpec> Layers { get; }

    /// <summary>Index of the layer called <paramref name="name"/>, or −1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Layers.Count; i++) if (Layers[i].Name == name) return i;
        return -1;
    }
}

/// <summary>A layer's parameters at one snapshot: weights in PyTorch layout (row-major) and the optional bias.</summary>
/// <param name="Values">Weights, row-major: Dense <c>[out, in]</c>, Conv2d <c>[outC, inC, kH, kW]</c>.</param>
/// <param name="Shape">The weight tensor's shape.</param>
/// <param name="Bias">Bias per output neuron/channel, or null.</param>
public sealed record LayerWeights(float[] Values, int[] Shape, float[]? Bias = null);

/// <summary>
/// The state of the network at one recorded training step: weights of each weighted layer and,
/// when recorded, each layer's activations on the chosen probe input.
/// </summary>
/// <param name="Step">The training step (optimizer steps taken) when the snapshot was recorded.</param>
/// <param name="Weights">Per layer (same index as <see cref="NetworkArchitecture.Layers"/>): weights, null for layers without them.</param>
/// <param name="Activations">Per layer: activations of the probe input (NeuronCount values, row-major), null when not recorded.</param>
public sealed record NetworkSnapshot(long Step, IReadOnlyList<LayerWeights?> Weights, IReadOnlyList<float[]?>? Activations = null)
{
    /// <summary>Optional metrics at this step (e.g. "loss", "accuracy"), copied into the scene's extras.</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }
}

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
