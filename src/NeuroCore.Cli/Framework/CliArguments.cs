using System.Globalization;

namespace NeuroCore.Cli;

/// <summary>
/// Parsed command-line arguments with typed getters whose errors name the option and the bad value.
/// Values can also come from a file (e.g. <c>--spec</c>); command-line values win.
/// </summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, (string Value, string Origin)> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];
    private readonly string _command;

    private CliArguments(string command) => _command = command;

    /// <summary>The positional arguments.</summary>
    public IReadOnlyList<string> Positionals => _positionals;

    /// <summary>
    /// Parses <paramref name="args"/> for <paramref name="command"/>: <c>--name value</c>, <c>--name=value</c>,
    /// aliases (<c>-o value</c>), flags, positionals and <c>--</c> (everything after it is positional).
    /// </summary>
    /// <exception cref="CliUsageException">Unknown option, missing value, or wrong number of positionals.</exception>
    public static CliArguments Parse(CliCommand command, IReadOnlyList<string> args)
    {
        var result = new CliArguments(command.Name);
        var byName = new Dictionary<string, CliOption>(StringComparer.Ordinal);
        foreach (var o in command.Options)
        {
            byName[o.Name] = o;
            if (o.Alias is not null) byName[o.Alias] = o;
        }
        bool onlyPositionals = false;
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (onlyPositionals || a.Length < 2 || a[0] != '-' || IsNumber(a))
            {
                result._positionals.Add(a);
                continue;
            }
            if (a == "--")
            {
                onlyPositionals = true;
                continue;
            }
            string name = a;
            string? inline = null;
            int eq = a.IndexOf('=');
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 2)
            {
                name = a[..eq];
                inline = a[(eq + 1)..];
            }
            if (!byName.TryGetValue(name, out var option))
            {
                var near = command.Options.Select(o => o.Name).FirstOrDefault(n => Distance(n, name) <= 2);
                throw new CliUsageException($"unknown option '{name}'{(near is null ? "" : $"; did you mean '{near}'?")}");
            }
            if (option.IsFlag)
            {
                if (inline is not null) throw new CliUsageException($"{option.Name} is a flag and takes no value (got '{a}')");
                result._flags.Add(option.Name);
                continue;
            }
            string value;
            if (inline is not null) value = inline;
            else if (i + 1 < args.Count) value = args[++i];
            else throw new CliUsageException($"{option.Name} needs a value ({option.ValueName})");
            result._values[option.Name] = (value, option.Name);
        }
        int required = command.Arguments.Count(p => p.Required);
        if (result._positionals.Count < required)
            throw new CliUsageException($"missing {command.Arguments[result._positionals.Count].Name} ({command.Arguments[result._positionals.Count].Description})");
        if (result._positionals.Count > command.Arguments.Count)
            throw new CliUsageException(command.Arguments.Count == 0
                ? $"unexpected argument '{result._positionals[0]}'"
                : $"unexpected argument '{result._positionals[command.Arguments.Count]}'");
        return result;
    }

    private static bool IsNumber(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>
    /// Adds a value from another source (a spec file) unless the command line gave one;
    /// <paramref name="origin"/> names it in errors (e.g. <c>"learningRate" in spec.json</c>).
    /// </summary>
    public void AddDefault(string option, string value, string origin) => _values.TryAdd(option, (value, origin));

    /// <summary>True when <paramref name="option"/> was given (a value or a flag).</summary>
    public bool Has(string option) => _values.ContainsKey(option) || _flags.Contains(option);

    /// <summary>True when the flag was given, or a value source set it to true.</summary>
    public bool Flag(string option)
    {
        if (_flags.Contains(option)) return true;
        if (!_values.TryGetValue(option, out var v)) return false;
        return v.Value.ToLowerInvariant() switch
        {
            "true" or "yes" or "1" => true,
            "false" or "no" or "0" => false,
            _ => throw Bad(v.Origin, "true or false", v.Value),
        };
    }

    /// <summary>The positional argument at <paramref name="index"/>, or null when it was not given.</summary>
    public string? Positional(int index) => index < _positionals.Count ? _positionals[index] : null;

    /// <summary>The option's text value, or <paramref name="fallback"/>.</summary>
    public string? GetString(string option, string? fallback = null) => _values.TryGetValue(option, out var v) ? v.Value : fallback;

    /// <summary>The option as a whole number in [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/>.</summary>
    public int GetInt(string option, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!_values.TryGetValue(option, out var v)) return fallback;
        if (!int.TryParse(v.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
            throw Bad(v.Origin, Range("a whole number", min, max), v.Value);
        return n;
    }

    /// <summary>
    /// The option as a finite number in [<paramref name="min"/>, <paramref name="max"/>] (above <paramref name="min"/>
    /// when <paramref name="minExclusive"/>), or <paramref name="fallback"/>.
    /// </summary>
    public double GetDouble(string option, double fallback, double min = double.MinValue, double max = double.MaxValue, bool minExclusive = false)
    {
        if (!_values.TryGetValue(option, out var v)) return fallback;
        if (!double.TryParse(v.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d)
            || d < min || (minExclusive && d == min) || d > max)
            throw Bad(v.Origin, minExclusive ? $"a number > {Fmt(min)}" + (max < double.MaxValue ? $" and ≤ {Fmt(max)}" : "") : Range("a number", min, max), v.Value);
        return d;
    }

    /// <summary>The option as a comma-separated list of whole numbers ≥ <paramref name="min"/> (<c>16,16</c>); empty text or <c>none</c> is an empty list.</summary>
    public IReadOnlyList<int> GetIntList(string option, IReadOnlyList<int> fallback, int min = 1)
    {
        if (!_values.TryGetValue(option, out var v)) return fallback;
        string text = v.Value.Trim();
        if (text.Length == 0 || text.Equals("none", StringComparison.OrdinalIgnoreCase)) return [];
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out result[i]) || result[i] < min)
                throw Bad(v.Origin, $"a comma-separated list of whole numbers ≥ {min} (like 16,16)", v.Value);
        return result;
    }

    /// <summary>The option as one of <paramref name="choices"/> (case-insensitive; returned as spelled in the list), or <paramref name="fallback"/>.</summary>
    public string GetChoice(string option, string fallback, params string[] choices)
    {
        if (!_values.TryGetValue(option, out var v)) return fallback;
        var match = choices.FirstOrDefault(c => c.Equals(v.Value.Trim(), StringComparison.OrdinalIgnoreCase));
        return match ?? throw Bad(v.Origin, "one of " + string.Join(", ", choices), v.Value);
    }

    /// <summary>Throws a usage error naming the option unless at most one of <paramref name="options"/> was given.</summary>
    public void ExclusiveOf(params string[] options)
    {
        var given = options.Where(o => _values.TryGetValue(o, out var v) && v.Origin == o || _flags.Contains(o)).ToList();
        if (given.Count > 1) throw new CliUsageException($"{given[0]} and {given[1]} cannot be used together");
    }

    private static string Range(string what, double min, double max) =>
        (min > int.MinValue, max < int.MaxValue) switch
        {
            (true, true) => $"{what} between {Fmt(min)} and {Fmt(max)}",
            (true, false) => min == 0 ? $"{what} ≥ 0" : $"{what} ≥ {Fmt(min)}",
            (false, true) => $"{what} ≤ {Fmt(max)}",
            _ => what,
        };

    private static string Fmt(double d) => d.ToString("G", CultureInfo.InvariantCulture);

    private static CliUsageException Bad(string origin, string expected, string got) =>
        new($"{origin} expects {expected}, got '{got}'");

    /// <summary>Levenshtein distance, for "did you mean" hints.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
