using SkiaSharp;

namespace NeuroCore.Visualization.Rendering;

/// <summary>
/// The bundled DejaVu Sans typeface (embedded resource; licence in Fonts/DejaVu-LICENSE.txt).
/// </summary>
/// <remarks>
/// SkiaSharp.NativeAssets.Linux.NoDependencies has no fontconfig, so <c>SKTypeface.Default</c> draws no
/// glyphs on Linux; loading a font from our own assembly makes text render on every machine.
/// </remarks>
internal static class Fonts
{
    private static readonly Lazy<SKTypeface> Regular = new(Load);

    /// <summary>The HUD typeface.</summary>
    public static SKTypeface Sans => Regular.Value;

    private static SKTypeface Load()
    {
        var assembly = typeof(Fonts).Assembly;
        const string name = "NeuroCore.Visualization.Fonts.DejaVuSans.ttf";
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded font '{name}' is missing from {assembly.GetName().Name}.");
        var typeface = SKTypeface.FromStream(stream);
        return typeface ?? throw new InvalidOperationException($"SkiaSharp could not load the embedded font '{name}'.");
    }
}
