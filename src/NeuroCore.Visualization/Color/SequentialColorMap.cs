namespace NeuroCore.Visualization.Color;

/// <summary>
/// The colour map for activations (and other values read as "how much"): dark purple for the
/// lowest value through magenta and orange to pale yellow for the highest, a 5-stop approximation
/// of matplotlib's perceptually uniform "inferno" map. Lightness grows monotonically with the value,
/// so it also reads in greyscale.
/// </summary>
public static class SequentialColorMap
{
    // inferno at 0, 0.25, 0.5, 0.75, 1 — the low end is lifted from black (#000004) to a visible
    // dark purple so an inactive neuron still shows against a dark background.
    private static readonly ColorRgb[] Stops =
    [
        ColorRgb.FromBytes(0x1f, 0x0c, 0x48),
        ColorRgb.FromBytes(0x57, 0x10, 0x6e),
        ColorRgb.FromBytes(0xbc, 0x37, 0x54),
        ColorRgb.FromBytes(0xf9, 0x8e, 0x09),
        ColorRgb.FromBytes(0xfc, 0xff, 0xa4),
    ];

    /// <summary>The colour of the lowest value.</summary>
    public static ColorRgb Low => Stops[0];

    /// <summary>The colour of the highest value.</summary>
    public static ColorRgb High => Stops[^1];

    /// <summary>
    /// Maps <paramref name="t"/> in [0, 1] (clamped; NaN maps to the lowest colour) to a colour.
    /// </summary>
    public static ColorRgb Map(float t)
    {
        if (float.IsNaN(t)) t = 0f;
        t = Math.Clamp(t, 0f, 1f) * (Stops.Length - 1);
        var i = Math.Min((int)t, Stops.Length - 2);
        return ColorRgb.Lerp(Stops[i], Stops[i + 1], t - i);
    }

    /// <summary>
    /// Maps <paramref name="value"/> in [<paramref name="min"/>, <paramref name="max"/>] to a colour;
    /// an empty range (min ≥ max) maps everything to the middle colour.
    /// </summary>
    public static ColorRgb Map(float value, float min, float max) =>
        max > min ? Map((value - min) / (max - min)) : Map(0.5f);
}
