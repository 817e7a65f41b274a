namespace NeuroCore.Onnx;

/// <summary>The ONNX versions NeuroCore writes and reads.</summary>
public static class OnnxFormat
{
    /// <summary>The IR version of exported files (8: read by current runtimes and by onnx 1.12's checker).</summary>
    public const long IrVersion = 8;

    /// <summary>The default-domain operator set of exported files.</summary>
    public const long OpsetVersion = 17;

    /// <summary>The oldest default-domain opset the importer accepts (Softmax took its current meaning in 13).</summary>
    public const long MinImportOpset = 13;

    /// <summary>The newest default-domain opset the importer accepts (the supported operators' meaning is unchanged up to it).</summary>
    public const long MaxImportOpset = 21;

    /// <summary>The operators the importer understands (besides the exact-GELU Div/Erf/Add/Mul/Mul pattern). Add only as a MatMul's bias, Pad only with all-zero pads, Div/Erf/Mul only inside GELU.</summary>
    public static IReadOnlyList<string> SupportedOperators { get; } =
    [
        "Gemm", "MatMul", "Add", "Conv", "MaxPool", "AveragePool", "Flatten", "Reshape", "Relu", "LeakyRelu",
        "Tanh", "Sigmoid", "Softmax", "LogSoftmax", "LayerNormalization", "BatchNormalization", "Dropout",
        "Identity", "Pad", "Gather", "Constant", "Div", "Erf", "Mul",
    ];
}
