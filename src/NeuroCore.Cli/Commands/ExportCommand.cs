using System.CommandLine;

namespace NeuroCore.Cli.Commands;

/// <summary><c>neurocore export</c>: the parent of the export formats (<c>export gltf</c>, …).</summary>
internal static class ExportCommand
{
    /// <summary>The <c>export</c> command; a new format is one more line here.</summary>
    internal static Command Create() => new("export", "Export a recorded run to another format (glTF 2.0 scenes, ONNX models).")
    {
        ExportGltfCommand.Create(),
        ExportOnnxCommand.Create(),
    };
}
