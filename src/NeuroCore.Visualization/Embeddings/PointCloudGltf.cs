using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using NeuroCore.Visualization.Gltf;
using NeuroCore.Visualization.Rendering;
using SharpGLTF.Schema2;

namespace NeuroCore.Visualization.Embeddings;

/// <summary>
/// An embedding as a glTF 2.0 point cloud: one POINTS mesh with every point coloured by its label (drawn
/// in one call), and under it one empty node per point, at the point's position, named by its word or
/// label, with <c>{"index", "label", "name"}</c> in its extras, so a viewer can pick and name any point.
/// 2-D embeddings lie in the z = 0 plane.
/// </summary>
public static class PointCloudGltf
{
    /// <summary>The default file name.</summary>
    public const string FileName = "embedding.glb";

    /// <summary>Builds the model; coordinates are scaled so the cloud spans about <paramref name="extent"/> units.</summary>
    public static ModelRoot Build(EmbeddingView view, float extent = 10f)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.Validate();
        int n = view.Count, dims = view.Dimensions;
        float max = 0;
        var mean = new double[3];
        for (int i = 0; i < n; i++) for (int a = 0; a < dims; a++) mean[a] += view.Coordinates[i * dims + a] / (double)n;
        for (int i = 0; i < n; i++) for (int a = 0; a < dims; a++) max = Math.Max(max, Math.Abs(view.Coordinates[i * dims + a] - (float)mean[a]));
        float scale = max > 0 ? extent / 2 / max : 1;
        var xyz = new byte[n * 12];
        var pos = MemoryMarshal.Cast<byte, float>(xyz.AsSpan());
        for (int i = 0; i < n; i++)
            for (int a = 0; a < 3; a++) pos[i * 3 + a] = a < dims ? (view.Coordinates[i * dims + a] - (float)mean[a]) * scale : 0f;
        var rgba = new byte[n * 4];
        for (int i = 0; i < n; i++)
        {
            var c = view.Source.Labels is { } l ? Palette.Class(l[i]) : Palette.Class(0);
            var lin = new NeuroCore.Visualization.Color.ColorRgb(c.R, c.G, c.B).ToLinear();
            rgba[i * 4] = (byte)MathF.Round(lin.R * 255); rgba[i * 4 + 1] = (byte)MathF.Round(lin.G * 255);
            rgba[i * 4 + 2] = (byte)MathF.Round(lin.B * 255); rgba[i * 4 + 3] = 255;
        }

        var root = ModelRoot.CreateModel();
        root.Asset.Generator = "NeuroCore.Visualization (SharpGLTF)";
        var material = root.CreateMaterial("neurocore/embedding-points");
        material.InitializeUnlit();
        var positions = root.CreateAccessor();
        positions.SetVertexData(root.UseBufferView(xyz, 0, null, 0, BufferMode.ARRAY_BUFFER), 0, n, new SharpGLTF.Memory.AttributeFormat(DimensionType.VEC3, EncodingType.FLOAT, false));
        var colors = root.CreateAccessor();
        colors.SetVertexData(root.UseBufferView(rgba, 0, null, 0, BufferMode.ARRAY_BUFFER), 0, n, new SharpGLTF.Memory.AttributeFormat(DimensionType.VEC4, EncodingType.UNSIGNED_BYTE, true));
        var mesh = root.CreateMesh("embedding points");
        var prim = mesh.CreatePrimitive();
        prim.SetVertexAccessor("POSITION", positions);
        prim.SetVertexAccessor("COLOR_0", colors);
        prim.DrawPrimitiveType = PrimitiveType.POINTS;
        prim.Material = material;

        var scene = root.UseScene("embedding");
        var top = scene.CreateNode("embedding");
        top.Mesh = mesh;
        var info = new JsonObject
        {
            ["neurocore"] = new JsonObject
            {
                ["format"] = "neurocore-embedding-gltf",
                ["version"] = 1,
                ["method"] = view.Method,
                ["dimensions"] = dims,
                ["count"] = n,
                ["scale"] = scale,
                ["description"] = view.Source.Description,
                ["classes"] = view.Source.ClassNames is { } names ? new JsonArray(names.Select(s => (JsonNode)s).ToArray()) : null,
            },
        };
        top.Extras = info;
        scene.Extras = info.DeepClone();
        var points = top.CreateNode("points");
        for (int i = 0; i < n; i++)
        {
            var node = points.CreateNode(view.NameOf(i));
            node.LocalTransform = new SharpGLTF.Transforms.AffineTransform(null, null, new System.Numerics.Vector3(pos[i * 3], pos[i * 3 + 1], pos[i * 3 + 2]));
            var extras = new JsonObject { ["index"] = i, ["name"] = view.NameOf(i) };
            if (view.Source.Labels is { } labels) { extras["label"] = labels[i]; extras["labelName"] = view.Source.LabelText(i); }
            node.Extras = extras;
        }
        return root;
    }

    /// <summary>Builds and saves to <paramref name="path"/> (.glb or .gltf); returns the files written.</summary>
    public static IReadOnlyList<string> Save(EmbeddingView view, string path, float extent = 10f) => GltfExporter.Save(Build(view, extent), path);
}
