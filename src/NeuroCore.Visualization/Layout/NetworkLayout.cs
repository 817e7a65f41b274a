using System.Numerics;
using NeuroCore.Visualization.Model;

namespace NeuroCore.Visualization.Layout;

/// <summary>
/// Deterministic 3-D positions of every neuron of a network, computed once per run and shared by
/// the glTF scenes and the timelapse videos (so both show the same picture).
/// </summary>
/// <remarks>
/// Axes (glTF convention, Y up, right-handed): layers stand side by side along +X, input first;
/// each layer spans the Y-Z plane. A vector layer of N neurons is a near-square grid
/// (<c>cols = ceil(sqrt(N))</c>, filled row by row from the top); an image-shaped layer <c>[H, W]</c>
/// is an H×W grid with row 0 at the top and column 0 at −Z (so it reads like the image when looked at
/// from the input side, i.e. looking along +X); a <c>[C, H, W]</c> layer (image channels, conv feature
/// maps) is a stack of C such planes one behind the other along +X. The whole network is centred on
/// the origin. Neuron <c>k</c> of a layer is element <c>k</c> of its shape in row-major order, which
/// is also the order of a flattened activation.
/// </remarks>
public sealed class NetworkLayout
{
    private NetworkLayout(NetworkArchitecture architecture, LayerLayout[] layers, LayoutOptions options)
    {
        Architecture = architecture;
        Layers = layers;
        Options = options;
        var min = new Vector3(float.MaxValue);
        var max = new Vector3(float.MinValue);
        foreach (var l in layers) { min = Vector3.Min(min, l.Min); max = Vector3.Max(max, l.Max); }
        Min = min;
        Max = max;
    }

    /// <summary>The architecture this layout is for.</summary>
    public NetworkArchitecture Architecture { get; }

    /// <summary>Per layer, same order as <see cref="NetworkArchitecture.Layers"/>.</summary>
    public IReadOnlyList<LayerLayout> Layers { get; }

    /// <summary>The options used (with defaults filled in by the caller's record).</summary>
    public LayoutOptions Options { get; }

    /// <summary>Lower corner of the bounding box of all neuron centres (spheres reach one radius further).</summary>
    public Vector3 Min { get; }

    /// <summary>Upper corner of the bounding box of all neuron centres.</summary>
    public Vector3 Max { get; }

    /// <summary>Computes the layout; the same inputs always give the same positions.</summary>
    /// <exception cref="ArgumentException">An option is not a positive finite number.</exception>
    public static NetworkLayout Compute(NetworkArchitecture architecture, LayoutOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        options ??= new LayoutOptions();
        options.Validate();
        var s = options.NeuronSpacing;
        var planeSpacing = options.PlaneSpacing ?? 3f * s;
        var radius = options.NeuronRadius ?? 0.35f * s;

        var specs = architecture.Layers;
        var grids = new (int planes, int rows, int cols)[specs.Count];
        for (var i = 0; i < specs.Count; i++) grids[i] = GridOf(specs[i]);

        // Place layer slabs along X, then shift so the network's X-extent is centred on 0.
        var centers = new float[specs.Count];
        var x = 0f;
        for (var i = 0; i < specs.Count; i++)
        {
            var depth = (grids[i].planes - 1) * planeSpacing;
            if (i > 0)
            {
                var prevDepth = (grids[i - 1].planes - 1) * planeSpacing;
                var extent = MathF.Max(Extent(grids[i - 1], s), Extent(grids[i], s));
                var gap = options.LayerGap ?? MathF.Max(options.MinLayerGap, options.LayerGapFactor * extent);
                x += prevDepth / 2 + gap + depth / 2;
            }
            centers[i] = x;
        }
        var firstDepth = (grids[0].planes - 1) * planeSpacing;
        var lastDepth = (grids[^1].planes - 1) * planeSpacing;
        var shift = ((centers[0] - firstDepth / 2) + (centers[^1] + lastDepth / 2)) / 2;

        var layers = new LayerLayout[specs.Count];
        for (var i = 0; i < specs.Count; i++)
        {
            var (planes, rows, cols) = grids[i];
            var n = specs[i].NeuronCount;
            var positions = new Vector3[n];
            var perPlane = rows * cols;
            var planeCenters = new Vector3[planes];
            var cx = centers[i] - shift;
            for (var p = 0; p < planes; p++)
            {
                var px = cx + (p - (planes - 1) / 2f) * planeSpacing;
                planeCenters[p] = new Vector3(px, 0, 0);
                var count = Math.Min(perPlane, n - p * perPlane);
                for (var k = 0; k < count; k++)
                {
                    var r = k / cols;
                    var c = k % cols;
                    positions[p * perPlane + k] = new Vector3(px, ((rows - 1) / 2f - r) * s, (c - (cols - 1) / 2f) * s);
                }
            }
            layers[i] = new LayerLayout(i, specs[i], positions, planeCenters, rows, cols, radius);
        }
        return new NetworkLayout(architecture, layers, options);
    }

    private static float Extent((int planes, int rows, int cols) g, float s) => MathF.Max(g.rows, g.cols) * s;

    private static (int planes, int rows, int cols) GridOf(LayerSpec spec)
    {
        var shape = spec.Shape;
        switch (shape.Length)
        {
            case 3: return (shape[0], shape[1], shape[2]);
            case 2: return (1, shape[0], shape[1]);
            default:
                var n = shape[0];
                var cols = (int)Math.Ceiling(Math.Sqrt(n));
                var rows = (n + cols - 1) / cols;
                return (1, rows, cols);
        }
    }
}

/// <summary>The positions of one layer's neurons and feature-map planes.</summary>
public sealed class LayerLayout
{
    private readonly Vector3[] _positions;
    private readonly Vector3[] _planeCenters;

    internal LayerLayout(int index, LayerSpec spec, Vector3[] positions, Vector3[] planeCenters, int rows, int cols, float neuronRadius)
    {
        Index = index;
        Spec = spec;
        _positions = positions;
        _planeCenters = planeCenters;
        Rows = rows;
        Cols = cols;
        NeuronRadius = neuronRadius;
        var min = new Vector3(float.MaxValue);
        var max = new Vector3(float.MinValue);
        foreach (var p in positions) { min = Vector3.Min(min, p); max = Vector3.Max(max, p); }
        Min = min;
        Max = max;
        Center = (min + max) / 2;
    }

    /// <summary>Index of the layer in the architecture.</summary>
    public int Index { get; }

    /// <summary>The layer described.</summary>
    public LayerSpec Spec { get; }

    /// <summary>Centre of neuron <c>k</c> (row-major order of the layer's shape).</summary>
    public ReadOnlySpan<Vector3> Positions => _positions;

    /// <summary>Number of feature-map planes (C for <c>[C, H, W]</c> layers, else 1).</summary>
    public int PlaneCount => _planeCenters.Length;

    /// <summary>Centre of plane <paramref name="plane"/>; connections of conv layers run between plane centres.</summary>
    public Vector3 PlaneCenter(int plane) => _planeCenters[plane];

    /// <summary>Rows of each plane's grid (along −Y).</summary>
    public int Rows { get; }

    /// <summary>Columns of each plane's grid (along +Z).</summary>
    public int Cols { get; }

    /// <summary>Radius of a neuron drawn at full size.</summary>
    public float NeuronRadius { get; }

    /// <summary>Lower corner of the bounding box of this layer's neuron centres.</summary>
    public Vector3 Min { get; }

    /// <summary>Upper corner of the bounding box of this layer's neuron centres.</summary>
    public Vector3 Max { get; }

    /// <summary>Centre of the bounding box.</summary>
    public Vector3 Center { get; }
}
