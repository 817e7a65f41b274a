using System.Numerics;

namespace NeuroCore.Visualization.Rendering;

/// <summary>
/// What the renderer draws, independent of where it came from: neurons as 3-D points with colour,
/// size and glow, and connections as 3-D segments between two neurons with colour, width and opacity.
/// </summary>
/// <remarks>Structure of arrays, reused from frame to frame (no allocation per frame).</remarks>
internal sealed class RenderScene
{
    /// <summary>Creates an empty scene with room for <paramref name="neurons"/> and <paramref name="segments"/>.</summary>
    public RenderScene(int neurons, int segments)
    {
        NeuronPosition = new Vector3[neurons];
        NeuronRadius = new float[neurons];
        NeuronFill = new Rgb[neurons];
        NeuronGlow = new float[neurons];
        NeuronGlowColor = new Rgb[neurons];
        SegmentFrom = new int[segments];
        SegmentTo = new int[segments];
        SegmentColor = new Rgb[segments];
        SegmentWidth = new float[segments];
        SegmentAlpha = new float[segments];
        NeuronCount = neurons;
        SegmentCount = segments;
    }

    /// <summary>Number of neurons in use.</summary>
    public int NeuronCount { get; set; }

    /// <summary>Number of segments in use (at most the capacity given at construction).</summary>
    public int SegmentCount { get; set; }

    /// <summary>World position of each neuron.</summary>
    public Vector3[] NeuronPosition { get; }

    /// <summary>Neuron radius in world units (projected with perspective).</summary>
    public float[] NeuronRadius { get; }

    /// <summary>Neuron body colour.</summary>
    public Rgb[] NeuronFill { get; }

    /// <summary>Glow opacity at the neuron centre (0 = no halo).</summary>
    public float[] NeuronGlow { get; }

    /// <summary>Glow colour.</summary>
    public Rgb[] NeuronGlowColor { get; }

    /// <summary>Index of the neuron a segment starts at.</summary>
    public int[] SegmentFrom { get; }

    /// <summary>Index of the neuron a segment ends at.</summary>
    public int[] SegmentTo { get; }

    /// <summary>Segment colour.</summary>
    public Rgb[] SegmentColor { get; }

    /// <summary>Segment width in pixels at the camera's reference depth.</summary>
    public float[] SegmentWidth { get; }

    /// <summary>Segment opacity in 0..1.</summary>
    public float[] SegmentAlpha { get; }

    /// <summary>Centre and radius of the neurons' bounding sphere.</summary>
    public (Vector3 Center, float Radius) Bounds()
    {
        if (NeuronCount == 0) return (Vector3.Zero, 1f);
        var min = new Vector3(float.MaxValue);
        var max = new Vector3(float.MinValue);
        for (int i = 0; i < NeuronCount; i++)
        {
            min = Vector3.Min(min, NeuronPosition[i]);
            max = Vector3.Max(max, NeuronPosition[i]);
        }
        var center = (min + max) * 0.5f;
        float radius = 0;
        for (int i = 0; i < NeuronCount; i++) radius = MathF.Max(radius, Vector3.Distance(center, NeuronPosition[i]));
        return (center, MathF.Max(radius, 0.5f));
    }
}
