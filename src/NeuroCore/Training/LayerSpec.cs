using System.Globalization;
using System.Text.RegularExpressions;

namespace NeuroCore.Training;

/// <summary>What a <see cref="LayerSpec"/> builds.</summary>
public enum LayerKind
{
    /// <summary><c>Linear</c> then the activation; <c>64</c> or <c>dense64</c>.</summary>
    Dense,

    /// <summary><c>Conv2d</c> (same padding) then the activation; <c>conv16k3</c> is 16 channels, kernel 3.</summary>
    Conv,

    /// <summary><c>MaxPool2d</c>; <c>pool2</c> halves height and width.</summary>
    Pool,
}

/// <summary>
/// One hidden layer of a <see cref="TrainingSpec"/> in the compact grammar of <c>--layers</c>:
/// <c>16,16</c> (an MLP), or <c>conv16k3,pool2,conv32k3,pool2,dense64</c> (a convnet on an image dataset).
/// A whole number converts to a dense layer, so <c>Layers = [16, 16]</c> reads as before.
/// </summary>
/// <param name="Kind">Dense, convolution or pooling.</param>
/// <param name="Size">Units (dense), output channels (conv) or pooling window (pool).</param>
/// <param name="Kernel">Convolution kernel size (odd, so the image keeps its size); 0 otherwise.</param>
public readonly partial record struct LayerSpec(LayerKind Kind, int Size, int Kernel = 0)
{
    /// <summary>Largest convolution kernel.</summary>
    public const int MaxKernel = 15;

    /// <summary>Most convolution channels.</summary>
    public const int MaxChannels = 1024;

    /// <summary>A dense layer of <paramref name="units"/>.</summary>
    public static implicit operator LayerSpec(int units) => new(LayerKind.Dense, units);

    /// <summary>A dense layer of <paramref name="units"/>.</summary>
    public static LayerSpec Dense(int units) => new(LayerKind.Dense, units);

    /// <summary>A convolution with <paramref name="channels"/> outputs and a <paramref name="kernel"/>×<paramref name="kernel"/> kernel.</summary>
    public static LayerSpec Conv(int channels, int kernel) => new(LayerKind.Conv, channels, kernel);

    /// <summary>Max pooling over <paramref name="size"/>×<paramref name="size"/> windows.</summary>
    public static LayerSpec Pool(int size) => new(LayerKind.Pool, size);

    /// <summary>The layer in the grammar: <c>64</c>, <c>conv16k3</c>, <c>pool2</c>.</summary>
    public override string ToString() => Kind switch
    {
        LayerKind.Conv => string.Create(CultureInfo.InvariantCulture, $"conv{Size}k{Kernel}"),
        LayerKind.Pool => string.Create(CultureInfo.InvariantCulture, $"pool{Size}"),
        _ => Size.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The layers in the grammar, comma-separated (<c>none</c> when empty).</summary>
    public static string Format(IEnumerable<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        string text = string.Join(",", layers);
        return text.Length == 0 ? "none" : text;
    }

    /// <summary>Parses one layer (<c>64</c>, <c>dense64</c>, <c>conv16k3</c>, <c>pool2</c>; case-insensitive).</summary>
    public static bool TryParse(string text, out LayerSpec layer)
    {
        layer = default;
        var m = Grammar().Match(text?.Trim() ?? "");
        if (!m.Success) return false;
        static bool Int(Group g, out int v) => int.TryParse(g.Value, NumberStyles.None, CultureInfo.InvariantCulture, out v);
        if (m.Groups["dense"].Success) { if (!Int(m.Groups["dense"], out int u)) return false; layer = Dense(u); return true; }
        if (m.Groups["pool"].Success) { if (!Int(m.Groups["pool"], out int p)) return false; layer = Pool(p); return true; }
        if (!Int(m.Groups["conv"], out int c) || !Int(m.Groups["k"], out int k)) return false;
        layer = Conv(c, k);
        return true;
    }

    /// <summary>Parses a comma-separated list (empty text or <c>none</c>: no hidden layer).</summary>
    public static bool TryParseList(string text, out LayerSpec[] layers)
    {
        layers = [];
        string t = text?.Trim() ?? "";
        if (t.Length == 0 || t.Equals("none", StringComparison.OrdinalIgnoreCase)) return true;
        var parts = t.Split(',', StringSplitOptions.TrimEntries);
        var result = new LayerSpec[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!TryParse(parts[i], out result[i])) return false;
        layers = result;
        return true;
    }

    [GeneratedRegex(@"^(?:(?:dense)?(?<dense>\d{1,9})|conv(?<conv>\d{1,9})k(?<k>\d{1,9})|pool(?<pool>\d{1,9}))$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
