using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NeuroCore.Snapshots;

/// <summary>JSON encoding of the manifest and index lines; parsing errors say which field is wrong.</summary>
internal static class RunJson
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    // ---- manifest ----

    internal static byte[] WriteManifest(RunManifest m)
    {
        var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, Indented))
        {
            w.WriteStartObject();
            w.WriteString("format", m.Format);
            w.WriteNumber("version", m.Version);
            w.WriteString("createdUtc", m.CreatedUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            if (m.Producer is not null) w.WriteString("producer", m.Producer);

            var a = m.Architecture;
            w.WriteStartObject("architecture");
            w.WriteString("type", a.TypeName);
            w.WriteNumber("parameterCount", a.ParameterCount);
            if (a.InputShape is not null) WriteInts(w, "inputShape", a.InputShape);
            w.WriteStartArray("layers");
            foreach (var l in a.Layers)
            {
                w.WriteStartObject();
                w.WriteNumber("index", l.Index);
                w.WriteString("name", l.Name);
                w.WriteString("type", l.TypeName);
                WriteMap(w, "config", l.Config);
                WriteTensorInfos(w, "parameters", l.Parameters);
                if (l.Buffers.Count > 0) WriteTensorInfos(w, "buffers", l.Buffers);
                w.WriteBoolean("isActivation", l.IsActivation);
                if (l.Activation is null) w.WriteNull("activation"); else w.WriteString("activation", l.Activation);
                if (l.OutputShape is not null) WriteInts(w, "outputShape", l.OutputShape);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();

            if (m.Dataset is { } d)
            {
                w.WriteStartObject("dataset");
                w.WriteString("name", d.Name);
                w.WriteNumber("count", d.Count);
                WriteInts(w, "inputShape", d.InputShape);
                if (d.Classes is int c) w.WriteNumber("classes", c);
                if (d.ClassNames is not null)
                {
                    w.WriteStartArray("classNames");
                    foreach (var n in d.ClassNames) w.WriteStringValue(n);
                    w.WriteEndArray();
                }
                if (d.Details.Count > 0) WriteMap(w, "details", d.Details);
                w.WriteEndObject();
            }

            WriteMap(w, "hyperParameters", m.HyperParameters);

            if (m.Probe is { } p)
            {
                w.WriteStartObject("probe");
                w.WriteString("file", p.File);
                w.WriteNumber("count", p.Count);
                WriteInts(w, "inputShape", p.InputShape);
                if (p.Labels is not null)
                {
                    w.WriteStartArray("labels");
                    foreach (var v in p.Labels) w.WriteNumberValue(v);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }

            w.WriteStartObject("storage");
            w.WriteString("parameters", PrecisionName(m.Storage.Parameters));
            w.WriteString("activations", PrecisionName(m.Storage.Activations));
            w.WriteString("gradients", m.Storage.Gradients.ToString().ToLowerInvariant());
            w.WriteEndObject();
            w.WriteEndObject();
        }
        ms.WriteByte((byte)'\n');
        return ms.ToArray();
    }

    internal static RunManifest ReadManifest(string path, byte[] bytes)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new SnapshotFormatException(path, $"corrupt manifest: not valid JSON ({e.Message})", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new SnapshotFormatException(path, "corrupt manifest: not a JSON object.");
            string format = root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "";
            if (format != SnapshotFormat.Name)
                throw new SnapshotFormatException(path, format.Length == 0
                    ? $"not a NeuroCore training run: the manifest has no \"format\": \"{SnapshotFormat.Name}\"."
                    : $"unknown format \"{format}\" (expected \"{SnapshotFormat.Name}\").");
            if (!root.TryGetProperty("version", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int version) || version < 1)
                throw new SnapshotFormatException(path, "corrupt manifest: \"version\" must be a positive integer.");
            if (version > SnapshotFormat.Version)
                throw new SnapshotFormatException(path,
                    $"format version {version} is newer than this NeuroCore reads (up to {SnapshotFormat.Version}); upgrade NeuroCore to open this run.");
            try
            {
                return ParseManifest(root, version);
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException)
            {
                throw new SnapshotFormatException(path, $"corrupt manifest: {e.Message}", e);
            }
        }
    }

    private static RunManifest ParseManifest(JsonElement root, int version)
    {
        var arch = Required(root, "architecture");
        var layers = new List<LayerInfo>();
        int i = 0;
        foreach (var l in Required(arch, "layers").EnumerateArray())
        {
            layers.Add(new LayerInfo
            {
                Index = l.TryGetProperty("index", out var ix) ? ix.GetInt32() : i,
                Name = RequiredString(l, "name"),
                TypeName = RequiredString(l, "type"),
                Config = ReadMap(l, "config"),
                Parameters = ReadTensorInfos(l, "parameters"),
                Buffers = ReadTensorInfos(l, "buffers"),
                IsActivation = l.TryGetProperty("isActivation", out var ia) && ia.ValueKind == JsonValueKind.True,
                Activation = l.TryGetProperty("activation", out var act) && act.ValueKind == JsonValueKind.String ? act.GetString() : null,
                OutputShape = OptionalInts(l, "outputShape"),
            });
            i++;
        }
        DatasetInfo? dataset = null;
        if (root.TryGetProperty("dataset", out var d) && d.ValueKind == JsonValueKind.Object)
        {
            dataset = new DatasetInfo
            {
                Name = RequiredString(d, "name"),
                Count = d.TryGetProperty("count", out var c) ? c.GetInt32() : 0,
                InputShape = OptionalInts(d, "inputShape") ?? [],
                Classes = d.TryGetProperty("classes", out var k) && k.ValueKind == JsonValueKind.Number ? k.GetInt32() : null,
                ClassNames = d.TryGetProperty("classNames", out var cn) && cn.ValueKind == JsonValueKind.Array
                    ? cn.EnumerateArray().Select(x => x.GetString() ?? "").ToArray() : null,
                Details = ReadMap(d, "details"),
            };
        }
        ProbeInfo? probe = null;
        if (root.TryGetProperty("probe", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            probe = new ProbeInfo
            {
                File = p.TryGetProperty("file", out var pf) ? pf.GetString() ?? SnapshotFormat.ProbeFileName : SnapshotFormat.ProbeFileName,
                Count = p.TryGetProperty("count", out var pc) ? pc.GetInt32() : 0,
                InputShape = OptionalInts(p, "inputShape") ?? [],
                Labels = p.TryGetProperty("labels", out var pl) && pl.ValueKind == JsonValueKind.Array
                    ? pl.EnumerateArray().Select(x => x.GetInt64()).ToArray() : null,
            };
        }
        var storage = new SnapshotStorage();
        if (root.TryGetProperty("storage", out var s) && s.ValueKind == JsonValueKind.Object)
        {
            storage = new SnapshotStorage
            {
                Parameters = ParsePrecision(s, "parameters"),
                Activations = ParsePrecision(s, "activations"),
                Gradients = s.TryGetProperty("gradients", out var g) ? g.GetString() switch
                {
                    "none" => GradientRecording.None,
                    "norms" => GradientRecording.Norms,
                    "full" => GradientRecording.Full,
                    var other => throw new FormatException($"\"storage.gradients\" is \"{other}\" (expected none, norms or full)."),
                } : GradientRecording.Norms,
            };
        }
        return new RunManifest
        {
            Format = SnapshotFormat.Name,
            Version = version,
            CreatedUtc = root.TryGetProperty("createdUtc", out var cu) && cu.TryGetDateTimeOffset(out var when) ? when : default,
            Producer = root.TryGetProperty("producer", out var pr) ? pr.GetString() : null,
            Architecture = new ModelArchitecture
            {
                TypeName = RequiredString(arch, "type"),
                ParameterCount = arch.TryGetProperty("parameterCount", out var pcount) ? pcount.GetInt64() : 0,
                InputShape = OptionalInts(arch, "inputShape"),
                Layers = layers,
            },
            Dataset = dataset,
            HyperParameters = ReadMap(root, "hyperParameters"),
            Probe = probe,
            Storage = storage,
        };
    }

    // ---- index lines ----

    internal static string WriteEntry(SnapshotEntry e)
    {
        var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteNumber("step", e.Step);
            w.WriteNumber("epoch", e.Epoch);
            w.WriteString("time", e.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            WriteDouble(w, "elapsed", e.ElapsedSeconds);
            WriteDouble(w, "loss", e.Loss);
            WriteDouble(w, "lr", e.LearningRate);
            w.WriteStartObject("metrics");
            foreach (var (k, v) in e.Metrics) WriteDouble(w, k, v);
            w.WriteEndObject();
            w.WriteString("file", e.File);
            w.WriteNumber("bytes", e.Bytes);
            w.WriteString("reason", e.Reason);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Parses one index line; throws <see cref="FormatException"/> describing what is wrong.</summary>
    internal static SnapshotEntry ReadEntry(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object) throw new FormatException("not a JSON object");
            var metrics = new Dictionary<string, double>();
            if (r.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object)
                foreach (var p in m.EnumerateObject())
                    if (ReadDouble(p.Value) is double dv) metrics[p.Name] = dv;
            string file = RequiredString(r, "file");
            if (Path.IsPathRooted(file) || file.Split('/', '\\').Contains(".."))
                throw new FormatException($"file \"{file}\" points outside the run folder");
            return new SnapshotEntry
            {
                Step = Required(r, "step").GetInt32(),
                Epoch = r.TryGetProperty("epoch", out var ep) ? ep.GetInt32() : 0,
                Time = r.TryGetProperty("time", out var t) && t.TryGetDateTimeOffset(out var time) ? time : default,
                ElapsedSeconds = r.TryGetProperty("elapsed", out var el) ? ReadDouble(el) ?? 0 : 0,
                Loss = r.TryGetProperty("loss", out var l) ? ReadDouble(l) : null,
                LearningRate = r.TryGetProperty("lr", out var lr) ? ReadDouble(lr) : null,
                Metrics = metrics,
                File = file,
                Bytes = r.TryGetProperty("bytes", out var b) ? b.GetInt64() : -1,
                Reason = r.TryGetProperty("reason", out var rs) ? rs.GetString() ?? "" : "",
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException(e.Message, e);
        }
    }

    // ---- helpers ----

    /// <summary>A config or hyper-parameter value as JSON; enums by name, so readers need not know their numbering.</summary>
    internal static JsonElement ToElement(object? value) => value switch
    {
        Enum e => JsonSerializer.SerializeToElement(e.ToString()),
        _ => JsonSerializer.SerializeToElement(value, value?.GetType() ?? typeof(object)),
    };

    private static string PrecisionName(SnapshotPrecision p) => p == SnapshotPrecision.Float16 ? "float16" : "float32";

    private static SnapshotPrecision ParsePrecision(JsonElement s, string name) =>
        !s.TryGetProperty(name, out var v) ? SnapshotPrecision.Float32 : v.GetString() switch
        {
            "float32" => SnapshotPrecision.Float32,
            "float16" => SnapshotPrecision.Float16,
            var other => throw new FormatException($"\"storage.{name}\" is \"{other}\" (expected float32 or float16)."),
        };

    /// <summary>Finite numbers as JSON numbers; NaN and infinities (a diverging loss) as strings, since JSON has no literal for them.</summary>
    private static void WriteDouble(Utf8JsonWriter w, string name, double? value)
    {
        if (value is not double v) w.WriteNull(name);
        else if (double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteString(name, double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    }

    private static double? ReadDouble(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => throw new FormatException($"\"{s}\" is not a number"),
        },
        JsonValueKind.Null => null,
        _ => throw new FormatException($"expected a number, got {e.ValueKind}"),
    };

    private static void WriteInts(Utf8JsonWriter w, string name, IEnumerable<int> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void WriteTensorInfos(Utf8JsonWriter w, string name, IReadOnlyList<TensorInfo> infos)
    {
        w.WriteStartArray(name);
        foreach (var t in infos)
        {
            w.WriteStartObject();
            w.WriteString("name", t.Name);
            WriteInts(w, "shape", t.Shape);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, JsonElement> map)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in map)
        {
            w.WritePropertyName(k);
            v.WriteTo(w);
        }
        w.WriteEndObject();
    }

    private static IReadOnlyDictionary<string, JsonElement> ReadMap(JsonElement parent, string name)
    {
        var map = new Dictionary<string, JsonElement>();
        if (parent.TryGetProperty(name, out var o) && o.ValueKind == JsonValueKind.Object)
            foreach (var p in o.EnumerateObject()) map[p.Name] = p.Value.Clone();
        return map;
    }

    private static IReadOnlyList<TensorInfo> ReadTensorInfos(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var arr) || arr.ValueKind != JsonValueKind.Array) return [];
        return arr.EnumerateArray().Select(t => new TensorInfo(RequiredString(t, "name"), OptionalInts(t, "shape") ?? [])).ToArray();
    }

    private static int[]? OptionalInts(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray().Select(x => x.GetInt32()).ToArray() : null;

    private static JsonElement Required(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : throw new FormatException($"missing \"{name}\"");

    private static string RequiredString(JsonElement parent, string name) =>
        Required(parent, name).GetString() ?? throw new FormatException($"\"{name}\" must be a string");
}
