using System.Numerics;

namespace NeuroCore.Visualization.Gltf;

/// <summary>The two shapes every scene is made of: a low-poly sphere (neurons) and a thin triangular prism (connections).</summary>
internal static class Primitives
{
    /// <summary>Unit icosahedron (12 vertices, 20 faces): the cheapest shape that still reads as a sphere.</summary>
    public static readonly Vector3[] SphereVertices = BuildIcosahedron();

    /// <summary>Counter-clockwise (outward) triangles of the icosahedron.</summary>
    public static readonly int[] SphereIndices =
    [
        0, 11, 5, 0, 5, 1, 0, 1, 7, 0, 7, 10, 0, 10, 11,
        1, 5, 9, 5, 11, 4, 11, 10, 2, 10, 7, 6, 7, 1, 8,
        3, 9, 4, 3, 4, 2, 3, 2, 6, 3, 6, 8, 3, 8, 9,
        4, 9, 5, 2, 4, 11, 6, 2, 10, 8, 6, 7, 9, 8, 1,
    ];

    /// <summary>Vertices per connection prism: a triangle at each end.</summary>
    public const int PrismVertexCount = 6;

    /// <summary>The prism's three side quads as 6 triangles; its ends are open (invisible at this thickness).</summary>
    public static readonly int[] PrismIndices = [0, 1, 4, 0, 4, 3, 1, 2, 5, 1, 5, 4, 2, 0, 3, 2, 3, 5];

    private static Vector3[] BuildIcosahedron()
    {
        var t = (1f + MathF.Sqrt(5f)) / 2f;
        Vector3[] v =
        [
            new(-1, t, 0), new(1, t, 0), new(-1, -t, 0), new(1, -t, 0),
            new(0, -1, t), new(0, 1, t), new(0, -1, -t), new(0, 1, -t),
            new(t, 0, -1), new(t, 0, 1), new(-t, 0, -1), new(-t, 0, 1),
        ];
        for (var i = 0; i < v.Length; i++) v[i] = Vector3.Normalize(v[i]);
        return v;
    }

    /// <summary>Writes the 6 vertices of a prism of radius <paramref name="radius"/> around segment a→b.</summary>
    public static void WritePrism(Span<Vector3> dst, Vector3 a, Vector3 b, float radius)
    {
        var d = b - a;
        var len = d.Length();
        d = len > 0 ? d / len : Vector3.UnitX;
        // Any vector not parallel to d gives a perpendicular frame; Y is safe unless d is nearly vertical.
        var helper = MathF.Abs(d.Y) < 0.9f ? Vector3.UnitY : Vector3.UnitZ;
        var u = Vector3.Normalize(Vector3.Cross(d, helper));
        var v = Vector3.Cross(d, u);
        // cos/sin of 0°, 120°, 240°
        const float c = -0.5f, s = 0.8660254f;
        var o0 = u * radius;
        var o1 = (u * c + v * s) * radius;
        var o2 = (u * c - v * s) * radius;
        dst[0] = a + o0; dst[1] = a + o1; dst[2] = a + o2;
        dst[3] = b + o0; dst[4] = b + o1; dst[5] = b + o2;
    }
}
