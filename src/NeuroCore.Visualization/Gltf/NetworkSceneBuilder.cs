using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using NeuroCore.Visualization.Color;
using NeuroCore.Visualization.Layout;
using NeuroCore.Visualization.Model;
using NeuroCore.Visualization.Runs;
using SharpGLTF.Schema2;
using SharpGLTF.Transforms;

namespace NeuroCore.Visualization.Gltf;

/// <summary>
/// Builds glTF 2.0 scenes of a network from a recorded run: one training step, or a timeline of
/// all snapshots in a single animated file. See <c>docs/gltf-scenes.md</c> for the scene structure.
/// </summary>
/// <remarks>
/// <para>Neurons are low-poly spheres coloured (<see cref="SequentialColorMap"/>) and sized by their
/// activation on the probe input; the spheres of a layer are merged into one mesh with vertex
/// colours, and every neuron also has an empty, named node (<c>dense_1/neuron_17</c>) at its centre
/// whose extras hold its values. Connections are thin triangular prisms (not GL lines, which WebGL
/// draws 1 px wide) coloured by <see cref="DivergingColorMap"/> and thicker for larger |weight|,
/// merged per layer into one mesh. All materials are KHR_materials_unlit so colours look the same in
/// every viewer.</para>
/// <para>A timeline holds one group node per snapshot (<c>step_300</c>); a single animation switches
/// them with STEP-interpolated scale keys (1 = shown, 0 = hidden), one key per snapshot. Snapshot
/// meshes share the connection positions and indices (thickness comes from the reference snapshot,
/// colour from each snapshot), and a snapshot whose activations or weights did not change reuses the
/// previous mesh outright.</para>
/// </remarks>
public static partial class NetworkSceneBuilder
{
    /// <summary>Format tag written to the scene extras (<c>neurocore.format</c>).</summary>
    public const string FormatName = "neurocore-network-scene";

    /// <summary>Version of the scene structure described in docs/gltf-scenes.md.</summary>
    public const int FormatVersion = 1;

    /// <summary>Builds the scene of snapshot <paramref name="snapshotIndex"/> (no animation).</summary>
    /// <exception cref="ArgumentException">Bad options, snapshot index or probe, or data that does not fit the architecture.</exception>
    public static ModelRoot BuildStep(ISnapshotSource source, int snapshotIndex, SceneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new SceneOptions();
        CheckIndex(source, snapshotIndex, "snapshot");
        return Build(source, [snapshotIndex], options.ReferenceSnapshot ?? snapshotIndex, options, animate: false);
    }

    /// <summary>Builds one animated scene of every snapshot of the run (keyframes = snapshots).</summary>
    /// <exception cref="ArgumentException">Bad options or probe, an empty run, or data that does not fit the architecture.</exception>
    public static ModelRoot BuildTimeline(ISnapshotSource source, SceneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Steps.Count == 0) throw new ArgumentException("The run has no snapshots to put on a timeline.");
        return BuildTimeline(source, Enumerable.Range(0, source.Steps.Count).ToArray(), options);
    }

    /// <summary>Builds one animated scene of the given snapshots, in the given order (keyframes = snapshots).</summary>
    public static ModelRoot BuildTimeline(ISnapshotSource source, IReadOnlyList<int> snapshotIndices, SceneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new SceneOptions();
        if (snapshotIndices.Count == 0) throw new ArgumentException("A timeline needs at least one snapshot.");
        foreach (var i in snapshotIndices) CheckIndex(source, i, "snapshot");
        return Build(source, snapshotIndices.ToArray(), options.ReferenceSnapshot ?? snapshotIndices[^1], options, animate: true);
    }

    private static void CheckIndex(ISnapshotSource source, int index, string what)
    {
        if ((uint)index >= (uint)source.Steps.Count)
            throw new ArgumentException($"There is no {what} {index}; the run has {source.Steps.Count} snapshot(s) (0..{source.Steps.Count - 1}).");
    }

    private static ModelRoot Build(ISnapshotSource source, int[] indices, int referenceIndex, SceneOptions o, bool animate)
    {
        o.Validate();
        CheckIndex(source, referenceIndex, "reference snapshot");
        if (o.Probe > 0 && o.Probe >= source.ProbeCount)
            throw new ArgumentException($"There is no probe {o.Probe}; the run recorded {source.ProbeCount} probe input(s).");
        var arch = source.Architecture;
        var layout = NetworkLayout.Compute(arch, o.Layout);
        var reference = source.Load(referenceIndex, o.Probe);
        var selection = ConnectionSelection.Select(arch, reference, o.MaxConnections);
        var (frames, referenceFrame) = ReadFrames(source, indices, referenceIndex, reference, selection, o, animate);
        var scales = ColourScales(arch.Layers.Count, frames.Append(referenceFrame));

        var root = ModelRoot.CreateModel();
        root.Asset.Generator = "NeuroCore.Visualization (SharpGLTF)";
        var material = root.CreateMaterial("neurocore/unlit-vertex-color");
        material.InitializeUnlit();
        material.DoubleSided = true;
        var scene = root.UseScene("network");
        var top = scene.CreateNode("network");
        var ctx = new SceneContext(root, material, top, arch, layout, selection, frames, referenceFrame, scales, o, animate);

        var (geometry, layerExtras) = AddLayers(ctx);
        var snapshotNodes = AddSnapshotGroups(ctx, geometry, indices);
        var sceneExtras = DescribeScene(ctx, source.Metadata, layerExtras);
        scene.Extras = sceneExtras;
        top.Extras = sceneExtras.DeepClone();
        var fileExtras = new JsonObject { ["neurocore"] = new JsonObject { ["format"] = FormatName, ["version"] = FormatVersion } };
        if (animate)
        {
            var mapping = Animate(ctx, snapshotNodes);
            fileExtras["neurocore"]!["timeMapping"] = mapping;
            sceneExtras["neurocore"]!["timeMapping"] = mapping.DeepClone();
            top.Extras = sceneExtras.DeepClone();
        }
        // Without animation playback a viewer shows the static pose: the last snapshot only.
        for (var f = 0; f < snapshotNodes.Length - 1; f++) snapshotNodes[f].LocalTransform = AffineTransform.Identity.WithScale(Vector3.Zero);
        root.Extras = fileExtras;
        return root;
    }

    /// <summary>What every stage of one build shares.</summary>
    private sealed record SceneContext(
        ModelRoot Root, Material Material, Node Top, NetworkArchitecture Arch, NetworkLayout Layout, ConnectionSelection Selection,
        Frame[] Frames, Frame ReferenceFrame, Scales Scales, SceneOptions Options, bool Animate);

    /// <summary>Colour scales fixed over the whole export, so a timeline's frames are comparable.</summary>
    private sealed record Scales(float[] Weight, float[] ActivationMin, float[] ActivationMax);

    /// <summary>Per layer, the accessors every snapshot's meshes share.</summary>
    private sealed record SharedGeometry(Accessor?[] SphereIndices, Accessor?[] PrismPositions, Accessor?[] PrismIndices);

    // One pass over the snapshots keeps only what is drawn: the shown connections' values and
    // the activations, so memory grows with budget × snapshots, never with the full weights.
    private static (Frame[] Frames, Frame Reference) ReadFrames(ISnapshotSource source, int[] indices, int referenceIndex, NetworkSnapshot reference,
        ConnectionSelection selection, SceneOptions o, bool animate)
    {
        var arch = source.Architecture;
        var frames = new Frame[indices.Length];
        for (var f = 0; f < indices.Length; f++)
        {
            var snap = indices[f] == referenceIndex ? reference : source.Load(indices[f], o.Probe);
            frames[f] = Extract(arch, selection, snap, source.Steps[indices[f]]);
        }
        var referenceFrame = Extract(arch, selection, reference, source.Steps[referenceIndex]);
        if (animate && o.SecondsPerStep is not null)
            for (var f = 1; f < frames.Length; f++)
                if (frames[f].Step <= frames[f - 1].Step)
                    throw new ArgumentException($"Timing by step needs increasing steps, but snapshot {indices[f]} (step {frames[f].Step}) follows step {frames[f - 1].Step}.");
        return (frames, referenceFrame);
    }

    private static Scales ColourScales(int layers, IEnumerable<Frame> frames)
    {
        var weightScale = new float[layers];
        var actMin = new float[layers];
        var actMax = new float[layers];
        Array.Fill(actMin, float.PositiveInfinity);
        Array.Fill(actMax, float.NegativeInfinity);
        foreach (var fr in frames)
            for (var l = 0; l < layers; l++)
            {
                if (fr.Connections[l] is { } v) weightScale[l] = MathF.Max(weightScale[l], WeightStatistics.MaxAbsFinite(v));
                if (fr.Activations[l] is { } a)
                    foreach (var x in a) if (float.IsFinite(x)) { actMin[l] = MathF.Min(actMin[l], x); actMax[l] = MathF.Max(actMax[l], x); }
            }
        return new Scales(weightScale, actMin, actMax);
    }

    private static bool AnyActivations(Frame[] frames, int l) => frames.Any(f => f.Activations[l] is not null);

    private sealed record Frame(long Step, float[]?[] Connections, float[]?[] Activations, IReadOnlyDictionary<string, double>? Metrics);

    private static Frame Extract(NetworkArchitecture arch, ConnectionSelection selection, NetworkSnapshot snap, long step)
    {
        var n = arch.Layers.Count;
        var conns = new float[]?[n];
        var acts = new float[]?[n];
        for (var l = 0; l < n; l++)
        {
            var spec = arch.Layers[l];
            if (selection.Layers[l] is { } lc)
            {
                var w = ConnectionSelection.CheckWeights(arch, snap, l);
                var v = new float[lc.Shown.Length];
                for (var c = 0; c < v.Length; c++) v[c] = ConnectionSelection.ConnectionValue(spec, w, lc.Shown[c]);
                conns[l] = v;
            }
            var a = snap.Activations is { } all && l < all.Count ? all[l] : null;
            if (a is not null)
            {
                if (a.Length != spec.NeuronCount)
                    throw new ArgumentException($"Snapshot at step {step}: layer '{spec.Name}' has {a.Length} activations but {spec.NeuronCount} neurons.");
                acts[l] = (float[])a.Clone();
            }
        }
        return new Frame(step, conns, acts, snap.Metrics);
    }

}
