namespace NeuroCore.Onnx;

/// <summary>Settings of <see cref="OnnxExporter"/>.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>
    /// Shape of one input example without the batch dimension (e.g. <c>[1, 28, 28]</c>), or null to infer it
    /// from the first layer (Linear: <c>[in]</c>; Conv2d: <c>[C, height, width]</c> with symbolic height and
    /// width; Embedding: <c>[sequence]</c> of int64). The batch dimension is always symbolic (<c>batch</c>).
    /// </summary>
    public IReadOnlyList<int>? InputShape { get; init; }

    /// <summary>Name of the graph's input (default <c>input</c>).</summary>
    public string InputName { get; init; } = "input";

    /// <summary>Name of the graph's output (default <c>output</c>).</summary>
    public string OutputName { get; init; } = "output";

    /// <summary>Name of the graph (shown by Netron).</summary>
    public string GraphName { get; init; } = "neurocore";

    /// <summary>Free text stored as the model's doc string.</summary>
    public string? DocString { get; init; }
}
