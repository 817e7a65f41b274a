using System.Text.Json;
using System.Text.Json.Serialization;
using NeuroCore.NN;

namespace NeuroCore.Snapshots;

/// <summary>
/// The description of a training run, written once to <c>manifest.json</c> when recording starts:
/// format name and version, the model's architecture, the dataset, hyper-parameters, the probe batch
/// and how tensors are stored. See <c>docs/snapshot-format.md</c>.
/// </summary>
public sealed record RunManifest
{
    /// <summary>The format name, always <see cref="SnapshotFormat.Name"/>.</summary>
    public string Format { get; init; } = SnapshotFormat.Name;

    /// <summary>The integer format version the run was written with (see <see cref="SnapshotFormat.Version"/>).</summary>
    public int Version { get; init; } = SnapshotFormat.Version;

    /// <summary>When recording started (UTC).</summary>
    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>What wrote the run, e.g. <c>NeuroCore 0.1.0</c>.</summary>
    public string? Producer { get; init; }

    /// <summary>The model: its type and ordered layers.</summary>
    public required ModelArchitecture Architecture { get; init; }

    /// <summary>The dataset trained on, when known.</summary>
    public DatasetInfo? Dataset { get; init; }

    /// <summary>Hyper-parameters (optimizer, learning rate, batch size, epochs, seed, …) as JSON values.</summary>
    public IReadOnlyDictionary<string, JsonElement> HyperParameters { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>The planned number of epochs (<c>hyperParameters.epochs</c>), when recorded; a validated whole number.</summary>
    [JsonIgnore]
    public int? Epochs => HyperParameters.TryGetValue(RunValidation.EpochsKey, out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int n) ? n : null;

    /// <summary>
    /// The initial learning rate (<c>hyperParameters.learningRate</c>, or <c>lr</c> as some writers name it), when recorded.
    /// </summary>
    [JsonIgnore]
    public double? LearningRate =>
        RunValidation.LearningRateKeys.Select(k => HyperParameters.TryGetValue(k, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : (double?)null)
            .FirstOrDefault(v => v is not null);

    /// <summary>The fixed probe batch whose per-layer activations every snapshot holds, or null when none was recorded.</summary>
    public ProbeInfo? Probe { get; init; }

    /// <summary>How snapshot tensors are stored (precision, gradient mode).</summary>
    public SnapshotStorage Storage { get; init; } = new();
}

/// <summary>A model's architecture as recorded in the manifest.</summary>
public sealed record ModelArchitecture
{
    /// <summary>The root module's type name (e.g. <c>Sequential</c>).</summary>
    [JsonPropertyName("type")]
    public required string TypeName { get; init; }

    /// <summary>Total number of trainable parameter elements.</summary>
    public long ParameterCount { get; init; }

    /// <summary>Shape of one input example (without the batch dimension), when known from the probe.</summary>
    public IReadOnlyList<int>? InputShape { get; init; }

    /// <summary>
    /// The layers in forward order: the root's direct children (for a <c>Sequential</c>, named 0, 1, 2, …),
    /// or the root itself (named "") when it has no children.
    /// </summary>
    public required IReadOnlyList<LayerInfo> Layers { get; init; }

    /// <summary>The layer named <paramref name="name"/>, or null.</summary>
    public LayerInfo? FindLayer(string name) => Layers.FirstOrDefault(l => l.Name == name);
}

/// <summary>One layer of the recorded architecture.</summary>
public sealed record LayerInfo
{
    /// <summary>Position in forward order, from 0.</summary>
    public int Index { get; init; }

    /// <summary>The module name (state-dict prefix), e.g. <c>0</c>; activations are stored under this name.</summary>
    public required string Name { get; init; }

    /// <summary>The module's <c>TypeName</c>, e.g. <c>Linear</c> or <c>ReLU</c>.</summary>
    [JsonPropertyName("type")]
    public required string TypeName { get; init; }

    /// <summary>The module's <c>Config</c> (e.g. <c>in_features</c>, <c>out_features</c>) as JSON values.</summary>
    public IReadOnlyDictionary<string, JsonElement> Config { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>Trainable parameters with full state-dict names (<c>0.weight</c>) and shapes.</summary>
    public IReadOnlyList<TensorInfo> Parameters { get; init; } = [];

    /// <summary>Buffers (e.g. BatchNorm running statistics) with full state-dict names and shapes.</summary>
    public IReadOnlyList<TensorInfo> Buffers { get; init; } = [];

    /// <summary>True when the layer is itself an activation function (ReLU, Tanh, …).</summary>
    public bool IsActivation { get; init; }

    /// <summary>
    /// The activation applied to this layer's output: the layer's own function when <see cref="IsActivation"/>,
    /// otherwise that of the activation layer directly after it; null when none follows. Format version 2
    /// stores it as <c>{ "function": "relu", "layer": "1" }</c>; version 1 stored only the snake-case name,
    /// and the reader fills <see cref="LayerActivation.Layer"/> by the same rule.
    /// </summary>
    [JsonConverter(typeof(LayerActivationJsonConverter))]
    public LayerActivation? Activation { get; init; }

    /// <summary>Shape of the layer's output for one example (without the batch dimension), from the probe run; null without a probe.</summary>
    public IReadOnlyList<int>? OutputShape { get; init; }
}

/// <summary>An activation function applied after a layer, and the layer whose recorded output is the activated value.</summary>
/// <param name="Function">The activation function.</param>
/// <param name="Layer">The name of the layer whose output holds the activated values (the activation layer itself, or the layer when it is its own activation).</param>
public sealed record LayerActivation(ActivationFunction Function, string Layer)
{
    /// <summary>The snake-case name of <see cref="Function"/> (<c>leaky_relu</c>).</summary>
    [JsonIgnore]
    public string Name => Function.Name();

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>A named tensor's shape, as listed in the manifest.</summary>
/// <param name="Name">The full state-dict name, e.g. <c>0.weight</c>.</param>
/// <param name="Shape">The tensor's shape.</param>
public sealed record TensorInfo(string Name, IReadOnlyList<int> Shape)
{
    /// <summary>Number of elements.</summary>
    [JsonIgnore]
    public long Numel => Shape.Aggregate(1L, (a, d) => a * d);
}

/// <summary>The dataset a run was trained on.</summary>
public sealed record DatasetInfo
{
    /// <summary>Name such as <c>spiral</c> or <c>digits</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Number of training examples.</summary>
    public int Count { get; init; }

    /// <summary>Shape of one input example.</summary>
    public IReadOnlyList<int> InputShape { get; init; } = [];

    /// <summary>Number of classes for classification, or null.</summary>
    public int? Classes { get; init; }

    /// <summary>Class names (index = class), when known.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Further dataset settings (noise, seed, …) as JSON values.</summary>
    public IReadOnlyDictionary<string, JsonElement> Details { get; init; } = new Dictionary<string, JsonElement>();
}

/// <summary>The probe batch: a few fixed inputs on which every snapshot records each layer's activations.</summary>
public sealed record ProbeInfo
{
    /// <summary>The safetensors file (relative to the run folder) holding <c>inputs</c> and, when known, <c>labels</c>.</summary>
    public string File { get; init; } = SnapshotFormat.ProbeFileName;

    /// <summary>Number of probe examples.</summary>
    public int Count { get; init; }

    /// <summary>Shape of one probe input.</summary>
    public IReadOnlyList<int> InputShape { get; init; } = [];

    /// <summary>Class labels of the probe examples (classification), or null.</summary>
    public IReadOnlyList<long>? Labels { get; init; }
}

/// <summary>How a run's snapshot tensors are stored.</summary>
/// <remarks>A positional record so that fields missing from a manifest keep these defaults when read.</remarks>
/// <param name="Parameters">Precision of stored parameters (and buffers).</param>
/// <param name="Activations">Precision of stored activations.</param>
/// <param name="Gradients">What is stored of the gradients.</param>
public sealed record SnapshotStorage(
    SnapshotPrecision Parameters = SnapshotPrecision.Float32,
    SnapshotPrecision Activations = SnapshotPrecision.Float32,
    GradientRecording Gradients = GradientRecording.Norms)
{
    /// <summary>The defaults: float32 parameters and activations, gradient norms.</summary>
    public SnapshotStorage() : this(SnapshotPrecision.Float32) { }
}

/// <summary>Precision of stored float tensors; readers always return float32.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SnapshotPrecision>))]
public enum SnapshotPrecision
{
    /// <summary>IEEE single precision (exact).</summary>
    [JsonStringEnumMemberName("float32")]
    Float32,
    /// <summary>IEEE half precision: half the size, about 3 significant digits, range ±65504.</summary>
    [JsonStringEnumMemberName("float16")]
    Float16,
}

/// <summary>What a snapshot stores of the parameters' gradients.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GradientRecording>))]
public enum GradientRecording
{
    /// <summary>Nothing.</summary>
    [JsonStringEnumMemberName("none")]
    None,
    /// <summary>One L2 norm per parameter.</summary>
    [JsonStringEnumMemberName("norms")]
    Norms,
    /// <summary>The full gradient tensors (stored at the parameter precision), and their norms.</summary>
    [JsonStringEnumMemberName("full")]
    Full,
}
