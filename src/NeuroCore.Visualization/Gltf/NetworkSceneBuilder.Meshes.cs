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

// Meshes and accessors: neuron spheres, connection colours, shared index and position buffers.
public static partial class NetworkSceneBuilder
{
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
