namespace NeuroCore.Visualization.Embeddings;

/// <summary>Writes every output of an embedding into one folder: Projector files, <c>embedding.tsv</c>, <c>embedding.json</c>, <c>embedding.glb</c>.</summary>
public static class EmbeddingWriter
{
    /// <summary>Writes everything; returns the paths written.</summary>
    public static IReadOnlyList<string> WriteAll(EmbeddingView view, string folder)
    {
        ArgumentNullException.ThrowIfNull(view);
        var written = new List<string>(ProjectorFiles.Write(view, folder));
        var json = Path.Combine(folder, EmbeddingJson.FileName);
        EmbeddingJson.Write(view, json);
        written.Add(json);
        written.AddRange(PointCloudGltf.Save(view, Path.Combine(folder, PointCloudGltf.FileName)));
        return written;
    }
}
