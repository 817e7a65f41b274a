namespace NeuroCore.Snapshots;

/// <summary>
/// Names and version of the training-run format (see <c>docs/snapshot-format.md</c>).
/// </summary>
public static class SnapshotFormat
{
    /// <summary>The format name stored in <c>manifest.json</c>.</summary>
    public const string Name = "neurocore.training-run";

    /// <summary>
    /// The format version this library writes and the newest it reads (2: a layer's <c>activation</c> is an object
    /// naming the function and the layer holding the activated output; version 1 runs are still read). It is raised only for changes
    /// older readers would misread; added fields and tensors keep the version (readers ignore what they do not know).
    /// </summary>
    public const int Version = 2;

    /// <summary>The manifest file name.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>The append-only index file name.</summary>
    public const string IndexFileName = "index.jsonl";

    /// <summary>The probe batch file name.</summary>
    public const string ProbeFileName = "probe.safetensors";

    /// <summary>The summary written when recording ends normally.</summary>
    public const string SummaryFileName = "summary.json";

    /// <summary>The folder holding snapshot files.</summary>
    public const string SnapshotFolder = "snapshots";

    /// <summary>Tensor-name prefix of parameters in a snapshot file.</summary>
    public const string ParameterPrefix = "param/";

    /// <summary>Tensor-name prefix of buffers in a snapshot file.</summary>
    public const string BufferPrefix = "buffer/";

    /// <summary>Tensor-name prefix of full gradients in a snapshot file.</summary>
    public const string GradientPrefix = "grad/";

    /// <summary>Tensor-name prefix of gradient norms (scalars) in a snapshot file.</summary>
    public const string GradientNormPrefix = "grad_norm/";

    /// <summary>Tensor-name prefix of per-layer probe activations in a snapshot file.</summary>
    public const string ActivationPrefix = "act/";

    /// <summary>The relative path of the snapshot file of <paramref name="step"/> (<c>snapshots/step-000123.safetensors</c>).</summary>
    public static string SnapshotFileName(long step) =>
        $"{SnapshotFolder}/step-{step.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)}.safetensors";
}
