namespace NeuroCore.Embeddings;

/// <summary>
/// Points to embed with what describes them: the rows, an optional class label per row (and class names),
/// and the raw images for a sprite sheet when the points are images.
/// </summary>
/// <param name="Input">The rows.</param>
/// <param name="Labels">A class index per row, or null.</param>
/// <param name="ClassNames">Names of the class indices, or null.</param>
/// <param name="Images">The images behind the rows (N × H × W grey or N × H × W × 3 RGB, values 0..1), or null.</param>
/// <param name="ImageShape">[H, W] or [H, W, 3] of <paramref name="Images"/>.</param>
/// <param name="Description">Where the rows came from (for file headers and configs).</param>
public sealed record EmbeddingSource(EmbeddingInput Input, int[]? Labels, IReadOnlyList<string>? ClassNames, float[]? Images, int[]? ImageShape, string Description)
{
    /// <summary>The label text of row <paramref name="i"/> (class name, index, or empty).</summary>
    public string LabelText(int i) =>
        Labels is null ? "" : ClassNames is { } names && Labels[i] >= 0 && Labels[i] < names.Count ? names[Labels[i]] : Labels[i].ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The first <paramref name="count"/> rows with their labels and images (this source itself when it has no more).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public EmbeddingSource Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        int total = Input.Count;
        if (count >= total) return this;
        int d = Input.Dimensions;
        int perImage = Images is { } im ? im.Length / total : 0;
        return this with
        {
            Input = EmbeddingInput.FromRows(Input.Data.AsSpan(0, count * d).ToArray(), count, d),
            Labels = Labels?[..count],
            Images = Images?.AsSpan(0, count * perImage).ToArray(),
        };
    }
}
