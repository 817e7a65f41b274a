namespace NeuroCore.Embeddings;

/// <summary>
/// Rows to embed: a dense row-major float matrix of <see cref="Count"/> points with <see cref="Dimensions"/>
/// features each, checked once (finite values, at least one row and column) so the methods need not.
/// </summary>
public sealed class EmbeddingInput
{
    private EmbeddingInput(float[] data, int count, int dimensions)
    {
        Data = data;
        Count = count;
        Dimensions = dimensions;
    }

    /// <summary>The values, row after row (<see cref="Count"/> × <see cref="Dimensions"/>).</summary>
    public float[] Data { get; }

    /// <summary>How many points (rows).</summary>
    public int Count { get; }

    /// <summary>Features per point (columns).</summary>
    public int Dimensions { get; }

    /// <summary>Wraps <paramref name="data"/> (not copied) as <paramref name="count"/> rows of <paramref name="dimensions"/> values.</summary>
    /// <exception cref="ArgumentException">The sizes disagree, or a value is NaN or infinite (the message names the row and column).</exception>
    public static EmbeddingInput FromRows(float[] data, int count, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (count < 1 || dimensions < 1)
            throw new ArgumentException($"Embedding input: need at least one row and one column, got {count} × {dimensions}.");
        if ((long)count * dimensions != data.Length)
            throw new ArgumentException($"Embedding input: {count} × {dimensions} = {(long)count * dimensions} values expected, got {data.Length}.");
        for (int i = 0; i < data.Length; i++)
            if (!float.IsFinite(data[i]))
                throw new ArgumentException(
                    $"Embedding input: row {i / dimensions}, column {i % dimensions} is {data[i]}; every value must be finite (drop or impute such rows first).");
        return new EmbeddingInput(data, count, dimensions);
    }

    /// <summary>
    /// The rows of a float tensor: a tensor of shape [N, ...] becomes N rows of the remaining elements
    /// (images [N, 1, 28, 28] become rows of 784); a rank-1 tensor is N rows of one value.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor is not float32, is a scalar, or holds a non-finite value.</exception>
    public static EmbeddingInput FromTensor(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.DType != DType.Float32) throw new ArgumentException($"Embedding input: a float32 tensor is needed, got {tensor.DType}.");
        if (tensor.Rank == 0) throw new ArgumentException("Embedding input: a scalar has no rows; pass a tensor of shape [N, features].");
        int n = tensor.Size(0);
        int d = n == 0 ? 0 : tensor.Numel / n;
        return FromRows(tensor.ToArray(), n, d);
    }

    /// <summary>Row <paramref name="i"/>.</summary>
    public ReadOnlySpan<float> Row(int i) => Data.AsSpan(i * Dimensions, Dimensions);

    /// <summary>Throws when every column is constant, so that no method divides by a zero spread.</summary>
    internal void RequireVariance(string method)
    {
        var first = Row(0);
        for (int i = 1; i < Count; i++)
            if (!Row(i).SequenceEqual(first)) return;
        throw new ArgumentException($"{method}: all {Count} rows are identical (zero variance), so there is no structure to embed.");
    }
}
