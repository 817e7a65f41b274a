using System.Text;
using System.Text.Json;

namespace NeuroCore.Snapshots;

/// <summary>
/// Reads and writes the run's JSON files through the source-generated <see cref="RunJsonContext"/>;
/// every value read passes <see cref="RunValidation"/>, so readers get either a valid typed value or a
/// <see cref="SnapshotFormatException"/> naming the file and the field.
/// </summary>
internal static class RunSerializer
{
    private static readonly RunJsonContext Indented = new(new JsonSerializerOptions(RunJsonContext.Default.Options) { WriteIndented = true });

    // ---- manifest ----

    internal static byte[] WriteManifest(RunManifest manifest)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, Indented.RunManifest);
        return [.. bytes, (byte)'\n'];
    }

    /// <summary>Parses and validates <c>manifest.json</c> (any version up to <see cref="SnapshotFormat.Version"/>).</summary>
    /// <exception cref="SnapshotFormatException">Not JSON, not a run, a newer version, or a field is wrong (named in the message).</exception>
    internal static RunManifest ReadManifest(string path, byte[] bytes)
    {
        RunHeader header;
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new SnapshotFormatException(path, "corrupt manifest: not a JSON object.");
            header = new RunHeader
            {
                Format = doc.RootElement.TryGetProperty("format", out var f) ? f.Clone() : default,
                Version = doc.RootElement.TryGetProperty("version", out var v) ? v.Clone() : default,
            };
        }
        catch (Exception e) when (IsJsonProblem(e))
        {
            throw new SnapshotFormatException(path, $"corrupt manifest: not valid JSON ({Describe(e)})", e);
        }
        int version = RunValidation.CheckHeader(path, header);
        RunManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(bytes, RunJsonContext.Default.RunManifest)
                ?? throw new SnapshotFormatException(path, "corrupt manifest: not a JSON object.");
        }
        catch (Exception e) when (IsJsonProblem(e))
        {
            throw new SnapshotFormatException(path, $"corrupt manifest: {Describe(e)}", e);
        }
        return RunValidation.Manifest(path, manifest with { Version = version });
    }

    // ---- index lines ----

    internal static string WriteEntry(SnapshotEntry entry) => JsonSerializer.Serialize(entry, RunJsonContext.Default.SnapshotEntry);

    /// <summary>Parses and validates one index line; throws <see cref="FormatException"/> describing what is wrong.</summary>
    internal static SnapshotEntry ReadEntry(string line)
    {
        SnapshotEntry entry;
        try
        {
            entry = JsonSerializer.Deserialize(line, RunJsonContext.Default.SnapshotEntry) ?? throw new FormatException("not a JSON object");
        }
        catch (Exception e) when (IsJsonProblem(e))
        {
            throw new FormatException(Describe(e), e);
        }
        return RunValidation.Entry(entry);
    }

    // ---- summary ----

    internal static byte[] WriteSummary(RunSummary summary)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(summary, Indented.RunSummary);
        return [.. bytes, (byte)'\n'];
    }

    /// <exception cref="SnapshotFormatException">The summary is not valid JSON or a field has the wrong type.</exception>
    internal static RunSummary ReadSummary(string path, byte[] bytes)
    {
        try
        {
            return RunValidation.Summary(path, JsonSerializer.Deserialize(bytes, RunJsonContext.Default.RunSummary)
                ?? throw new SnapshotFormatException(path, "corrupt summary: not a JSON object."));
        }
        catch (Exception e) when (IsJsonProblem(e))
        {
            throw new SnapshotFormatException(path, $"corrupt summary: {Describe(e)}", e);
        }
    }

    // ---- values ----

    /// <summary>A config or hyper-parameter value as JSON; enums by name, so readers need not know their numbering.</summary>
    internal static JsonElement ToElement(object? value) => value switch
    {
        null => JsonSerializer.SerializeToElement<object?>(null),
        Enum e => JsonSerializer.SerializeToElement(e.ToString()),
        string s => JsonSerializer.SerializeToElement(s),
        bool b => JsonSerializer.SerializeToElement(b),
        int or long or short or byte => JsonSerializer.SerializeToElement(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
        float f => ToNumber(f),
        double d => ToNumber(d),
        JsonElement j => j.Clone(),
        _ => JsonSerializer.SerializeToElement(value, value.GetType()),
    };

    // Finite numbers as numbers; NaN and infinities as the strings the format uses for them.
    private static JsonElement ToNumber(double v) =>
        double.IsFinite(v) ? JsonSerializer.SerializeToElement(v) : JsonSerializer.SerializeToElement(double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");

    // A float config value (LeakyReLU's 0.01f) printed as its shortest float form, not as 0.009999999776482582.
    private static JsonElement ToNumber(float v) =>
        float.IsFinite(v) ? JsonDocument.Parse(v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).RootElement.Clone() : ToNumber((double)v);

    /// <summary>Errors the JSON layer raises for bad input: syntax, types, invalid UTF-8 or UTF-16 in strings, numbers out of range.</summary>
    internal static bool IsJsonProblem(Exception e) => e is JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException or NotSupportedException;

    /// <summary>"field "architecture.layers[0].index": expected a whole number", from the serializer's error and JSON path, without .NET type names.</summary>
    internal static string Describe(Exception e)
    {
        string message = e.Message;
        string? path = (e as JsonException)?.Path ?? (e.InnerException as JsonException)?.Path;
        const string missing = "missing required properties including: ";
        int m = message.IndexOf(missing, StringComparison.Ordinal);
        if (m >= 0) message = "missing " + string.Join(", ", message[(m + missing.Length)..].TrimEnd('.').Split(", ").Select(n => $"\"{n.Trim('\'')}\""));
        else if (message.Contains("could not be converted", StringComparison.Ordinal) && path is not null)
            message = ExpectedValue(path) is { } expected ? $"expected {expected}" : "has a value of the wrong type";
        else if (message.Contains("doesn't allow null values", StringComparison.Ordinal) || message.Contains("does not allow null values", StringComparison.Ordinal))
            message = "must not be null";
        else if (e is InvalidOperationException or ArgumentException && e.InnerException is null && path is null)
            message = $"a string is not valid text ({message})";
        int cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        message = message.TrimEnd('.');
        return path is { Length: > 1 } p && p.StartsWith("$.", StringComparison.Ordinal) ? $"field \"{p[2..]}\": {message}" : message;
    }

    /// <summary>What the schema expects at a JSON path such as <c>$.architecture.layers[0].index</c>, in words; null when unknown.</summary>
    private static string? ExpectedValue(string path)
    {
        Type? type = null;
        foreach (var info in new System.Text.Json.Serialization.Metadata.JsonTypeInfo[] { RunJsonContext.Default.RunManifest, RunJsonContext.Default.SnapshotEntry, RunJsonContext.Default.RunSummary })
            if (Walk(info.Type, path) is { } found) { type = found; break; }
        if (type is null) return null;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => $"\"{JsonSerializer.Serialize(Enum.Parse(type, n), type, RunJsonContext.Default).Trim('"')}\""));
        if (type == typeof(int) || type == typeof(long)) return "a whole number";
        if (type == typeof(double) || type == typeof(float)) return "a number";
        if (type == typeof(string) || type == typeof(DateTimeOffset)) return type == typeof(string) ? "a string" : "an ISO-8601 time";
        if (type == typeof(bool)) return "true or false";
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)) return "an array";
        return "an object";
    }

    private static Type? Walk(Type root, string path)
    {
        Type? type = root;
        foreach (var raw in path.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = raw;
            int bracket = name.IndexOf('[');
            int indexes = bracket < 0 ? 0 : name.Count(c => c == '[');
            if (bracket >= 0) name = name[..bracket];
            var info = RunJsonContext.Default.GetTypeInfo(type!);
            var property = info?.Properties.FirstOrDefault(p => p.Name == name);
            if (property is null) return null;
            type = property.PropertyType;
            for (int i = 0; i < indexes && type is not null; i++)
                type = type.IsGenericType ? type.GetGenericArguments()[^1] : null;
            if (type is null) return null;
        }
        return type == root ? null : type;
    }
}
