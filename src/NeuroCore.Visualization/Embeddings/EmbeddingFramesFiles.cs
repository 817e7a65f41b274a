using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeuroCore.Visualization.Embeddings;

/// <summary>
/// An animation's frames on disk: <c>frames/step-&lt;N&gt;.tsv</c> (one row of coordinates per point, the same points in
/// the same order as <c>embedding.tsv</c> and <c>metadata.tsv</c>) and the index <c>frames/frames.json</c>
/// (format <c>neurocore-embedding-frames</c>, version 1). Every file is written to a temporary name and renamed,
/// the index last, so a reader that finds the index finds every frame it lists.
/// </summary>
public static class EmbeddingFramesFiles
{
    /// <summary>The folder (inside the output folder) holding the frames.</summary>
    public const string FolderName = "frames";

    /// <summary>The index's file name.</summary>
    public const string IndexFileName = "frames.json";

    /// <summary>The file name of the frame at <paramref name="step"/>.</summary>
    public static string FrameFileName(long step) => $"step-{step.ToString(CultureInfo.InvariantCulture)}.tsv";

    /// <summary>The index document.</summary>
    public static JsonObject ToJson(RunLayerAnimation animation)
    {
        ArgumentNullException.ThrowIfNull(animation);
        var a = animation.Animation;
        var frames = new JsonArray();
        foreach (var f in a.Frames)
            frames.Add(new JsonObject
            {
                ["step"] = f.Step,
                ["file"] = FrameFileName(f.Step),
                ["klDivergence"] = f.KlDivergence is { } kl && double.IsFinite(kl) ? kl : null,
                ["iterations"] = f.Iterations,
                ["displacement"] = f.Displacement,
            });
        return new JsonObject
        {
            ["format"] = "neurocore-embedding-frames",
            ["version"] = 1,
            ["layer"] = animation.Layer,
            ["recordedAs"] = animation.RecordedAs,
            ["method"] = animation.Last.Method,
            ["dimensions"] = a.Dimensions,
            ["count"] = a.Count,
            ["description"] = animation.Last.Source.Description,
            ["seconds"] = a.Seconds,
            ["frames"] = frames,
        };
    }

    /// <summary>Writes every frame and then the index into <paramref name="folder"/>/frames; returns the paths written.</summary>
    public static IReadOnlyList<string> Write(RunLayerAnimation animation, string folder)
    {
        ArgumentNullException.ThrowIfNull(animation);
        ArgumentNullException.ThrowIfNull(folder);
        var dir = Path.Combine(folder, FolderName);
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        foreach (var f in animation.Animation.Frames)
        {
            var path = Path.Combine(dir, FrameFileName(f.Step));
            EmbeddingTsv.Write(path, f.Coordinates, animation.Animation.Dimensions);
            written.Add(path);
        }
        var index = Path.Combine(dir, IndexFileName);
        AtomicText.WriteText(index, w => w.Write(ToJson(animation).ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
        written.Add(index);
        return written;
    }
}
