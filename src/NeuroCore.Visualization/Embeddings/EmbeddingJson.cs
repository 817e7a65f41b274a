using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeuroCore.Visualization.Embeddings;

/// <summary>
/// <c>embedding.json</c>: the whole result in one document a viewer can load or a service can return
/// (format <c>neurocore-embedding</c>, version 1): every point's position, label, name and input-space neighbours.
/// </summary>
public static class EmbeddingJson
{
    /// <summary>The file name.</summary>
    public const string FileName = "embedding.json";

    /// <summary>The document as a JSON tree.</summary>
    public static JsonObject ToJson(EmbeddingView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.Validate();
        var points = new JsonArray();
        for (int i = 0; i < view.Count; i++)
        {
            var p = new JsonObject
            {
                ["index"] = i,
                ["name"] = view.NameOf(i),
                ["position"] = new JsonArray(Enumerable.Range(0, view.Dimensions).Select(a => (JsonNode)(double)view.Coordinates[i * view.Dimensions + a]).ToArray()),
            };
            if (view.Source.Labels is { } labels) { p["label"] = labels[i]; p["labelName"] = view.Source.LabelText(i); }
            if (view.Neighbors is { } g) p["neighbors"] = new JsonArray(g.Of(i).ToArray().Select(j => (JsonNode)j).ToArray());
            points.Add(p);
        }
        var metrics = new JsonObject();
        foreach (var (k, v) in view.Metrics) metrics[k] = double.IsFinite(v) ? v : null;
        return new JsonObject
        {
            ["format"] = "neurocore-embedding",
            ["version"] = 1,
            ["method"] = view.Method,
            ["dimensions"] = view.Dimensions,
            ["count"] = view.Count,
            ["inputDimensions"] = view.Source.Input.Dimensions,
            ["description"] = view.Source.Description,
            ["classes"] = view.Source.ClassNames is { } c ? new JsonArray(c.Select(s => (JsonNode)s).ToArray()) : null,
            ["metrics"] = metrics,
            ["points"] = points,
        };
    }

    /// <summary>Writes the document to <paramref name="path"/> atomically.</summary>
    public static void Write(EmbeddingView view, string path) =>
        AtomicText.WriteText(path, w => w.Write(ToJson(view).ToJsonString(new JsonSerializerOptions { WriteIndented = false })));
}
