namespace NeuroCore.Embeddings;

/// <summary>
/// A sparse symmetric matrix in compressed rows (CSR): the joint affinities p_ij of t-SNE, which are
/// non-zero only between neighbours, so memory is O(N·k).
/// </summary>
public sealed class SparseAffinities
{
    internal SparseAffinities(int count, int[] rowStart, int[] columns, double[] values)
    {
        Count = count;
        RowStart = rowStart;
        Columns = columns;
        Values = values;
    }

    /// <summary>Rows (= columns).</summary>
    public int Count { get; }

    /// <summary>Row i's entries are at [RowStart[i], RowStart[i + 1]).</summary>
    public int[] RowStart { get; }

    /// <summary>Column of each entry, ascending within a row.</summary>
    public int[] Columns { get; }

    /// <summary>Value of each entry.</summary>
    public double[] Values { get; }

    /// <summary>The dense N × N matrix (for the exact reference gradient on small sets).</summary>
    public double[] ToDense()
    {
        var dense = new double[(long)Count * Count];
        for (int i = 0; i < Count; i++)
            for (int e = RowStart[i]; e < RowStart[i + 1]; e++) dense[(long)i * Count + Columns[e]] = Values[e];
        return dense;
    }

    /// <summary>(P + Pᵀ) / sum of the conditional rows <paramref name="conditional"/> laid out as <paramref name="graph"/>.</summary>
    internal static SparseAffinities Symmetrize(NeighborGraph graph, double[] conditional)
    {
        int n = graph.Count, k = graph.K;
        // Count entries per row of P + Pᵀ: every (i, j) adds to row i and row j; duplicates merge below.
        var degree = new int[n + 1];
        for (int i = 0; i < n; i++)
            foreach (int j in graph.Of(i)) { degree[i]++; degree[j]++; }
        var start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + degree[i];
        var cols = new int[start[n]];
        var vals = new double[start[n]];
        var fill = (int[])start.Clone();
        for (int i = 0; i < n; i++)
            for (int e = 0; e < k; e++)
            {
                int j = graph.Indices[i * k + e];
                double v = conditional[i * k + e];
                cols[fill[i]] = j; vals[fill[i]++] = v;
                cols[fill[j]] = i; vals[fill[j]++] = v;
            }
        // Sort each row by column (rows are independent: in parallel), then merge duplicates (i→j and j→i both present).
        int parts = Math.Min(n, 8 * Parallelism.MaxThreads);
        Parallelism.For(parts, part =>
        {
            int lo = (int)((long)n * part / parts), hi = (int)((long)n * (part + 1) / parts);
            for (int i = lo; i < hi; i++) Array.Sort(cols, vals, start[i], start[i + 1] - start[i]);
        });
        var outStart = new int[n + 1];
        int w = 0;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            int s = start[i], len = start[i + 1] - s;
            outStart[i] = w;
            for (int e = s; e < s + len; e++)
            {
                if (w > outStart[i] && cols[w - 1] == cols[e]) vals[w - 1] += vals[e];
                else { cols[w] = cols[e]; vals[w] = vals[e]; w++; }
                total += vals[e];
            }
        }
        outStart[n] = w;
        if (!(total > 0)) throw new ArgumentException("t-SNE: the affinities are all zero; the input has no spread between neighbours.");
        Array.Resize(ref cols, w);
        Array.Resize(ref vals, w);
        for (int e = 0; e < w; e++) vals[e] /= total;
        return new SparseAffinities(n, outStart, cols, vals);
    }
}
