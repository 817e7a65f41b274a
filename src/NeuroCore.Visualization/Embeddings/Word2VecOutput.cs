using NeuroCore.Embeddings;

namespace NeuroCore.Visualization.Embeddings;

/// <summary>
/// Writes trained word vectors: <c>vectors.txt</c> (word2vec text format), a 3-D (or 2-D) t-SNE or PCA of the
/// most frequent words with the Projector files, <c>embedding.tsv/json/glb</c> (points named by their word),
/// and <c>word-groups.tsv</c> with the word-group test set's mean ranks.
/// </summary>
public static class Word2VecOutput
{
    /// <summary>Writes everything into <paramref name="folder"/>; returns the view of the embedded words and the files written.</summary>
    public static (EmbeddingView View, IReadOnlyList<string> Files, IReadOnlyList<WordGroupScore> Groups) Write(
        WordVectors vectors, string folder, int words = 5000, EmbedSettings? settings = null, IProgress<TsneProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        settings ??= new EmbedSettings();
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        var text = Path.Combine(folder, "vectors.txt");
        vectors.SaveText(text);
        files.Add(text);
        int n = Math.Min(words, vectors.Words.Count);
        var rows = vectors.Vectors.AsSpan(0, n * vectors.Dimensions).ToArray();
        var source = new EmbeddingSource(EmbeddingInput.FromRows(rows, n, vectors.Dimensions), null, null, null, null, $"word2vec, {n} most frequent words");
        var computed = EmbeddingPipeline.Run(source, settings, progress, cancellation);
        var view = computed with { Names = vectors.Words.Take(n).ToArray() };
        files.AddRange(EmbeddingWriter.WriteAll(view, folder));
        var groups = WordGroups.Evaluate(vectors);
        var groupsPath = Path.Combine(folder, "word-groups.tsv");
        AtomicText.WriteText(groupsPath, w =>
        {
            w.WriteLine("group\tmembers\tmissing\tmean_rank\tshare_in_top10");
            foreach (var g in groups)
                w.WriteLine(FormattableString.Invariant($"{g.Group}\t{string.Join(' ', g.Words)}\t{string.Join(' ', g.Missing)}\t{g.MeanRank:F2}\t{g.ShareInTop10:F3}"));
        });
        files.Add(groupsPath);
        return (view, files, groups);
    }
}
