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

// The scene's nodes: one per layer (named neurons, extras) and one group per snapshot.
public static partial class NetworkSceneBuilder
{
    /// <summary>The layer nodes (named neurons, extras) and the geometry each layer's meshes share.</summary>
    private static (SharedGeometry Geometry, JsonArray LayerExtras) AddLayers(SceneContext ctx)
    {
        var (root, material, top, arch, layout, selection, frames, referenceFrame, scales, o, animate) = ctx;
        var layers = arch.Layers;
        var (weightScale, actMin, actMax) = scales;
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
            // A diverged run may have no finite activation at all: then there is no range to state (JSON has no NaN).
            if (AnyActivations(frames, l) && actMin[l] <= actMax[l]) { info["activationMin"] = actMin[l]; info["activationMax"] = actMax[l]; }
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
        return (new SharedGeometry(sphereIndices, prismPositions, prismIndices), layerExtras);
    }

    /// <summary>One group node per snapshot holding that snapshot's meshes (an unchanged layer reuses the previous mesh).</summary>
    private static Node[] AddSnapshotGroups(SceneContext ctx, SharedGeometry geometry, int[] indices)
    {
        var (root, material, top, arch, layout, selection, frames, referenceFrame, scales, o, animate) = ctx;
        var layers = arch.Layers;
        var (weightScale, actMin, actMax) = scales;
        var (sphereIndices, prismPositions, prismIndices) = geometry;
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
        return snapshotNodes;
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
                if (frames[0].Activations[l] is { } a) extras["activation"] = FiniteOrNull(a[k]);
            }
            else if (frames.Any(f => f.Activations[l] is not null))
            {
                extras["activations"] = new JsonArray(frames.Select(f => f.Activations[l] is { } a ? FiniteOrNull(a[k]) : null).ToArray());
            }
            node.Extras = extras;
        }
    }
}
