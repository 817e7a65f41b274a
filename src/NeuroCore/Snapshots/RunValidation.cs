using System.Globalization;
using System.Text.Json;
using NeuroCore.NN;

namespace NeuroCore.Snapshots;

/// <summary>
/// The training-run format's rules, in one place: what a valid manifest, index line and summary are
/// (beyond JSON types, which <see cref="RunJsonContext"/> enforces). A violation is a
/// <see cref="SnapshotFormatException"/> (manifest, summary) or a <see cref="FormatException"/> (an index
/// line, which the reader skips with a warning), naming the field and what is wrong.
/// </summary>
internal static class RunValidation
{
    /// <summary>The hyper-parameter holding the planned number of epochs.</summary>
    internal const string EpochsKey = "epochs";

    /// <summary>The hyper-parameter names a learning rate is recorded under (NeuroCore's first, then PyTorch scripts' habit).</summary>
    internal static readonly string[] LearningRateKeys = ["learningRate", "lr"];

    /// <summary>Hyper-parameters that must be whole numbers when present.</summary>
    private static readonly string[] WholeNumberKeys = [EpochsKey, "batchSize", "seed"];

    /// <summary>Longest relative file name accepted (well under every file system's path limit).</summary>
    internal const int MaxFileNameLength = 1024;

    /// <summary>Checks <c>format</c> and <c>version</c>; returns the version.</summary>
    internal static int CheckHeader(string path, RunHeader header)
    {
        // The JSON parser checks a string's UTF-8 and its escapes only when the string is read: a mangled byte
        // or a lone surrogate (\udc00) in "format" is a format error like any other wrong value, not the
        // transcoder's InvalidOperationException.
        string format;
        try { format = header.Format.ValueKind == JsonValueKind.String ? header.Format.GetString() ?? "" : ""; }
        catch (InvalidOperationException)
        {
            throw new SnapshotFormatException(path, $"corrupt manifest: field \"format\" is not valid text (invalid UTF-8 or a lone surrogate; expected \"{SnapshotFormat.Name}\").");
        }
        if (format != SnapshotFormat.Name)
            throw new SnapshotFormatException(path, format.Length == 0
                ? $"not a NeuroCore training run: the manifest has no \"format\": \"{SnapshotFormat.Name}\"."
                : $"unknown format \"{Printable(format)}\" (expected \"{SnapshotFormat.Name}\").");
        if (header.Version.ValueKind != JsonValueKind.Number || !header.Version.TryGetInt32(out int version) || version < 1)
            throw new SnapshotFormatException(path, "corrupt manifest: \"version\" must be a positive integer.");
        if (version > SnapshotFormat.Version)
            throw new SnapshotFormatException(path,
                $"format version {version} is newer than this NeuroCore reads (up to {SnapshotFormat.Version}); upgrade NeuroCore to open this run.");
        return version;
    }

    /// <summary>
    /// Validates a parsed manifest, fills what version 1 left implicit (each activation's layer) and restores
    /// the documented defaults of fields a file omits (the source generator leaves them null:
    /// dotnet/runtime#84484).
    /// </summary>
    internal static RunManifest Manifest(string path, RunManifest m)
    {
        m = WithDefaults(m);
        void Fail(string field, string problem) => throw new SnapshotFormatException(path, $"corrupt manifest: field \"{field}\" {problem}.");

        var arch = m.Architecture;
        Shape(arch.InputShape, "architecture.inputShape", Fail);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var layers = new List<LayerInfo>(arch.Layers.Count);
        for (int i = 0; i < arch.Layers.Count; i++)
        {
            var l = arch.Layers[i];
            string at = $"architecture.layers[{i}]";
            if (!names.Add(l.Name)) Fail($"{at}.name", $"repeats the layer name \"{Printable(l.Name)}\"");
            Shape(l.OutputShape, $"{at}.outputShape", Fail);
            for (int j = 0; j < l.Parameters.Count; j++) Shape(l.Parameters[j].Shape, $"{at}.parameters[{j}].shape", Fail);
            for (int b = 0; b < l.Buffers.Count; b++) Shape(l.Buffers[b].Shape, $"{at}.buffers[{b}].shape", Fail);
            Strings(l.Config, $"{at}.config", Fail);
            layers.Add(l);
        }
        // Version 1 named only the function; its layer is the layer itself when it is an activation, else the next one.
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i].Activation is not { } act) continue;
            string layer = act.Layer;
            if (layer.Length == 0 && m.Version < 2)
                layer = layers[i].IsActivation || i + 1 >= layers.Count ? layers[i].Name : layers[i + 1].Name;
            else if (!names.Contains(layer) && !(layer.Length == 0 && layers[i].Name.Length == 0))
                Fail($"architecture.layers[{i}].activation.layer", $"names \"{Printable(layer)}\", which is not a layer of the architecture");
            layers[i] = layers[i] with { Activation = act with { Layer = layer } };
        }

        if (m.Dataset is { } d)
        {
            if (d.Count < 0) Fail("dataset.count", $"is {d.Count}; expected 0 or more");
            if (d.Classes is < 0) Fail("dataset.classes", $"is {d.Classes}; expected 0 or more");
            Shape(d.InputShape, "dataset.inputShape", Fail);
            Strings(d.Details, "dataset.details", Fail);
        }
        Strings(m.HyperParameters, "hyperParameters", Fail);
        foreach (var key in WholeNumberKeys)
            if (m.HyperParameters.TryGetValue(key, out var v) && v.ValueKind != JsonValueKind.Null
                && !(v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out _)))
                Fail($"hyperParameters.{key}", $"is {Printable(v.GetRawText())}; expected a whole number");
        foreach (var key in LearningRateKeys)
            if (m.HyperParameters.TryGetValue(key, out var v) && v.ValueKind is not (JsonValueKind.Number or JsonValueKind.Null))
                Fail($"hyperParameters.{key}", $"is {Printable(v.GetRawText())}; expected a number");

        if (m.Probe is { } p)
        {
            if (CheckRelativeFile(p.File) is { } problem) Fail("probe.file", problem);
            if (p.Count < 0) Fail("probe.count", $"is {p.Count}; expected 0 or more");
            Shape(p.InputShape, "probe.inputShape", Fail);
            if (p.Labels is { } labels && labels.Count != p.Count)
                Fail("probe.labels", $"has {labels.Count} labels but probe.count is {p.Count}");
        }
        return m with { Architecture = arch with { Layers = layers } };
    }

    /// <summary>Validates an index line's values (restoring defaults of omitted fields); throws <see cref="FormatException"/> naming the field.</summary>
    internal static SnapshotEntry Entry(SnapshotEntry e)
    {
        // A snapshot file is never empty, so "bytes": 0 can only mean "not recorded", like an omitted field.
        e = e with
        {
            Metrics = e.Metrics ?? new Dictionary<string, double>(),
            Reason = e.Reason ?? "",
            Bytes = e.Bytes == 0 ? -1 : e.Bytes,
        };
        if (e.Step < 0) throw new FormatException($"field \"step\" is {e.Step}; expected 0 or more");
        if (CheckRelativeFile(e.File) is { } problem) throw new FormatException($"field \"file\" {problem}");
        if (e.Bytes < -1) throw new FormatException($"field \"bytes\" is {e.Bytes}; expected 0 or more");
        return e;
    }

    // Omitted optional fields come back null from the source-generated reader; the format's defaults apply.
    private static RunManifest WithDefaults(RunManifest m) => m with
    {
        HyperParameters = m.HyperParameters ?? new Dictionary<string, JsonElement>(),
        Storage = m.Storage ?? new SnapshotStorage(),
        Architecture = m.Architecture with
        {
            Layers = [.. (m.Architecture.Layers ?? []).Select((l, i) => l with
            {
                Index = i, // position in forward order, whatever the file says
                Config = l.Config ?? new Dictionary<string, JsonElement>(),
                Parameters = l.Parameters ?? [],
                Buffers = l.Buffers ?? [],
            })],
        },
        Dataset = m.Dataset is { } d ? d with
        {
            InputShape = d.InputShape ?? [],
            Details = d.Details ?? new Dictionary<string, JsonElement>(),
        } : null,
        Probe = m.Probe is { } p ? p with
        {
            File = p.File ?? SnapshotFormat.ProbeFileName,
            InputShape = p.InputShape ?? [],
        } : null,
    };

    /// <summary>Validates <c>summary.json</c>.</summary>
    internal static RunSummary Summary(string path, RunSummary s)
    {
        if (s.Snapshots < 0) throw new SnapshotFormatException(path, $"corrupt summary: field \"snapshots\" is {s.Snapshots}; expected 0 or more.");
        return s;
    }

    /// <summary>
    /// Why <paramref name="file"/> is not a safe file name relative to the run folder (empty, absolute,
    /// climbing out with <c>..</c>, holding control characters or backslashes, too long), or null when it is one.
    /// </summary>
    internal static string? CheckRelativeFile(string? file)
    {
        if (string.IsNullOrWhiteSpace(file)) return "is empty; expected a file name relative to the run folder";
        if (file.Length > MaxFileNameLength) return $"is {file.Length} characters long; at most {MaxFileNameLength} are allowed";
        if (file.Any(char.IsControl)) return $"\"{Printable(file)}\" holds a control character (such as NUL)";
        if (file.Contains('\\')) return $"\"{Printable(file)}\" holds a backslash; names are '/'-separated";
        if (file.StartsWith('/') || Path.IsPathRooted(file) || file.Contains(':')) return $"\"{Printable(file)}\" is an absolute path; expected a path relative to the run folder";
        if (file.Split('/').Any(s => s is ".." or "." or "")) return $"\"{Printable(file)}\" points outside the run folder (or has empty or '.' parts)";
        return null;
    }

    /// <summary>The full path of a validated relative <paramref name="file"/> inside <paramref name="folder"/>; throws when it would leave it.</summary>
    internal static string Resolve(string folder, string file, string manifestPath, string field)
    {
        if (CheckRelativeFile(file) is { } problem) throw new SnapshotFormatException(manifestPath, $"corrupt manifest: field \"{field}\" {problem}.");
        string full = Path.GetFullPath(Path.Combine(folder, file));
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal))
            throw new SnapshotFormatException(manifestPath, $"corrupt manifest: field \"{field}\" \"{Printable(file)}\" points outside the run folder.");
        return full;
    }

    // A per-example or tensor shape: non-negative sizes whose product fits a tensor (int elements).
    private static void Shape(IReadOnlyList<int>? shape, string field, Action<string, string> fail)
    {
        if (shape is null) return;
        long product = 1;
        for (int i = 0; i < shape.Count; i++)
        {
            if (shape[i] < 0) fail(field, $"has size {shape[i]} in dimension {i}; sizes must be 0 or more");
            product = Math.Min(product * Math.Max(shape[i], 0), (long)int.MaxValue + 1);
        }
        if (product > int.MaxValue)
            fail(field, $"[{string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))}] has more than {int.MaxValue} elements");
    }

    // Free-form JSON values are kept as JsonElement; reading a string holding a lone surrogate would fail later, far from the file.
    private static void Strings(IReadOnlyDictionary<string, JsonElement> map, string field, Action<string, string> fail)
    {
        foreach (var (key, value) in map) Strings(value, $"{field}.{key}", fail);
    }

    private static void Strings(JsonElement e, string field, Action<string, string> fail)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                try { _ = e.GetString(); }
                catch (InvalidOperationException) { fail(field, "holds text that is not valid Unicode (a lone surrogate or invalid UTF-8)"); }
                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in e.EnumerateArray()) Strings(item, $"{field}[{i++}]", fail);
                break;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) Strings(p.Value, $"{field}.{p.Name}", fail);
                break;
        }
    }

    /// <summary>A string cut to 80 characters with control characters escaped, safe to put in a message.</summary>
    internal static string Printable(string s)
    {
        var text = s.Length > 80 ? s[..80] + "…" : s;
        return string.Concat(text.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
