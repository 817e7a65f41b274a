using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using NeuroCore.Visualization.Color;
using NeuroCore.Visualization.Layout;
using NeuroCore.Visualization.Model;
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
public static class NetworkSceneBuilder
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
        var layers = arch.Layers;
        var layout = NetworkLayout.Compute(arch, o.Layout);
        var reference = source.Load(referenceIndex, o.Probe);
        var selection = ConnectionSelection.Select(arch, reference, o.MaxConnections);

        // One pass over the snapshots keeps only what is drawn: the shown connections' values and
        // the activations, so memory grows with budget × snapshots, never with the full weights.
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

        // Colour scales fixed over the whole export so a timeline's frames are comparable.
        var weightScale = new float[layers.Count];
        var actMin = new float[layers.Count];
        var actMax = new float[layers.Count];
        for (var l = 0; l < layers.Count; l++)
        {
            actMin[l] = float.PositiveInfinity; actMax[l] = float.NegativeInfinity;
            foreach (var fr in frames.Append(referenceFrame))
            {
                if (fr.Connections[l] is { } v) weightScale[l] = MathF.Max(weightScale[l], MaxAbs(v));
                if (fr.Activations[l] is { } a)
                    foreach (var x in a) if (float.IsFinite(x)) { actMin[l] = MathF.Min(actMin[l], x); actMax[l] = MathF.Max(actMax[l], x); }
            }
        }

        var root = ModelRoot.CreateModel();
        root.Asset.Generator = "NeuroCore.Visualization (SharpGLTF)";
        var material = root.CreateMaterial("neurocore/unlit-vertex-color");
        material.InitializeUnlit();
        material.DoubleSided = true;

        var scene = root.UseScene("network");
        var top = scene.CreateNode("network");
        var layersNode = top.CreateNode("layers");
        var spacing = layout.Options.NeuronSpacing;
        // Thin enough that 50,000 of them do not hide the neurons, thick enough to cover a pixel at full view.
        float minRadius = 0.03f * spacing, maxRadius = 0.12f * spacing;

        // Named neuron nodes and per-layer shared geometry.
        var sphereIndices = new Accessor?[layers.Count];
        var prismPositions = new Accessor?[layers.Count];
        var prismIndices = new Accessor?[layers.Count];
        var layerExtras = new JsonArray();
        for (var l = 0; l < layers.Count; l++)
        {
            var spec = layers[l];
            var ll = layout.Layers[l];
            var layerNode = layersNode.CreateNode(spec.Name);
            var named = spec.NeuronCount <= o.MaxNamedNeuronsPerLayer;
            var info = new JsonObject
            {
                ["name"] = spec.Name,
                ["kind"] = spec.Kind.ToString(),
                ["shape"] = new JsonArray(spec.Shape.Select(d => (JsonNode)d).ToArray()),
                ["neurons"] = spec.NeuronCount,
                ["neuronNodes"] = named ? spec.NeuronCount : 0,
            };
            if (!named) info["neuronNodesOmitted"] = $"{spec.NeuronCount:N0} neurons exceed MaxNamedNeuronsPerLayer = {o.MaxNamedNeuronsPerLayer:N0}; they are drawn but have no named nodes";
            if (selection.Layers[l] is { } lc)
            {
                info["connections"] = new JsonObject
                {
                    ["shown"] = lc.Shown.Length,
                    ["total"] = lc.Total,
                    ["caption"] = lc.Caption,
                    ["weightScale"] = weightScale[l],
                    ["connectionValue"] = spec.Kind == LayerKind.Dense ? "weight" : "kernel mean weight",
                };
            }
            if (AnyActivations(frames, l)) { info["activationMin"] = actMin[l]; info["activationMax"] = actMax[l]; }
            layerNode.Extras = info;
            layerExtras.Add(info.DeepClone());

            if (named) AddNeuronNodes(layerNode, spec, ll, frames, animate, l);

            sphereIndices[l] = RepeatedIndexAccessor(root, Primitives.SphereIndices, Primitives.SphereVertices.Length, spec.NeuronCount);
            if (selection.Layers[l] is { Shown.Length: > 0 } shown)
            {
                var posBytes = new byte[shown.Shown.Length * Primitives.PrismVertexCount * 12];
                var pos = MemoryMarshal.Cast<byte, Vector3>(posBytes.AsSpan());
                var refValues = referenceFrame.Connections[l]!;
                for (var c = 0; c < shown.Shown.Length; c++)
                {
                    var (a, b) = ConnectionSelection.Endpoints(layout, l, shown.Shown[c]);
                    var r = minRadius + (maxRadius - minRadius) * DivergingColorMap.Strength(refValues[c], weightScale[l]);
                    Primitives.WritePrism(pos.Slice(c * Primitives.PrismVertexCount, Primitives.PrismVertexCount), a, b, r);
                }
                prismPositions[l] = PositionAccessor(root, posBytes);
                prismIndices[l] = RepeatedIndexAccessor(root, Primitives.PrismIndices, Primitives.PrismVertexCount, shown.Shown.Length);
            }
        }

        // One group node per snapshot holding that snapshot's meshes.
        var prevNeuronMesh = new Mesh?[layers.Count];
        var prevConnMesh = new Mesh?[layers.Count];
        var snapshotNodes = new Node[frames.Length];
        for (var f = 0; f < frames.Length; f++)
        {
            var fr = frames[f];
            var prefix = $"step_{fr.Step.ToString(CultureInfo.InvariantCulture)}";
            var group = top.CreateNode(prefix);
            group.Extras = new JsonObject { ["step"] = fr.Step, ["snapshot"] = indices[f], ["keyframe"] = f, ["metrics"] = MetricsJson(fr.Metrics) };
            snapshotNodes[f] = group;
            for (var l = 0; l < layers.Count; l++)
            {
                var spec = layers[l];
                if (selection.Layers[l] is { Shown.Length: > 0 } lc)
                {
                    var values = fr.Connections[l]!;
                    var mesh = f > 0 && values.AsSpan().SequenceEqual(frames[f - 1].Connections[l]) ? prevConnMesh[l]! : null;
                    if (mesh is null)
                    {
                        mesh = root.CreateMesh($"{spec.Name}/connections@{prefix}");
                        var colors = new byte[values.Length * Primitives.PrismVertexCount * 4];
                        var packed = MemoryMarshal.Cast<byte, uint>(colors.AsSpan());
                        for (var c = 0; c < values.Length; c++)
                            packed.Slice(c * Primitives.PrismVertexCount, Primitives.PrismVertexCount).Fill(WeightColors.Lookup(values[c], weightScale[l]));
                        AddPrimitive(mesh, material, prismPositions[l]!, ColorAccessor(root, colors), prismIndices[l]!);
                    }
                    prevConnMesh[l] = mesh;
                    var cn = group.CreateNode($"{prefix}/{spec.Name}/connections ({lc.Shown.Length.ToString("N0", CultureInfo.InvariantCulture)} of {lc.Total.ToString("N0", CultureInfo.InvariantCulture)} shown)");
                    cn.Mesh = mesh;
                    cn.Extras = new JsonObject { ["layer"] = spec.Name, ["shown"] = lc.Shown.Length, ["total"] = lc.Total, ["caption"] = lc.Caption };
                }
                {
                    var act = fr.Activations[l];
                    var same = f > 0 && SameActivations(act, frames[f - 1].Activations[l]);
                    var mesh = same ? prevNeuronMesh[l]! : BuildNeuronMesh(root, material, $"{spec.Name}/neurons@{prefix}", layout.Layers[l], act, actMin[l], actMax[l], sphereIndices[l]!);
                    prevNeuronMesh[l] = mesh;
                    var nn = group.CreateNode($"{prefix}/{spec.Name}/neurons");
                    nn.Mesh = mesh;
                    nn.Extras = new JsonObject { ["layer"] = spec.Name, ["neurons"] = spec.NeuronCount, ["activationsRecorded"] = act is not null };
                }
            }
        }

        // Scene-level description: what the run is and what is shown.
        var run = new JsonObject();
        foreach (var (k, v) in source.Metadata) run[k] = v;
        var sceneExtras = new JsonObject
        {
            ["neurocore"] = new JsonObject
            {
                ["format"] = FormatName,
                ["version"] = FormatVersion,
                ["run"] = run,
                ["probe"] = o.Probe,
                ["steps"] = new JsonArray(frames.Select(fr => (JsonNode)fr.Step).ToArray()),
                ["referenceStep"] = referenceFrame.Step,
                ["connectionBudget"] = o.MaxConnections,
                ["connectionsShown"] = selection.ShownCount,
                ["connectionsTotal"] = selection.TotalCount,
                ["connectionsCaption"] = $"{selection.ShownCount.ToString("N0", CultureInfo.InvariantCulture)} of {selection.TotalCount.ToString("N0", CultureInfo.InvariantCulture)} connections",
                ["layers"] = layerExtras,
                ["colors"] = new JsonObject
                {
                    ["weights"] = $"diverging: negative {DivergingColorMap.NegativeEnd}, zero {DivergingColorMap.Neutral}, positive {DivergingColorMap.PositiveEnd}; brightness = sqrt(|w| / layer weightScale)",
                    ["activations"] = $"sequential (inferno-like) {SequentialColorMap.Low} to {SequentialColorMap.High} over the layer's activationMin..activationMax; sphere radius grows with it",
                },
                ["axes"] = "layers along +X (input first), Y up; neuron k of a layer is element k of its shape in row-major order",
            },
        };
        scene.Extras = sceneExtras;
        top.Extras = sceneExtras.DeepClone();

        var fileExtras = new JsonObject { ["neurocore"] = new JsonObject { ["format"] = FormatName, ["version"] = FormatVersion } };
        if (animate)
        {
            var times = new float[frames.Length];
            for (var f = 0; f < frames.Length; f++)
                times[f] = o.SecondsPerStep is { } sps ? (frames[f].Step - frames[0].Step) * sps : f * o.SecondsPerSnapshot;
            // Players loop by default (three.js LoopRepeat) and would jump from the last key straight back to
            // step 0, so the trained network would never be seen: one more key holds the final state.
            var hold = MathF.Max(1f, 2f * times[^1] / Math.Max(1, frames.Length - 1));
            var end = times[^1] + hold;
            var anim = root.CreateAnimation("training");
            for (var f = 0; f < frames.Length; f++)
            {
                var keys = new Dictionary<float, Vector3>(frames.Length + 1);
                for (var k = 0; k < frames.Length; k++) keys[times[k]] = k == f ? Vector3.One : Vector3.Zero;
                keys[end] = f == frames.Length - 1 ? Vector3.One : Vector3.Zero;
                anim.CreateScaleChannel(snapshotNodes[f], keys, linear: false);
            }
            var mapping = new JsonObject
            {
                ["mode"] = o.SecondsPerStep is null ? "perSnapshot" : "perStep",
                ["secondsPerSnapshot"] = o.SecondsPerStep is null ? o.SecondsPerSnapshot : null,
                ["secondsPerStep"] = o.SecondsPerStep,
                ["animation"] = "training",
                ["interpolation"] = "STEP",
                ["keyframes"] = new JsonArray(frames.Select((fr, f) => (JsonNode)new JsonObject { ["time"] = times[f], ["step"] = fr.Step, ["node"] = snapshotNodes[f].Name }).ToArray()),
                ["duration"] = end,
                ["holdSeconds"] = hold,
                // glTF cannot set a scene frame range; Blender keeps 1–250. At its default 24 fps the keys span these frames.
                ["blenderFrameRange"] = new JsonArray(1, (int)MathF.Ceiling(end * 24f) + 1),
            };
            fileExtras["neurocore"]!["timeMapping"] = mapping;
            sceneExtras["neurocore"]!["timeMapping"] = mapping.DeepClone();
            top.Extras = sceneExtras.DeepClone();
        }
        // Without animation playback a viewer shows the static pose: the last snapshot only.
        for (var f = 0; f < snapshotNodes.Length - 1; f++) snapshotNodes[f].LocalTransform = AffineTransform.Identity.WithScale(Vector3.Zero);
        root.Extras = fileExtras;
        return root;
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

    private static void AddNeuronNodes(Node layerNode, LayerSpec spec, LayerLayout ll, Frame[] frames, bool animate, int l)
    {
        var shape = spec.Shape;
        var perPlane = shape.Length >= 2 ? shape[^1] * shape[^2] : 0;
        var pos = ll.Positions;
        for (var k = 0; k < spec.NeuronCount; k++)
        {
            var node = layerNode.CreateNode($"{spec.Name}/neuron_{k.ToString(CultureInfo.InvariantCulture)}");
            node.LocalTransform = AffineTransform.Identity.WithTranslation(pos[k]);
            var extras = new JsonObject { ["layer"] = spec.Name, ["index"] = k };
            if (shape.Length >= 2)
            {
                if (shape.Length == 3) extras["channel"] = k / perPlane;
                extras["row"] = k % perPlane / shape[^1];
                extras["col"] = k % shape[^1];
            }
            if (!animate)
            {
                if (frames[0].Activations[l] is { } a) extras["activation"] = a[k];
            }
            else if (frames.Any(f => f.Activations[l] is not null))
            {
                extras["activations"] = new JsonArray(frames.Select(f => f.Activations[l] is { } a ? (JsonNode?)a[k] : null).ToArray());
            }
            node.Extras = extras;
        }
    }

    private static Mesh BuildNeuronMesh(ModelRoot root, Material material, string name, LayerLayout ll, float[]? act, float min, float max, Accessor indices)
    {
        var n = ll.Spec.NeuronCount;
        var sv = Primitives.SphereVertices;
        var posBytes = new byte[n * sv.Length * 12];
        var pos = MemoryMarshal.Cast<byte, Vector3>(posBytes.AsSpan());
        var colors = new byte[n * sv.Length * 4];
        var centers = ll.Positions;
        for (var k = 0; k < n; k++)
        {
            // Without recorded activations every neuron is drawn the same: mid-size, lowest colour.
            var t = act is null ? 0f : max > min ? Math.Clamp((act[k] - min) / (max - min), 0f, 1f) : 0.5f;
            if (float.IsNaN(t)) t = 0f;
            var radius = ll.NeuronRadius * (act is null ? 0.6f : 0.35f + 0.65f * t);
            var c = centers[k];
            for (var v = 0; v < sv.Length; v++) pos[k * sv.Length + v] = c + sv[v] * radius;
            FillColor(colors.AsSpan(k * sv.Length * 4, sv.Length * 4), SequentialColorMap.Map(t));
        }
        var mesh = root.CreateMesh(name);
        AddPrimitive(mesh, material, PositionAccessor(root, posBytes), ColorAccessor(root, colors), indices);
        return mesh;
    }

    private static bool SameActivations(float[]? a, float[]? b) =>
        a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private static float MaxAbs(float[] v)
    {
        var m = 0f;
        foreach (var x in v) if (float.IsFinite(x)) m = MathF.Max(m, MathF.Abs(x));
        return m;
    }

    private static JsonObject? MetricsJson(IReadOnlyDictionary<string, double>? metrics)
    {
        if (metrics is null) return null;
        var o = new JsonObject();
        foreach (var (k, v) in metrics) o[k] = double.IsFinite(v) ? v : null;
        return o;
    }

    /// <summary>
    /// The diverging map as packed linear RGBA bytes at 1,024 strength levels per sign: a timeline colours
    /// millions of connection vertices, and the map's sqrt/pow per value would dominate the export.
    /// 1,024 levels are finer than the 8-bit output, so the lookup changes no visible colour.
    /// </summary>
    private static class WeightColors
    {
        private const int Levels = 1024;
        private static readonly uint[] Negative = Build(-1f);
        private static readonly uint[] Positive = Build(1f);

        public static uint Lookup(float value, float scale)
        {
            var i = (int)(DivergingColorMap.Strength(value, scale) * Levels + 0.5f);
            return (value < 0f ? Negative : Positive)[i];
        }

        private static uint[] Build(float sign)
        {
            var table = new uint[Levels + 1];
            Span<byte> rgba = stackalloc byte[4];
            for (var i = 0; i <= Levels; i++)
            {
                // Strength = sqrt(|v|/scale), so |v|/scale = strength² reproduces level i exactly.
                var s = (float)i / Levels;
                FillColor(rgba, DivergingColorMap.Map(sign * s * s, 1f));
                table[i] = MemoryMarshal.Read<uint>(rgba);
            }
            return table;
        }
    }

    private static void FillColor(Span<byte> dst, ColorRgb srgb)
    {
        // glTF COLOR_0 is linear; normalized unsigned bytes keep the colour stream at 4 bytes a vertex.
        var lin = srgb.ToLinear();
        byte r = (byte)MathF.Round(lin.R * 255f), g = (byte)MathF.Round(lin.G * 255f), b = (byte)MathF.Round(lin.B * 255f);
        for (var i = 0; i < dst.Length; i += 4) { dst[i] = r; dst[i + 1] = g; dst[i + 2] = b; dst[i + 3] = 255; }
    }

    private static void AddPrimitive(Mesh mesh, Material material, Accessor positions, Accessor colors, Accessor indices)
    {
        var prim = mesh.CreatePrimitive();
        prim.SetVertexAccessor("POSITION", positions);
        prim.SetVertexAccessor("COLOR_0", colors);
        prim.SetIndexAccessor(indices);
        prim.DrawPrimitiveType = PrimitiveType.TRIANGLES;
        prim.Material = material;
    }

    /// <summary>Float VEC3 positions, written straight into the byte array the buffer view wraps (no copy).</summary>
    private static Accessor PositionAccessor(ModelRoot root, byte[] xyz)
    {
        var view = root.UseBufferView(xyz, 0, null, 0, BufferMode.ARRAY_BUFFER);
        var acc = root.CreateAccessor();
        // SetVertexData also computes min/max (required for POSITION), so no UpdateBounds here.
        acc.SetVertexData(view, 0, xyz.Length / 12, new SharpGLTF.Memory.AttributeFormat(DimensionType.VEC3, EncodingType.FLOAT, false));
        return acc;
    }

    private static Accessor ColorAccessor(ModelRoot root, byte[] rgba)
    {
        var view = root.UseBufferView(rgba, 0, null, 0, BufferMode.ARRAY_BUFFER);
        var acc = root.CreateAccessor();
        acc.SetVertexData(view, 0, rgba.Length / 4, new SharpGLTF.Memory.AttributeFormat(DimensionType.VEC4, EncodingType.UNSIGNED_BYTE, true));
        return acc;
    }

    /// <summary>Indices of <paramref name="items"/> copies of a shape, each <paramref name="verticesPerItem"/> vertices after the last.</summary>
    private static Accessor RepeatedIndexAccessor(ModelRoot root, int[] pattern, int verticesPerItem, int items)
    {
        var count = pattern.Length * items;
        var vertices = (long)verticesPerItem * items;
        byte[] bytes;
        IndexEncodingType enc;
        // 16-bit indices when they fit: half the index bytes for all but the largest layers.
        if (vertices <= ushort.MaxValue)
        {
            bytes = new byte[(count + (count & 1)) * 2]; // keep the view a multiple of 4 bytes
            var dst = MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan());
            for (var i = 0; i < items; i++)
                for (var j = 0; j < pattern.Length; j++) dst[i * pattern.Length + j] = (ushort)(i * verticesPerItem + pattern[j]);
            enc = IndexEncodingType.UNSIGNED_SHORT;
        }
        else
        {
            bytes = new byte[count * 4];
            var dst = MemoryMarshal.Cast<byte, uint>(bytes.AsSpan());
            for (var i = 0; i < items; i++)
                for (var j = 0; j < pattern.Length; j++) dst[i * pattern.Length + j] = (uint)(i * verticesPerItem + pattern[j]);
            enc = IndexEncodingType.UNSIGNED_INT;
        }
        var view = root.UseBufferView(bytes, 0, null, 0, BufferMode.ELEMENT_ARRAY_BUFFER);
        var acc = root.CreateAccessor();
        acc.SetIndexData(view, 0, count, enc);
        return acc;
    }
}
