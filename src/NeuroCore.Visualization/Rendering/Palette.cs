using NeuroCore.Visualization.Color;

namespace NeuroCore.Visualization.Rendering;

/// <summary>Colours of the timelapse: background, the diverging weight map, class colours, HUD.</summary>
internal static class Palette
{
    /// <summary>Background at the top of the frame.</summary>
    public static readonly Rgb BackgroundTop = Rgb.FromBytes(14, 17, 26);

    /// <summary>Background at the bottom of the frame.</summary>
    public static readonly Rgb BackgroundBottom = Rgb.FromBytes(6, 7, 12);

    /// <summary>Colour of weight 0 (the middle of the shared diverging map).</summary>
    public static readonly Rgb Neutral = From(DivergingColorMap.Neutral);

    /// <summary>Colour of the largest positive weights.</summary>
    public static readonly Rgb Positive = From(DivergingColorMap.PositiveEnd);

    /// <summary>Colour of the largest negative weights.</summary>
    public static readonly Rgb Negative = From(DivergingColorMap.NegativeEnd);

    /// <summary>Class colours for data points and decision regions (colour-blind friendly, Okabe–Ito).</summary>
    public static readonly Rgb[] Classes = ClassColorMap.Colors.Select(From).ToArray();

    /// <summary>The shared diverging map (the glTF scenes' colours): <paramref name="value"/> relative to <paramref name="scale"/>.</summary>
    public static Rgb Diverging(float value, float scale = 1f) => From(DivergingColorMap.Map(value, scale));

    /// <summary>The shared sequential (inferno-like) map used for activations, <paramref name="t"/> in 0..1.</summary>
    public static Rgb Sequential(float t) => From(SequentialColorMap.Map(t));

    /// <summary>Converts a shared colour.</summary>
    public static Rgb From(ColorRgb c) => new(c.R, c.G, c.B);

    /// <summary>Colour of class <paramref name="k"/>.</summary>
    public static Rgb Class(int k) => Classes[((k % Classes.Length) + Classes.Length) % Classes.Length];
}
