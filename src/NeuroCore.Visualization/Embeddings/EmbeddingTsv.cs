using System.Globalization;

namespace NeuroCore.Visualization.Embeddings;

/// <summary><c>embedding.tsv</c>: one row per point, its coordinates separated by tabs, no header (the Projector's tensor format).</summary>
public static class EmbeddingTsv
{
    /// <summary>The file name.</summary>
    public const string FileName = "embedding.tsv";

    /// <summary>Writes <paramref name="rows"/> (count × <paramref name="columns"/>) to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, ReadOnlySpan<float> rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (columns < 1 || rows.Length % columns != 0) throw new ArgumentException($"TSV: {rows.Length} values are not rows of {columns}.");
        var copy = rows.ToArray();
        AtomicText.WriteText(path, w =>
        {
            var sb = new System.Text.StringBuilder();
            for (int i = 0; i < copy.Length / columns; i++)
            {
                sb.Clear();
                for (int c = 0; c < columns; c++)
                {
                    if (c > 0) sb.Append('\t');
                    sb.Append(copy[i * columns + c].ToString("G7", CultureInfo.InvariantCulture));
                }
                w.WriteLine(sb);
            }
        });
    }
}
