using System.Text.Json.Serialization;

namespace NeuroCore.Snapshots;

/// <summary>One line of <c>index.jsonl</c>: what a complete snapshot holds and where its file is.</summary>
public sealed record SnapshotEntry
{
    /// <summary>The global optimizer step (0 = the initial weights before any step).</summary>
    public long Step { get; init; }

    /// <summary>The epoch the step belongs to (from 0).</summary>
    public int Epoch { get; init; }

    /// <summary>Wall-clock time the snapshot was taken (UTC).</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>Seconds since recording started.</summary>
    [JsonPropertyName("elapsed")]
    public double ElapsedSeconds { get; init; }

    /// <summary>The training loss of the step (the batch loss), or null when unknown (e.g. step 0).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] // written as null when unknown, as readers of version 1 expect
    public double? Loss { get; init; }

    /// <summary>The learning rate used for the step, or null when unknown.</summary>
    [JsonPropertyName("lr")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? LearningRate { get; init; }

    /// <summary>Further metrics by name (e.g. <c>accuracy</c>, <c>val_loss</c>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The snapshot file, relative to the run folder (e.g. <c>snapshots/step-000123.safetensors</c>).</summary>
    public required string File { get; init; }

    /// <summary>Size of the snapshot file in bytes (a shorter file is truncated); −1 when the index line does not say.</summary>
    public long Bytes { get; init; } = -1;

    /// <summary>Why the snapshot was taken: <c>first</c>, <c>schedule</c>, <c>request</c>, <c>manual</c> or <c>last</c>.</summary>
    public string Reason { get; init; } = "manual";

    /// <inheritdoc />
    public override string ToString() => $"step {Step} (epoch {Epoch}, loss {Loss?.ToString("G4", System.Globalization.CultureInfo.InvariantCulture) ?? "-"})";
}

/// <summary>The tensors of one loaded snapshot (always float32, whatever the stored precision).</summary>
public sealed class Snapshot
{
    /// <summary>The index entry (step, epoch, time, loss, metrics, learning rate, file).</summary>
    public required SnapshotEntry Entry { get; init; }

    /// <summary>The step (same as <c>Entry.Step</c>).</summary>
    public long Step => Entry.Step;

    /// <summary>Parameters by state-dict name (<c>0.weight</c>).</summary>
    public required IReadOnlyDictionary<string, Tensor> Parameters { get; init; }

    /// <summary>Buffers by state-dict name (e.g. BatchNorm running statistics); empty when the model has none.</summary>
    public required IReadOnlyDictionary<string, Tensor> Buffers { get; init; }

    /// <summary>Full gradients by parameter name, when recorded with <see cref="GradientRecording.Full"/>; otherwise empty.</summary>
    public required IReadOnlyDictionary<string, Tensor> Gradients { get; init; }

    /// <summary>L2 norm of each parameter's gradient (recorded with Norms or Full); empty when none were recorded or the step had no gradients (step 0).</summary>
    public required IReadOnlyDictionary<string, float> GradientNorms { get; init; }

    /// <summary>Each layer's output on the probe batch, by layer name ([P, …]); empty without a probe.</summary>
    public required IReadOnlyDictionary<string, Tensor> Activations { get; init; }
}
