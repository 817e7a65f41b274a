using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NeuroCore.Embeddings;
using NeuroCore.Visualization.Color;
using NeuroCore.Visualization.Embeddings;

namespace NeuroCore.Viewer;

/// <summary>
/// Embedding output folders (what <c>neurocore embed -o DIR</c> and <c>neurocore word2vec -o DIR</c> write) that the
/// viewer shows at <c>/embeddings/{name}</c>. Only folders added here are served, looked up by name: a URL never
/// carries a path. Each folder is checked when it is added (its <c>embedding.json</c> must parse as the writer's
/// format and stay within the size limits).
/// </summary>
public sealed partial class EmbeddingFolders
{
    /// <summary>The largest <c>embedding.json</c> served (64 MiB: about 400,000 points with their neighbours).</summary>
    public const long MaxDocumentBytes = 64L << 20;

    /// <summary>The most points an embedding may have to be served.</summary>
    public const int MaxPoints = 200_000;

    /// <summary>Neighbours computed per point when the document has none (in the embedding's own coordinates).</summary>
    internal const int ComputedNeighbors = 10;

    /// <summary>Above this many points, missing neighbours are not computed (an exact search is quadratic in N).</summary>
    internal const int MaxComputedNeighborPoints = 20_000;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Lock _gate = new();

    /// <summary>The names of the added folders, in the order they were added.</summary>
    public IReadOnlyList<string> Names { get { lock (_gate) return _order.ToList(); } }

    /// <summary>
    /// Adds <paramref name="folder"/> under its folder name and returns that name.
    /// </summary>
    /// <exception cref="ArgumentException">The folder is missing, holds no valid <c>embedding.json</c>, its name is not
    /// usable in a URL, or another folder has that name; the message says which.</exception>
    public string Add(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var full = Path.GetFullPath(folder);
        var name = Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        if (!Directory.Exists(full)) throw new ArgumentException($"embedding folder '{folder}': no such folder.");
        if (!NamePattern().IsMatch(name))
            throw new ArgumentException($"embedding folder '{folder}': the folder name '{name}' is used as the embedding's name and must be 1-100 letters, digits, '-', '_' or '.' (not starting with '.').");
        var entry = new Entry(name, full);
        entry.Load(folder); // validates now, so a bad folder stops the server at start
        lock (_gate)
        {
            if (_entries.ContainsKey(name)) throw new ArgumentException($"embedding folder '{folder}': an embedding named '{name}' was added already (from {_entries[name].Folder}); rename one folder.");
            _entries[name] = entry;
            _order.Add(name);
        }
        return name;
    }

    /// <summary>The folder added as <paramref name="name"/>, or null.</summary>
    public string? Folder(string name)
    {
        lock (_gate) return _entries.TryGetValue(name, out var e) ? e.Folder : null;
    }

    internal Entry? Find(string name)
    {
        lock (_gate) return _entries.TryGetValue(name, out var e) ? e : null;
    }

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex NamePattern();

    /// <summary>One folder: its checked document, rebuilt when <c>embedding.json</c> changes on disk.</summary>
    internal sealed class Entry(string name, string folder)
    {
        private readonly Lock _gate = new();
        private (DateTime Time, long Length) _stamp;
        private Prepared? _prepared;

        public string Name { get; } = name;

        public string Folder { get; } = folder;

        public string SpritePath => Path.Combine(Folder, SpriteSheet.FileName);

        /// <summary>The page's document and the list's summary, checked; re-read when the file changed.</summary>
        /// <exception cref="ArgumentException">The file is no longer a valid embedding document.</exception>
        public Prepared Load(string shownAs)
        {
            var path = Path.Combine(Folder, EmbeddingJson.FileName);
            var info = new FileInfo(path);
            if (!info.Exists) throw new ArgumentException($"embedding folder '{shownAs}': the folder has no {EmbeddingJson.FileName} (write one with 'neurocore embed -o DIR' or 'neurocore word2vec -o DIR').");
            lock (_gate)
            {
                var stamp = (info.LastWriteTimeUtc, info.Length);
                if (_prepared is not null && stamp == _stamp) return _prepared;
                if (info.Length > MaxDocumentBytes)
                    throw new ArgumentException($"embedding folder '{shownAs}': {EmbeddingJson.FileName} has {info.Length} bytes; at most {MaxDocumentBytes} are served.");
                _prepared = Prepare(Name, Folder, File.ReadAllText(path), shownAs);
                _stamp = stamp;
                return _prepared;
            }
        }
    }

    /// <summary>The answer of <c>GET /api/embeddings/{name}</c> (as text) and the list entry.</summary>
    internal sealed record Prepared(string Json, object Summary, bool HasSprite);

    /// <summary>Checks the document the writer produced and adds what the page needs: palette, neighbour space, sprite cells.</summary>
    internal static Prepared Prepare(string name, string folder, string text, string shownAs)
    {
        string Bad(string what) => $"embedding folder '{shownAs}': {EmbeddingJson.FileName} {what}";
        JsonObject doc;
        try { doc = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) as JsonObject ?? throw new ArgumentException(Bad("is not a JSON object.")); }
        catch (JsonException e) { throw new ArgumentException(Bad($"is not valid JSON ({e.Message.Split(". ")[0]}).")); }
        if (doc["format"]?.GetValueKind() != JsonValueKind.String || (string?)doc["format"] != "neurocore-embedding")
            throw new ArgumentException(Bad("is not a NeuroCore embedding (format must be 'neurocore-embedding')."));
        if (!Int(doc["version"], out var version) || version != 1)
            throw new ArgumentException(Bad($"has version {doc["version"]?.ToJsonString() ?? "(none)"}; this viewer reads version 1."));
        if (doc["points"] is not JsonArray points) throw new ArgumentException(Bad("has no 'points' array."));
        int n = points.Count;
        if (n < 1) throw new ArgumentException(Bad("has no points."));
        if (n > MaxPoints) throw new ArgumentException(Bad($"has {n} points; at most {MaxPoints} are served."));
        if (!Int(doc["dimensions"], out var dims) || dims is < 1 or > 3) throw new ArgumentException(Bad($"has dimensions {doc["dimensions"]?.ToJsonString() ?? "(none)"}; 1 to 3 are drawn."));
        int classes = doc["classes"] is JsonArray c ? c.Count : 0;
        var coords = new float[n * dims];
        bool allNeighbors = true;
        for (int i = 0; i < n; i++)
        {
            if (points[i] is not JsonObject p) throw new ArgumentException(Bad($"point {i} is not an object."));
            if (p["position"] is not JsonArray pos || pos.Count != dims) throw new ArgumentException(Bad($"point {i} has no position of {dims} numbers."));
            for (int a = 0; a < dims; a++)
            {
                if (pos[a] is not JsonValue v || !v.TryGetValue(out double x)) throw new ArgumentException(Bad($"point {i} has a position that is not {dims} numbers."));
                coords[i * dims + a] = (float)x;
                if (!float.IsFinite(coords[i * dims + a])) throw new ArgumentException(Bad($"point {i} has a position that is not finite."));
            }
            if (p["name"] is { } nm && nm.GetValueKind() != JsonValueKind.String) throw new ArgumentException(Bad($"point {i} has a name that is not text."));
            if (p["label"] is { } lb && (!Int(lb, out var label) || label < 0 || (classes > 0 && label >= classes)))
                throw new ArgumentException(Bad($"point {i} has label {lb.ToJsonString()}, not a class index{(classes > 0 ? $" below {classes}" : "")}."));
            if (p["neighbors"] is JsonArray nb)
            {
                foreach (var j in nb)
                    if (!Int(j, out var index) || index < 0 || index >= n)
                        throw new ArgumentException(Bad($"point {i} lists neighbour {j?.ToJsonString() ?? "null"}, not a point index below {n}."));
            }
            else allNeighbors = false;
        }
        // The writer stores every point's nearest neighbours in the input space; without them (a document written
        // elsewhere) the nearest points in the embedding's own coordinates are computed instead, and the page says so.
        string space = "input";
        if (!allNeighbors && n > MaxComputedNeighborPoints)
        {
            space = "none";
            foreach (var p in points) ((JsonObject)p!)["neighbors"] = new JsonArray();
        }
        else if (!allNeighbors)
        {
            space = "embedding";
            int k = Math.Min(ComputedNeighbors, n - 1);
            var graph = k >= 1 ? NearestNeighbors.Find(coords, n, dims, k) : null;
            for (int i = 0; i < n; i++)
                ((JsonObject)points[i]!)["neighbors"] = new JsonArray((graph is null ? [] : graph.Of(i).ToArray()).Select(j => (JsonNode)j).ToArray());
        }
        doc["name"] = name;
        doc["neighborSpace"] = space;
        doc["colors"] = new JsonArray(ClassColorMap.Colors.Select(x => (JsonNode)x.ToString()).ToArray());
        var sprite = SpriteCells(folder);
        if (sprite is { } s)
            doc["sprite"] = new JsonObject { ["url"] = $"/api/embeddings/{Uri.EscapeDataString(name)}/sprite.png", ["cellWidth"] = s.W, ["cellHeight"] = s.H };
        var summary = new
        {
            name,
            count = n,
            dimensions = dims,
            method = doc["method"]?.GetValueKind() == JsonValueKind.String ? (string?)doc["method"] : null,
            description = doc["description"]?.GetValueKind() == JsonValueKind.String ? (string?)doc["description"] : null,
            inputDimensions = Int(doc["inputDimensions"], out var inputDims) ? inputDims : (int?)null,
            classes,
            words = File.Exists(Path.Combine(folder, "vectors.txt")),
            sprite = sprite is not null,
            neighborSpace = space,
        };
        return new Prepared(doc.ToJsonString(), summary, sprite is not null);
    }

    /// <summary>A JSON whole number that fits an int.</summary>
    private static bool Int(JsonNode? node, out int value)
    {
        value = 0;
        return node is JsonValue v && node.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out value);
    }

    /// <summary>The sprite's cell size from the Projector config next to it, when both are there.</summary>
    private static (int W, int H)? SpriteCells(string folder)
    {
        var png = Path.Combine(folder, SpriteSheet.FileName);
        var config = Path.Combine(folder, ProjectorFiles.ConfigJson);
        if (!File.Exists(png) || !File.Exists(config) || new FileInfo(config).Length > 1 << 20) return null;
        try
        {
            if (JsonNode.Parse(File.ReadAllText(config))?["embeddings"] is not JsonArray list) return null;
            foreach (var e in list)
                if (e?["sprite"]?["singleImageDim"] is JsonArray d && d.Count == 2
                    && Int(d[0], out var w) && Int(d[1], out var h) && w is >= 1 and <= SpriteSheet.MaxSide && h is >= 1 and <= SpriteSheet.MaxSide)
                    return (w, h);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException) { }
        return null;
    }
}
