namespace NeuroCore.Onnx;

/// <summary>Limits of <see cref="OnnxModel"/> when reading a file that may come from anyone.</summary>
public sealed class OnnxImportOptions
{
    /// <summary>The largest file read, in bytes (default 1 GiB; protobuf messages cannot exceed 2 GiB anyway).</summary>
    public long MaxBytes { get; init; } = 1L << 30;

    /// <summary>The most graph nodes accepted (default 100 000).</summary>
    public int MaxNodes { get; init; } = 100_000;
}
