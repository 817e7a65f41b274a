using NeuroCore.Kernels;

namespace NeuroCore.Embeddings;

/// <summary>How well an embedding keeps the structure of its input.</summary>
public static class EmbeddingMetrics
{
    /// <summary>
    /// Trustworthiness (Venna &amp; Kaski 2001, as scikit-learn's <c>trustworthiness</c>):
    /// T = 1 − 2 / (n k (2n − 3k − 1)) · Σ_i Σ_{j ∈ U_k(i)} max(0, r(i, j) − k), where U_k(i) are the k
    /// nearest neighbours of i in the embedding and r(i, j) the rank of j among i's neighbours in the input.
    /// 1 means no point has a false neighbour in the embedding.
    /// </summary>
    /// <param name="input">The original rows.</param>
    /// <param name="embedding">The embedded coordinates (N × <paramref name="dimensions"/>).</param>
    /// <param name="dimensions">Coordinates per point.</param>
    /// <param name="k">Neighbourhood size (must be below N / 2).</param>
    /// <param name="sampleRows">Evaluate the sum over this many random points (ranks still over all N) when N is larger; 0 = all.</param>
    /// <param name="seed">Seed of the sample.</param>
    public static double Trustworthiness(EmbeddingInput input, float[] embedding, int dimensions, int k = 10, int sampleRows = 0, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        int n = input.Count, d = input.Dimensions;
        if (embedding.Length != n * dimensions) throw new ArgumentException($"Trustworthiness: the embedding has {embedding.Length} values, expected {n} × {dimensions}.");
        if (k < 1 || k >= n / 2.0) throw new ArgumentOutOfRangeException(nameof(k), k, $"Trustworthiness: k must be in [1, {n / 2.0}) for {n} points.");
        var rows = Sample(n, sampleRows, seed);
        var embedded = NearestNeighbors.Find(embedding, n, dimensions, k, rows);
        var norms = new float[n];
        for (int i = 0; i < n; i++) norms[i] = System.Numerics.Tensors.TensorPrimitives.Dot(input.Row(i), input.Row(i));
        const int block = 128;
        int m = rows.Length;
        var dots = new float[block * n];
        var gathered = new float[block * d];
        double penalty = 0;
        var partial = new double[block];
        for (int r0 = 0; r0 < m; r0 += block)
        {
            int count = Math.Min(block, m - r0);
            for (int r = 0; r < count; r++) input.Row(rows[r0 + r]).CopyTo(gathered.AsSpan(r * d, d));
            Gemm.Multiply(false, true, count, n, d, -2f, gathered.AsSpan(0, count * d), d, input.Data, d, 0f, dots, n);
            Array.Clear(partial);
            Parallelism.For(count, r =>
            {
                int i = rows[r0 + r];
                var row = dots.AsSpan(r * n, n);
                // Squared input distances from i (the constant ‖x_i‖² does not change the ranks).
                for (int j = 0; j < n; j++) row[j] += norms[j];
                double s = 0;
                foreach (int j in embedded.Of(r0 + r))
                {
                    float dj = row[j];
                    // Rank of j among i's input neighbours (1 = nearest), ties broken by index like a stable argsort.
                    int rank = 0;
                    for (int l = 0; l < n; l++)
                    {
                        if (l == i) continue;
                        float dl = row[l];
                        if (dl < dj || dl == dj && l < j) rank++;
                    }
                    rank++;
                    if (rank > k) s += rank - k;
                }
                partial[r] = s;
            });
            for (int r = 0; r < count; r++) penalty += partial[r];
        }
        return 1 - 2.0 / (m * (double)k * (2.0 * n - 3.0 * k - 1.0)) * penalty;
    }

    /// <summary>
    /// Leave-one-out k-nearest-neighbour classification accuracy in the embedding: the share of points whose
    /// label is the most common among their <paramref name="k"/> nearest embedded neighbours (ties: smallest label).
    /// </summary>
    public static double KnnAccuracy(float[] embedding, int dimensions, IReadOnlyList<int> labels, int k = 10, int sampleRows = 0, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentNullException.ThrowIfNull(labels);
        int n = labels.Count;
        if (embedding.Length != n * dimensions) throw new ArgumentException($"kNN accuracy: the embedding has {embedding.Length} values, expected {n} × {dimensions}.");
        var rows = Sample(n, sampleRows, seed);
        var graph = NearestNeighbors.Find(embedding, n, dimensions, k, rows);
        int maxLabel = labels.Max();
        var votes = new int[maxLabel + 1];
        int correct = 0;
        for (int q = 0; q < rows.Length; q++)
        {
            Array.Clear(votes);
            foreach (int j in graph.Of(q)) votes[labels[j]]++;
            int best = 0;
            for (int c = 1; c < votes.Length; c++) if (votes[c] > votes[best]) best = c;
            if (best == labels[rows[q]]) correct++;
        }
        return correct / (double)rows.Length;
    }

    private static int[] Sample(int n, int sampleRows, int seed)
    {
        if (sampleRows <= 0 || sampleRows >= n) return Enumerable.Range(0, n).ToArray();
        var all = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(all);
        var rows = all[..sampleRows];
        Array.Sort(rows);
        return rows;
    }
}
