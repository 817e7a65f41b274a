using System.Globalization;
using System.Text.Json;
using NeuroCore.NN;
using NeuroCore.Snapshots;

namespace NeuroCore.Visualization.Explain;

/// <summary>
/// Rebuilds a run's <see cref="Sequential"/> from its manifest (each layer's type name and config) and loads a
/// snapshot's parameters and buffers into it, in evaluation mode. A small adapter for <c>explain</c> and
/// <c>export onnx</c> until the shared run model rebuilds models from manifests itself.
/// </summary>
public static class RunSequential
{
    /// <summary>The model of <paramref name="run"/> with the weights of the snapshot at <paramref name="step"/> (default: the latest).</summary>
    /// <exception cref="ArgumentException">The manifest describes a layer this adapter cannot build, or the snapshot lacks a tensor.</exception>
    /// <exception cref="KeyNotFoundException">No snapshot at <paramref name="step"/>.</exception>
    public static (Sequential Model, Snapshot Snapshot) Load(TrainingRun run, int? step = null)
    {
        var entry = step is int s ? run.GetEntry(s) : run.Latest ?? throw new ArgumentException($"{run.Folder}: the run has no snapshots yet.");
        var model = Build(run.Manifest.Architecture);
        var snapshot = run.LoadSnapshot(entry);
        var state = new Dictionary<string, Tensor>();
        foreach (var (k, v) in snapshot.Parameters) state[k] = v;
        foreach (var (k, v) in snapshot.Buffers) state[k] = v;
        var missing = model.NamedParameters().Select(p => p.Name).Where(n => !state.ContainsKey(n)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"{run.Folder}: the snapshot at step {entry.Step} has no values for {string.Join(", ", missing)}.");
        model.LoadStateDict(state, strict: false);
        model.Eval();
        return (model, snapshot);
    }

    /// <summary>A freshly initialized Sequential with the manifest's layers.</summary>
    public static Sequential Build(ModelArchitecture architecture)
    {
        if (architecture.TypeName != "Sequential")
            throw new ArgumentException($"Run model: the root module is {architecture.TypeName}; only Sequential models can be rebuilt.");
        return new Sequential([.. architecture.Layers.Select(BuildLayer)]);
    }

    private static Module BuildLayer(LayerInfo layer)
    {
        var c = layer.Config;
        int I(string key) => c.TryGetValue(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : throw Missing(layer, key);
        int IOr(string key, int fallback) => c.TryGetValue(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : fallback;
        float FOr(string key, float fallback) => c.TryGetValue(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetSingle() : fallback;
        bool BOr(string key, bool fallback) => c.TryGetValue(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;
        // Activations come from the core's one table (name, module and config defaults).
        if (ActivationFunctions.FromTypeName(layer.TypeName) is { } activation && activation.HasModule())
            return activation.CreateModule(c.ToDictionary(kv => kv.Key, kv => kv.Value.ValueKind switch
            {
                JsonValueKind.Number => (object?)kv.Value.GetDouble(),
                JsonValueKind.String => kv.Value.GetString(),
                _ => null,
            }));
        return layer.TypeName switch
        {
            "Linear" => new Linear(I("in_features"), I("out_features"), BOr("bias", true)),
            "Conv2d" => new Conv2d(I("in_channels"), I("out_channels"), I("kernel_size"), IOr("stride", 1), IOr("padding", 0), BOr("bias", true)),
            "MaxPool2d" => new MaxPool2d(I("kernel_size"), IOr("stride", I("kernel_size"))),
            "AvgPool2d" => new AvgPool2d(I("kernel_size"), IOr("stride", I("kernel_size"))),
            "Flatten" => new NN.Flatten(IOr("start_dim", 1), IOr("end_dim", -1)),
            "LayerNorm" => new LayerNorm(I("normalized_shape"), FOr("eps", 1e-5f), BOr("elementwise_affine", true)),
            "BatchNorm1d" => new BatchNorm1d(I("num_features"), FOr("eps", 1e-5f), FOr("momentum", 0.1f), BOr("affine", true)),
            "BatchNorm2d" => new BatchNorm2d(I("num_features"), FOr("eps", 1e-5f), FOr("momentum", 0.1f), BOr("affine", true)),
            "Dropout" => new Dropout(FOr("p", 0.5f)),
            "Embedding" => new Embedding(I("num_embeddings"), I("embedding_dim")),
            _ => throw new ArgumentException($"Run model: layer '{layer.Name}' is {layer.TypeName}, which cannot be rebuilt from a manifest."),
        };
    }

    private static ArgumentException Missing(LayerInfo layer, string key) =>
        new($"Run model: layer '{layer.Name}' ({layer.TypeName}) has no '{key}' in its config (index {layer.Index.ToString(CultureInfo.InvariantCulture)}).");
}
