using Google.Protobuf;
using NeuroCore.NN;
using NeuroCore.Onnx.Import;
using Onnx;

namespace NeuroCore.Onnx;

/// <summary>
/// Reads an ONNX model (for example one exported from PyTorch with <c>torch.onnx.export</c>) into a NeuroCore
/// <see cref="Sequential"/> with its weights, in evaluation mode. The graph must be a chain of the operators
/// in <see cref="OnnxFormat.SupportedOperators"/> (plus the exact-GELU subgraph); anything else is an
/// <see cref="OnnxFormatException"/> naming the operator or node. See <c>docs/onnx.md</c>.
/// </summary>
public static class OnnxModel
{
    /// <summary>Reads the ONNX file at <paramref name="path"/>.</summary>
    /// <exception cref="OnnxFormatException">The file is not a valid ONNX model or uses something unsupported.</exception>
    public static Sequential Load(string path, OnnxImportOptions? options = null)
    {
        var o = options ?? new OnnxImportOptions();
        using var stream = File.OpenRead(path);
        if (stream.Length > o.MaxBytes)
            throw new OnnxFormatException($"ONNX: '{path}' is {stream.Length} bytes, more than the limit of {o.MaxBytes} (OnnxImportOptions.MaxBytes).");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return Load(bytes, o);
    }

    /// <summary>Reads an ONNX model from its serialized bytes.</summary>
    /// <exception cref="OnnxFormatException">The bytes are not a valid ONNX model or use something unsupported.</exception>
    public static Sequential Load(byte[] bytes, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var o = options ?? new OnnxImportOptions();
        if (bytes.Length > o.MaxBytes)
            throw new OnnxFormatException($"ONNX: the model is {bytes.Length} bytes, more than the limit of {o.MaxBytes} (OnnxImportOptions.MaxBytes).");
        var model = Parse(bytes);
        CheckHeader(model, o);
        try
        {
            return ChainImporter.Import(model.Graph);
        }
        catch (ArgumentException e)
        {
            // A layer refused the values the file gave it (e.g. zero channels): still a bad file, said as such.
            throw new OnnxFormatException($"ONNX import: the model describes an invalid layer: {e.Message}", e);
        }
    }

    internal static ModelProto Parse(byte[] bytes)
    {
        if (bytes.Length == 0) throw new OnnxFormatException("ONNX: the file is empty.");
        try
        {
            // CodedInputStream bounds nesting (recursion limit 100) and never allocates past the input's length.
            var input = new CodedInputStream(bytes);
            var model = ModelProto.Parser.ParseFrom(input);
            return model;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxFormatException($"ONNX: the file is not a valid ONNX protobuf ({e.Message}).", e);
        }
    }

    private static void CheckHeader(ModelProto model, OnnxImportOptions o)
    {
        if (model.Graph is null) throw new OnnxFormatException("ONNX: the model has no graph (is this an ONNX file?).");
        if (model.IrVersion < 3) throw new OnnxFormatException($"ONNX: IR version {model.IrVersion} is not supported (NeuroCore reads IR version 3 and later).");
        var opset = model.OpsetImport.FirstOrDefault(s => s.Domain is "" or "ai.onnx")
            ?? throw new OnnxFormatException("ONNX: the model imports no default-domain operator set.");
        if (opset.Version < OnnxFormat.MinImportOpset || opset.Version > OnnxFormat.MaxImportOpset)
            throw new OnnxFormatException($"ONNX: operator set version {opset.Version} is not supported; NeuroCore imports opsets {OnnxFormat.MinImportOpset} to {OnnxFormat.MaxImportOpset} (export with opset_version=17).");
        if (model.Graph.Node.Count > o.MaxNodes)
            throw new OnnxFormatException($"ONNX: the graph has {model.Graph.Node.Count} nodes, more than the limit of {o.MaxNodes} (OnnxImportOptions.MaxNodes).");
        if (model.Functions.Count > 0 && model.Graph.Node.Any(n => model.Functions.Any(f => f.Name == n.OpType && f.Domain == n.Domain)))
            throw new OnnxFormatException("ONNX import: the graph calls model-local functions, which NeuroCore does not support.");
    }
}
