using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using NeuroCore.NN;

namespace NeuroCore.Cli;

/// <summary>
/// System.CommandLine options whose parsers check bounds and name the option in their errors
/// (<c>--epochs expects a whole number ≥ 1, got 'abc'</c>). Values are null when the option was not given,
/// so a command can tell "not given" (use the default, which may depend on other options) from a value.
/// </summary>
public static class CliOptions
{
    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int?> Int(string name, string valueName, string description, int min = int.MinValue, int max = int.MaxValue, params string[] aliases)
    {
        var option = new Option<int?>(name, aliases) { Description = description, HelpName = valueName };
        option.CustomParser = r => ParseInt(r, name, min, max);
        return option;
    }

    /// <summary>A finite number in [<paramref name="min"/>, <paramref name="max"/>] (above <paramref name="min"/> when <paramref name="minExclusive"/>).</summary>
    public static Option<double?> Number(string name, string valueName, string description, double min = double.MinValue, double max = double.MaxValue, bool minExclusive = false, params string[] aliases)
    {
        var option = new Option<double?>(name, aliases) { Description = description, HelpName = valueName };
        option.CustomParser = r =>
        {
            string text = Single(r);
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
                && d >= min && !(minExclusive && d == min) && d <= max)
                return d;
            string expected = minExclusive
                ? $"a number > {Fmt(min)}" + (max < double.MaxValue ? $" and ≤ {Fmt(max)}" : "")
                : Range("a number", min, max);
            r.AddError($"{name} expects {expected}, got '{text}'");
            return null;
        };
        return option;
    }

    /// <summary>Text, such as a path.</summary>
    public static Option<string?> Text(string name, string valueName, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, HelpName = valueName };

    /// <summary>
    /// An activation-function option: any spelling <see cref="ActivationFunctions.TryParse"/> reads (<c>leaky_relu</c>,
    /// <c>leaky-relu</c>, <c>LeakyReLU</c>), limited to <paramref name="allowed"/>; other names are a usage error listing them.
    /// </summary>
    public static Option<ActivationFunction?> Activation(string name, string valueName, string description, IReadOnlyList<ActivationFunction> allowed)
    {
        var option = new Option<ActivationFunction?>(name) { Description = description, HelpName = valueName };
        option.CustomParser = r =>
        {
            string text = Single(r).Trim();
            if (ActivationFunctions.TryParse(text, out var function) && allowed.Contains(function)) return function;
            r.AddError($"{name} expects one of {string.Join(", ", allowed.Select(f => f.Name()))}, got '{text}'");
            return null;
        };
        return option;
    }

    /// <summary>One of <paramref name="choices"/> (case-insensitive; the value is returned as spelled in the list).</summary>
    public static Option<string?> Choice(string name, string valueName, string description, params string[] choices)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = valueName };
        option.CustomParser = r =>
        {
            string text = Single(r).Trim();
            var match = choices.FirstOrDefault(c => c.Equals(text, StringComparison.OrdinalIgnoreCase));
            if (match is null) r.AddError($"{name} expects one of {string.Join(", ", choices)}, got '{text}'");
            return match;
        };
        return option;
    }

    /// <summary>A flag that takes no value.</summary>
    public static Option<bool> Flag(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>A comma-separated list of whole numbers in [<paramref name="min"/>, <paramref name="max"/>] (<c>16,16</c>); empty text or <c>none</c> is an empty list.</summary>
    public static Option<int[]?> IntList(string name, string valueName, string description, int min = 1, int max = int.MaxValue)
    {
        var option = new Option<int[]?>(name) { Description = description, HelpName = valueName, Arity = ArgumentArity.ExactlyOne, AllowMultipleArgumentsPerToken = false };
        option.CustomParser = r =>
        {
            string text = Single(r).Trim();
            if (TryParseIntList(text, min, max, out var list)) return list;
            r.AddError($"{name} expects a comma-separated list of whole numbers between {min} and {max.ToString("N0", CultureInfo.InvariantCulture)} (like 16,16), got '{text}'");
            return null;
        };
        return option;
    }

    /// <summary>Parses <c>16,16</c> (or empty / <c>none</c>) into whole numbers within bounds.</summary>
    public static bool TryParseIntList(string text, int min, int max, out int[] list)
    {
        list = [];
        if (text.Length == 0 || text.Equals("none", StringComparison.OrdinalIgnoreCase)) return true;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out result[i]) || result[i] < min || result[i] > max)
                return false;
        list = result;
        return true;
    }

    /// <summary>True when the user typed the option (as opposed to it being absent).</summary>
    public static bool Given(this ParseResult parseResult, Option option) => parseResult.GetResult(option) is { Implicit: false };

    private static int? ParseInt(ArgumentResult r, string name, int min, int max)
    {
        string text = Single(r);
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max) return n;
        r.AddError($"{name} expects {Range("a whole number", min, max)}, got '{text}'");
        return null;
    }

    private static string Single(ArgumentResult r) => r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";

    private static string Range(string what, double min, double max) =>
        (min > int.MinValue, max < int.MaxValue) switch
        {
            (true, true) => $"{what} between {Fmt(min)} and {Fmt(max)}",
            (true, false) => $"{what} ≥ {Fmt(min)}",
            (false, true) => $"{what} ≤ {Fmt(max)}",
            _ => what,
        };

    private static string Fmt(double d) => d.ToString(Math.Abs(d) >= 10_000 && d == Math.Floor(d) ? "N0" : "G", CultureInfo.InvariantCulture);
}
