using NeuroCore.Visualization.Model;
using SharpGLTF.Schema2;

namespace NeuroCore.Visualization.Gltf;

/// <summary>Writes network scenes to disk: <c>.glb</c> (one self-contained file) or <c>.gltf</c> (JSON plus a <c>.bin</c> side file).</summary>
public static class GltfExporter
{
    /// <summary>
    /// Exports the snapshot recorded at training step <paramref name="step"/> (a step, as in <see cref="ISnapshotSource.Steps"/>,
    /// not a snapshot index) to <paramref name="path"/>; returns the files written.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// No snapshot was recorded at <paramref name="step"/> (the message names the nearest recorded steps), the path is
    /// not a .glb/.gltf file, or the options do not fit the run.
    /// </exception>
    public static IReadOnlyList<string> ExportStep(ISnapshotSource source, long step, string path, SceneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckPath(path);
        int index = SnapshotSteps.IndexOf(source, step);
        return Save(NetworkSceneBuilder.BuildStep(source, index, options), path);
    }

    /// <summary>Exports the animated timeline of all snapshots to <paramref name="path"/>; returns the files written.</summary>
    public static IReadOnlyList<string> ExportTimeline(ISnapshotSource source, string path, SceneOptions? options = null)
    {
        CheckPath(path);
        return Save(NetworkSceneBuilder.BuildTimeline(source, options), path);
    }

    /// <summary>
    /// Saves <paramref name="model"/> by the file extension: <c>.glb</c> binary, or <c>.gltf</c> JSON with
    /// its buffer in a <c>.bin</c> file beside it. Returns the paths of all files written.
    /// </summary>
    /// <exception cref="ArgumentException">The extension is neither .glb nor .gltf.</exception>
    public static IReadOnlyList<string> Save(ModelRoot model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckPath(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        // SharpGLTF re-validates the whole model on write; the builder only makes valid models and the
        // Khronos validator checks them in the tests, so skip that second pass (it dominates write time).
        var settings = new WriteSettings { Validation = SharpGLTF.Validation.ValidationMode.Skip, JsonIndented = false, MergeBuffers = true };
        if (IsGlb(full))
        {
            model.SaveGLB(full, settings);
            return [full];
        }
        model.SaveGLTF(full, settings);
        var written = new List<string> { full };
        // The buffers' uris in the written JSON name the side files (relative to the .gltf).
        written.AddRange(ModelRoot.GetSatellitePaths(full).Select(p => Path.GetFullPath(Path.Combine(dir ?? ".", p))));
        return written;
    }

    private static bool IsGlb(string path) => Path.GetExtension(path).Equals(".glb", StringComparison.OrdinalIgnoreCase);

    private static void CheckPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var ext = Path.GetExtension(path);
        if (!ext.Equals(".glb", StringComparison.OrdinalIgnoreCase) && !ext.Equals(".gltf", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Output file '{path}' must end in .glb (binary, default) or .gltf (JSON + .bin side file).");
    }
}
