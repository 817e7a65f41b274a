namespace NeuroCore.Visualization.Color;

/// <summary>
/// The colour map for signed values such as weights, shared by the glTF scenes and the timelapse
/// videos so both read the same: negative values are blue, positive values orange-red, and the
/// magnitude sets brightness and saturation — near zero is a dark neutral grey that recedes into a
/// dark background, while the strongest values are the brightest and most saturated.
/// </summary>
/// <remarks>
/// <para>A value <c>v</c> is normalised by a scale <c>s</c> (usually the largest |weight| of the
/// layer) to <c>t = clamp(|v| / s, 0, 1)</c>, lifted by a square root so that the many small
/// weights of a trained layer stay distinguishable from zero (<c>t' = sqrt(t)</c>), and then
/// interpolated in sRGB from <see cref="Neutral"/> (#2e2e33) to <see cref="NegativeEnd"/> (#3d9bff)
/// or <see cref="PositiveEnd"/> (#ff6a1a). The two ends differ mainly in hue (blue vs orange), so
/// they stay apart for the common red-green colour deficiencies too.</para>
/// </remarks>
public static class DivergingColorMap
{
    /// <summary>The colour of zero: a dark, slightly blue-grey neutral.</summary>
    public static readonly ColorRgb Neutral = ColorRgb.FromBytes(0x2e, 0x2e, 0x33);

    /// <summary>The colour of the most negative values (−scale and below): a bright sky blue.</summary>
    public static readonly ColorRgb NegativeEnd = ColorRgb.FromBytes(0x3d, 0x9b, 0xff);

    /// <summary>The colour of the most positive values (+scale and above): a bright orange-red.</summary>
    public static readonly ColorRgb PositiveEnd = ColorRgb.FromBytes(0xff, 0x6a, 0x1a);

    /// <summary>
    /// The normalised strength of <paramref name="value"/> in [0, 1] as the map uses it for brightness:
    /// <c>sqrt(clamp(|value| / scale, 0, 1))</c>; 0 when <paramref name="scale"/> is not positive.
    /// The glTF scenes use the same number for connection thickness.
    /// </summary>
    public static float Strength(float value, float scale)
    {
        if (!(scale > 0f) || float.IsNaN(value)) return 0f;
        var t = Math.Clamp(MathF.Abs(value) / scale, 0f, 1f);
        return MathF.Sqrt(t);
    }

    /// <summary>
    /// Maps a signed value to a colour: negative blue, positive orange-red, brightness growing with
    /// |value| / <paramref name="scale"/>; NaN maps to <see cref="Neutral"/>.
    /// </summary>
    /// <param name="value">The signed value (a weight).</param>
    /// <param name="scale">The magnitude that maps to the full colour; larger values are clamped.</param>
    public static ColorRgb Map(float value, float scale)
    {
        var t = Strength(value, scale);
        return ColorRgb.Lerp(Neutral, value < 0f ? NegativeEnd : PositiveEnd, t);
    }
}
