using System.Globalization;
using System.Text.Json;
using NeuroCore.NN;

namespace NeuroCore.Snapshots;

/// <summary>
/// Rebuilds the network a run recorded, from its manifest, as a <see cref="Sequential"/> of the core's own
/// modules with the recorded configs, and loads a snapshot's parameters and buffers into it. Every
/// picture that needs a forward pass (decision regions, predictions, activations on new inputs) runs this
/// network, so it computes exactly what training computed.
/// </summary>
public static class RecordedNetwork
{
    /// <summary>True when <paramref name="architecture"/> can be rebuilt; otherwise <paramref name="problem"/> says which layer cannot.</summary>
    public static bool CanBuild(ModelArchitecture architecture, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        try
        {
            Build(architecture);
            problem = null;
            return true;
        }
        catch (NotSupportedException e)
        {
            problem = e.Message;
            return false;
        }
    }

    /// <summary>
    /// A <see cref="Sequential"/> whose children are the recorded layers in order (so its state-dict names
    /// are the recorded ones), in evaluation mode, with freshly initialized parameters; load a snapshot with
    /// <see cref="LoadSnapshot"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">A layer type has no core module, or its config is incomplete; the message names the layer.</exception>
    public static Sequential Build(ModelArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (architecture.TypeName != "Sequential")
            throw new NotSupportedException($"The recorded model is a {architecture.TypeName}; only Sequential models can be rebuilt from a manifest.");
        var model = new Sequential();
        for (int i = 0; i < architecture.Layers.Count; i++)
        {
            var layer = architecture.Layers[i];
            if (layer.Name != i.ToString(CultureInfo.InvariantCulture))
                throw new NotSupportedException($"Layer {i} of the recorded Sequential is named \"{layer.Name}\"; expected \"{i}\".");
            try
            {
                model.Add(Create(layer));
            }
            catch (Exception e) when (e is ArgumentException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new NotSupportedException($"Layer \"{layer.Name}\" ({layer.TypeName}) cannot be rebuilt from its recorded config: {e.Message}", e);
            }
        }
        model.Eval();
        return model;
    }

    /// <summary>Copies <paramref name="snapshot"/>'s parameters and buffers into <paramref name="model"/> (built by <see cref="Build"/>).</summary>
    /// <exception cref="ArgumentException">A tensor is missing or has another shape than the model's.</exception>
    public static void LoadSnapshot(Module model, Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(snapshot);
        var state = new Dictionary<string, Tensor>(snapshot.Parameters);
        foreach (var (name, b) in snapshot.Buffers) state[name] = b;
        // The int64 batch counter of BatchNorm is stored as float; it does not affect evaluation, so leave it.
        foreach (var (name, t) in model.StateDict())
            if (t.DType != DType.Float32) state.Remove(name);
        model.LoadStateDict(state, strict: false);
        var missing = model.NamedParameters().Select(p => p.Name).Where(n => !snapshot.Parameters.ContainsKey(n)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"The snapshot of step {snapshot.Step} has no parameter {string.Join(", ", missing)}.");
    }

    private static Module Create(LayerInfo layer)
    {
        var c = layer.Config;
        if (ActivationFunctions.FromTypeName(layer.TypeName) is { } activation)
        {
            if (!activation.HasModule())
                throw new NotSupportedException($"Layer \"{layer.Name}\" is {layer.TypeName} ({activation.Name()}), which the core has no module for.");
            return activation.CreateModule(c.ToDictionary(kv => kv.Key, kv => Value(kv.Value)));
        }
        return layer.TypeName switch
        {
            "Linear" => new Linear(Int(c, "in_features"), Int(c, "out_features"), Bool(c, "bias", true)),
            "Conv2d" => new Conv2d(Int(c, "in_channels"), Int(c, "out_channels"), Int(c, "kernel_size"), Int(c, "stride", 1), Int(c, "padding", 0), Bool(c, "bias", true)),
            "MaxPool2d" => new MaxPool2d(Int(c, "kernel_size"), Int(c, "stride", Int(c, "kernel_size"))),
            "AvgPool2d" => new AvgPool2d(Int(c, "kernel_size"), Int(c, "stride", Int(c, "kernel_size"))),
            "Flatten" => new Flatten(Int(c, "start_dim", 1), Int(c, "end_dim", -1)),
            "Dropout" => new Dropout(Float(c, "p", 0.5f)),
            "BatchNorm1d" => new BatchNorm1d(Int(c, "num_features"), Float(c, "eps", 1e-5f), Float(c, "momentum", 0.1f), Bool(c, "affine", true)),
            "BatchNorm2d" => new BatchNorm2d(Int(c, "num_features"), Float(c, "eps", 1e-5f), Float(c, "momentum", 0.1f), Bool(c, "affine", true)),
            "LayerNorm" => new LayerNorm(Int(c, "normalized_shape"), Float(c, "eps", 1e-5f), Bool(c, "elementwise_affine", true)),
            "Embedding" => new Embedding(Int(c, "num_embeddings"), Int(c, "embedding_dim")),
            _ => throw new NotSupportedException($"Layer \"{layer.Name}\" is a {layer.TypeName}, which the core has no module for."),
        };
    }

    private static object? Value(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static int Int(IReadOnlyDictionary<string, JsonElement> c, string key, int? fallback = null)
    {
        if (c.TryGetValue(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n)) return n;
        if (c.TryGetValue(key, out v) && v.ValueKind != JsonValueKind.Null)
            throw new FormatException($"config \"{key}\" is {v.GetRawText()}; expected a whole number");
        return fallback ?? throw new KeyNotFoundException($"config \"{key}\" is missing");
    }

    private static float Float(IReadOnlyDictionary<string, JsonElement> c, string key, float fallback) =>
        !c.TryGetValue(key, out var v) || v.ValueKind == JsonValueKind.Null ? fallback
        : v.ValueKind == JsonValueKind.Number ? v.GetSingle() : throw new FormatException($"config \"{key}\" is {v.GetRawText()}; expected a number");

    private static bool Bool(IReadOnlyDictionary<string, JsonElement> c, string key, bool fallback) =>
        !c.TryGetValue(key, out var v) ? fallback : v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => fallback,
            _ => throw new FormatException($"config \"{key}\" is {v.GetRawText()}; expected true or false"),
        };
}
