using NeuroCore.NN;

namespace NeuroCore.Onnx;

/// <summary><c>model.SaveOnnx(path)</c>: the ONNX export as an extension method of <see cref="Sequential"/>.</summary>
public static class SequentialOnnxExtensions
{
    /// <summary>Writes <paramref name="model"/> as an ONNX file (opset 17, IR version 8); see <see cref="OnnxExporter"/>.</summary>
    public static void SaveOnnx(this Sequential model, string path, OnnxExportOptions? options = null) =>
        OnnxExporter.Save(model, path, options);

    /// <summary>The ONNX bytes of <paramref name="model"/>; see <see cref="OnnxExporter"/>.</summary>
    public static byte[] ToOnnx(this Sequential model, OnnxExportOptions? options = null) =>
        OnnxExporter.Export(model, options);
}
