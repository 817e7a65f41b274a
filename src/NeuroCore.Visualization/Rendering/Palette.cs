namespace NeuroCore.Visualization.Rendering;

/// <summary>Colours of the timelapse: background, the diverging weight map, class colours, HUD.</summary>
internal static class Palette
{
    /// <summary>Background at the top of the frame.</summary>
    public static readonly Rgb BackgroundTop = Rgb.FromBytes(14, 17, 26);

    /// <summary>Background at the bottom of the frame.</summary>
    public static readonly Rgb BackgroundBottom = Rgb.FromBytes(6, 7, 12);

    /// <summary>Colour of weight 0 (the middle of the diverging map).</summary>
    public static readonly Rgb Neutral = Rgb.FromBytes(96, 100, 112);

    /// <summary>Colour of the largest positive weights.</summary>
    public static readonly Rgb Positive = Rgb.FromBytes(255, 140, 40);

    /// <summary>Colour of the largest negative weights.</summary>
    public static readonly Rgb Negative = Rgb.FromBytes(50, 140, 255);

    /// <summary>Class colours for data points and decision regions (colour-blind friendly, Okabe–Ito).</summary>
    public static readonly Rgb[] Classes =
    [
        Rgb.FromBytes(230, 159, 0), Rgb.FromBytes(86, 180, 233), Rgb.FromBytes(0, 158, 115),
        Rgb.FromBytes(240, 228, 66), Rgb.FromBytes(204, 121, 167), Rgb.FromBytes(213, 94, 0),
        Rgb.FromBytes(0, 114, 178), Rgb.FromBytes(200, 200, 200), Rgb.FromBytes(150, 90, 200), Rgb.FromBytes(120, 200, 80),
    ];

    /// <summary>The diverging map: <paramref name="v"/> in [-1, 1] (clamped) to a colour.</summary>
    public static Rgb Diverging(float v)
    {
        if (float.IsNaN(v)) return Neutral;
        v = Math.Clamp(v, -1f, 1f);
        return v >= 0 ? Neutral.Lerp(Positive, MathF.Sqrt(v)) : Neutral.Lerp(Negative, MathF.Sqrt(-v));
    }

    /// <summary>Colour of class <paramref name="k"/>.</summary>
    public static Rgb Class(int k) => Classes[((k % Classes.Length) + Classes.Length) % Classes.Length];
}
