using NeuroCore.NN;

namespace NeuroCore.IO;

/// <summary>Saves and loads a <see cref="Module"/>'s state dict as a safetensors file (PyTorch-compatible names).</summary>
public static class ModuleSerialization
{
    /// <summary>
    /// Writes the module's parameters and buffers (<see cref="Module.StateDict"/>) to <paramref name="path"/>
    /// in safetensors format, atomically (see <see cref="SafeTensors.Save(string, IReadOnlyDictionary{string, Tensor}, IReadOnlyDictionary{string, string}?, SafeTensorsDType?)"/>).
    /// </summary>
    /// <param name="module">The module to save.</param>
    /// <param name="path">The target file (conventionally <c>*.safetensors</c>).</param>
    /// <param name="metadata">Optional string metadata stored in the header.</param>
    /// <param name="storeAs">Element type for float32 values: null (F32), F16 or BF16.</param>
    public static void SaveStateDict(this Module module, string path,
        IReadOnlyDictionary<string, string>? metadata = null, SafeTensorsDType? storeAs = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        SafeTensors.Save(path, module.StateDict(), metadata, storeAs);
    }

    /// <summary>
    /// Loads parameters and buffers from the safetensors file at <paramref name="path"/> into the module
    /// (values are copied into the existing tensors; F16/BF16 files load as float32). Returns the file's metadata.
    /// </summary>
    /// <param name="module">The module to load into.</param>
    /// <param name="path">A safetensors file written by <see cref="SaveStateDict"/> or by PyTorch's <c>safetensors.torch.save_file</c>.</param>
    /// <param name="strict">When true, names missing from the file or unknown to the module are an error.</param>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file.</exception>
    /// <exception cref="ArgumentException">Names or shapes do not match the module.</exception>
    public static IReadOnlyDictionary<string, string> LoadStateDict(this Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        var content = SafeTensors.Load(path);
        module.LoadStateDict(content.Tensors, strict);
        return content.Metadata;
    }
}
