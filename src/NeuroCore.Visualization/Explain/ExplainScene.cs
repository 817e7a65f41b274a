using System.Numerics;
using System.Runtime.InteropServices;
using SharpGLTF.Schema2;
using SkiaSharp;

namespace NeuroCore.Visualization.Explain;

/// <summary>
/// The explain PNGs as a glTF 2.0 scene: one textured, unlit plane per image in a row (1 unit high, the
/// image's aspect ratio, nearest-neighbour sampling so pixels stay crisp), named by role, for glTF viewers.
/// </summary>
public static class ExplainScene
{
    /// <summary>A scene with one plane per (name, PNG) in <paramref name="images"/>, left to right.</summary>
    public static ModelRoot Build(IReadOnlyList<(string Name, byte[] Png)> images)
    {
        if (images.Count == 0) throw new ArgumentException("Explain scene: no images.");
        var root = ModelRoot.CreateModel();
        root.Asset.Generator = "NeuroCore.Visualization (SharpGLTF)";
        var scene = root.UseScene("explain");
        var top = scene.CreateNode("explain");
        var sampler = root.UseTextureSampler(TextureWrapMode.CLAMP_TO_EDGE, TextureWrapMode.CLAMP_TO_EDGE, TextureMipMapFilter.NEAREST, TextureInterpolationFilter.NEAREST);
        var indices = IndexAccessor(root);
        var uvs = UvAccessor(root);
        float x = 0;
        foreach (var (name, png) in images)
        {
            using var info = SKBitmap.Decode(png) ?? throw new ArgumentException($"Explain scene: '{name}' is not a PNG image.");
            float width = (float)info.Width / info.Height;
            var image = root.CreateImage(name);
            image.Content = new SharpGLTF.Memory.MemoryImage(png);
            var material = root.CreateMaterial(name);
            material.InitializeUnlit();
            material.DoubleSided = true;
            var channel = material.FindChannel("BaseColor") ?? throw new InvalidOperationException("Explain scene: unlit material has no BaseColor channel.");
            channel.SetTexture(0, root.UseTexture(image, sampler));
            var mesh = root.CreateMesh(name);
            var prim = mesh.CreatePrimitive();
            prim.SetVertexAccessor("POSITION", PositionAccessor(root, width));
            prim.SetVertexAccessor("TEXCOORD_0", uvs);
            prim.SetIndexAccessor(indices);
            prim.DrawPrimitiveType = PrimitiveType.TRIANGLES;
            prim.Material = material;
            var node = top.CreateNode(name);
            node.Mesh = mesh;
            node.LocalTransform = new SharpGLTF.Transforms.AffineTransform(Matrix4x4.CreateTranslation(x, 0, 0));
            x += width + 0.25f;
        }
        return root;
    }

    private static Accessor PositionAccessor(ModelRoot root, float width)
    {
        Vector3[] corners = [new(0, 0, 0), new(width, 0, 0), new(width, 1, 0), new(0, 1, 0)];
        var bytes = MemoryMarshal.AsBytes(corners.AsSpan()).ToArray();
        var acc = root.CreateAccessor();
        acc.SetVertexData(root.UseBufferView(bytes, 0, null, 0, BufferMode.ARRAY_BUFFER), 0, 4,
            new SharpGLTF.Memory.AttributeFormat(DimensionType.VEC3, EncodingType.FLOAT, false));
        return acc;
    }

    private static Accessor UvAccessor(ModelRoot root)
    {
        // glTF's texture origin is the image's top-left corner: v = 1 at the plane's bottom.
        Vector2[] uv = [new(0, 1), new(1, 1), new(1, 0), new(0, 0)];
        var bytes = MemoryMarshal.AsBytes(uv.AsSpan()).ToArray();
        var acc = root.CreateAccessor();
        acc.SetVertexData(root.UseBufferView(bytes, 0, null, 0, BufferMode.ARRAY_BUFFER), 0, 4,
            new SharpGLTF.Memory.AttributeFormat(DimensionType.VEC2, EncodingType.FLOAT, false));
        return acc;
    }

    private static Accessor IndexAccessor(ModelRoot root)
    {
        ushort[] quad = [0, 1, 2, 0, 2, 3];
        var bytes = MemoryMarshal.AsBytes(quad.AsSpan()).ToArray();
        var acc = root.CreateAccessor();
        acc.SetIndexData(root.UseBufferView(bytes, 0, null, 0, BufferMode.ELEMENT_ARRAY_BUFFER), 0, 6, IndexEncodingType.UNSIGNED_SHORT);
        return acc;
    }
}
