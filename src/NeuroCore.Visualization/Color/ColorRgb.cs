namespace NeuroCore.Visualization.Color;

/// <summary>
/// A colour in the sRGB colour space with channels in [0, 1] (what a screen, a PNG and SkiaSharp
/// expect). glTF stores vertex colours as <em>linear</em> values: use <see cref="ToLinear"/> there.
/// </summary>
/// <param name="R">Red, 0..1 (sRGB-encoded).</param>
/// <param name="G">Green, 0..1 (sRGB-encoded).</param>
/// <param name="B">Blue, 0..1 (sRGB-encoded).</param>
public readonly record struct ColorRgb(float R, float G, float B)
{
    /// <summary>Builds a colour from 8-bit sRGB channels, e.g. <c>FromBytes(0xff, 0x7f, 0x0e)</c>.</summary>
    public static ColorRgb FromBytes(byte r, byte g, byte b) => new(r / 255f, g / 255f, b / 255f);

    /// <summary>The colour as 8-bit sRGB channels (rounded), for SkiaSharp or PNG output.</summary>
    public (byte R, byte G, byte B) ToBytes() => (ToByte(R), ToByte(G), ToByte(B));

    /// <summary>The colour with each channel converted from sRGB to linear light (glTF's COLOR_0 space).</summary>
    public ColorRgb ToLinear() => new(SrgbToLinear(R), SrgbToLinear(G), SrgbToLinear(B));

    /// <summary>Relative luminance (Rec. 709 weights on linear channels), 0 (black) to 1 (white).</summary>
    public float Luminance
    {
        get
        {
            var l = ToLinear();
            return 0.2126f * l.R + 0.7152f * l.G + 0.0722f * l.B;
        }
    }

    /// <summary>Component-wise linear interpolation in sRGB space (<paramref name="t"/> clamped to [0, 1]).</summary>
    public static ColorRgb Lerp(ColorRgb a, ColorRgb b, float t)
    {
        t = Math.Clamp(t, 0f, 1f);
        return new(a.R + (b.R - a.R) * t, a.G + (b.G - a.G) * t, a.B + (b.B - a.B) * t);
    }

    /// <summary>The colour as "#rrggbb".</summary>
    public override string ToString()
    {
        var (r, g, b) = ToBytes();
        return $"#{r:x2}{g:x2}{b:x2}";
    }

    private static byte ToByte(float v) => (byte)Math.Clamp(MathF.Round(v * 255f), 0f, 255f);

    /// <summary>The sRGB transfer function's inverse (IEC 61966-2-1).</summary>
    public static float SrgbToLinear(float c)
    {
        c = Math.Clamp(c, 0f, 1f);
        return c <= 0.04045f ? c / 12.92f : MathF.Pow((c + 0.055f) / 1.055f, 2.4f);
    }
}
