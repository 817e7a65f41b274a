namespace NeuroCore.Visualization.Color;

/// <summary>
/// The qualitative palette for classes (data points, decision regions, output labels), shared by the
/// videos and the interactive viewer: the Okabe–Ito colour-blind-friendly colours, chosen so that no
/// class colour reads as a weight (blue/orange ends of <see cref="DivergingColorMap"/> at full
/// strength are avoided by order) or as an activation level.
/// </summary>
public static class ClassColorMap
{
    /// <summary>The class colours in order; class k uses <c>Colors[k mod Count]</c>.</summary>
    public static IReadOnlyList<ColorRgb> Colors { get; } =
    [
        ColorRgb.FromBytes(230, 159, 0), ColorRgb.FromBytes(86, 180, 233), ColorRgb.FromBytes(0, 158, 115),
        ColorRgb.FromBytes(240, 228, 66), ColorRgb.FromBytes(204, 121, 167), ColorRgb.FromBytes(213, 94, 0),
        ColorRgb.FromBytes(0, 114, 178), ColorRgb.FromBytes(200, 200, 200), ColorRgb.FromBytes(150, 90, 200), ColorRgb.FromBytes(120, 200, 80),
    ];

    /// <summary>The colour of class <paramref name="k"/> (wraps around; negative classes too).</summary>
    public static ColorRgb Map(int k) => Colors[((k % Colors.Count) + Colors.Count) % Colors.Count];
}
