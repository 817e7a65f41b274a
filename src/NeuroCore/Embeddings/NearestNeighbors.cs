using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;
using NeuroCore.Kernels;

namespace NeuroCore.Embeddings;

/// <summary>
/// Exact k nearest neighbours by squared Euclidean distance, for every row against all rows, with
/// the distances computed blockwise through the core's GEMM (‖a−b‖² = ‖a‖² + ‖b‖² − 2a·b).
/// </summary>
/// <remarks>
/// Memory is one block of <see cref="BlockRows"/> × N distances plus the result (N × k), so it grows
/// linearly with N; time is N²·D multiply-adds in the GEMM plus N²·log k for the selection.
/// </remarks>
public static class NearestNeighbors
{
    // Rows whose distances to all points are computed by one GEMM call: 256 rows × 70,000 points is 72 MB,
    // large enough for the GEMM's blocking to run at full speed and small enough to stay memory-linear.
    private const int BlockRows = 256;

    /// <summary>
    /// The <paramref name="k"/> nearest other rows of every row of <paramref name="x"/>, nearest first:
    /// <c>Indices[i·k + j]</c> and <c>SquaredDistances[i·k + j]</c> (a row is never its own neighbour).
    /// Ties are broken by the smaller index, so the result is deterministic.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not in [1, N − 1].</exception>
    public static NeighborGraph Find(EmbeddingInput x, int k)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Find(x.Data, x.Count, x.Dimensions, k);
    }

    /// <summary>The same over raw rows (<paramref name="n"/> × <paramref name="d"/>, row-major).</summary>
    public static NeighborGraph Find(float[] data, int n, int d, int k) => Find(data, n, d, k, null);

    /// <summary>
    /// The <paramref name="k"/> nearest other rows of the rows listed in <paramref name="queries"/> (all rows
    /// when null); row q of the result belongs to <c>queries[q]</c>.
    /// </summary>
    public static NeighborGraph Find(float[] data, int n, int d, int k, int[]? queries)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (k < 1 || k > n - 1)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"Nearest neighbours: k must be in [1, {n - 1}] for {n} points.");
        var norms = new float[n];
        for (int i = 0; i < n; i++)
        {
            var row = data.AsSpan(i * d, d);
            norms[i] = System.Numerics.Tensors.TensorPrimitives.Dot(row, row);
        }
        int m = queries?.Length ?? n;
        var indices = new int[(long)m * k];
        var dist = new float[(long)m * k];
        int blocks = (m + BlockRows - 1) / BlockRows;
        var block = new float[(long)Math.Min(BlockRows, m) * n];
        var gathered = queries is null ? null : new float[Math.Min(BlockRows, m) * d];
        for (int b = 0; b < blocks; b++)
        {
            int r0 = b * BlockRows, rows = Math.Min(BlockRows, m - r0);
            ReadOnlySpan<float> a;
            if (queries is null) a = data.AsSpan(r0 * d, rows * d);
            else
            {
                for (int r = 0; r < rows; r++) data.AsSpan(queries[r0 + r] * d, d).CopyTo(gathered.AsSpan(r * d, d));
                a = gathered.AsSpan(0, rows * d);
            }
            // block = −2 · Q · Xᵀ, then each row selects its k smallest ‖x_j‖² + that (+‖x_i‖²).
            Gemm.Multiply(false, true, rows, n, d, -2f, a, d, data, d, 0f, block, n);
            var blockRef = block;
            int parts = Math.Min(rows, 4 * Parallelism.MaxThreads);
            Parallelism.For(parts, part =>
            {
                int lo = (int)((long)rows * part / parts), hi = (int)((long)rows * (part + 1) / parts);
                var heapD = new float[k];
                var heapI = new int[k];
                for (int r = lo; r < hi; r++)
                {
                    int q = r0 + r, i = queries is null ? q : queries[q];
                    var drow = blockRef.AsSpan(r * n, n);
                    SelectSmallest(drow, norms, norms[i], i, heapD, heapI, k);
                    heapD.CopyTo(dist.AsSpan(q * k, k));
                    heapI.CopyTo(indices.AsSpan(q * k, k));
                }
            });
        }
        return new NeighborGraph(m, k, indices, dist);
    }

    // Keeps a max-heap of the k best (distance, index) pairs, then sorts them ascending. The row is first turned
    // into distances in place (vector passes); then whole vector blocks with no distance below the heap's worst
    // are skipped with one comparison, which after the first few blocks is almost all of them.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code, which is ~10x slower on vector code
    private static void SelectSmallest(Span<float> dots, float[] norms, float selfNorm, int self, float[] hd, int[] hi, int k)
    {
        // d = max(0, −2a·b + ‖b‖² + ‖a‖²): rounding can make the expansion slightly negative for (near-)duplicates.
        int n = dots.Length, w = Vector<float>.Count, j = 0;
        ref float row = ref MemoryMarshal.GetReference(dots);
        ref float norm = ref MemoryMarshal.GetArrayDataReference(norms);
        var self2 = new Vector<float>(selfNorm);
        for (; j <= n - w; j += w)
            Vector.Max(Vector.LoadUnsafe(ref row, (nuint)j) + Vector.LoadUnsafe(ref norm, (nuint)j) + self2, Vector<float>.Zero).StoreUnsafe(ref row, (nuint)j);
        for (; j < n; j++) dots[j] = Math.Max(0f, dots[j] + norms[j] + selfNorm);
        dots[self] = float.PositiveInfinity; // never its own neighbour (and never selected: k ≤ N − 1 finite distances remain)
        int size = 0;
        for (j = 0; j < n && size < k; j++)
        {
            if (j == self) continue;
            hd[size] = dots[j]; hi[size] = j; size++;
            SiftUp(hd, hi, size - 1);
        }
        for (; j < n; j++)
        {
            if ((j & (w - 1)) == 0 && j <= n - w)
            {
                // Strictly below the worst kept: a tie with it keeps the smaller index, which is already in the heap.
                while (j <= n - w && !Vector.LessThanAny(Vector.LoadUnsafe(ref row, (nuint)j), new Vector<float>(hd[0]))) j += w;
                if (j >= n) break;
            }
            float v = dots[j];
            if (v < hd[0])
            {
                hd[0] = v; hi[0] = j;
                SiftDown(hd, hi, k);
            }
        }
        // Sort ascending by (distance, index).
        Array.Sort(hd, hi, 0, k);
        for (int a = 1; a < k; a++)
        {
            int b = a;
            while (b > 0 && hd[b - 1] == hd[b] && hi[b - 1] > hi[b]) { (hi[b - 1], hi[b]) = (hi[b], hi[b - 1]); b--; }
        }
    }

    private static bool Worse(float[] hd, int[] hi, int a, int b) => hd[a] > hd[b] || hd[a] == hd[b] && hi[a] > hi[b];

    private static void SiftUp(float[] hd, int[] hi, int c)
    {
        while (c > 0)
        {
            int p = (c - 1) / 2;
            if (!Worse(hd, hi, c, p)) return;
            (hd[c], hd[p]) = (hd[p], hd[c]); (hi[c], hi[p]) = (hi[p], hi[c]);
            c = p;
        }
    }

    private static void SiftDown(float[] hd, int[] hi, int size)
    {
        int p = 0;
        while (true)
        {
            int l = 2 * p + 1, r = l + 1, m = p;
            if (l < size && Worse(hd, hi, l, m)) m = l;
            if (r < size && Worse(hd, hi, r, m)) m = r;
            if (m == p) return;
            (hd[m], hd[p]) = (hd[p], hd[m]); (hi[m], hi[p]) = (hi[p], hi[m]);
            p = m;
        }
    }
}

/// <summary>Each of <see cref="Count"/> points' <see cref="K"/> nearest neighbours, nearest first.</summary>
/// <param name="Count">Number of points.</param>
/// <param name="K">Neighbours per point.</param>
/// <param name="Indices">Neighbour indices, <c>Indices[i·K + j]</c>.</param>
/// <param name="SquaredDistances">The matching squared Euclidean distances.</param>
public sealed record NeighborGraph(int Count, int K, int[] Indices, float[] SquaredDistances)
{
    /// <summary>The neighbours of point <paramref name="i"/>.</summary>
    public ReadOnlySpan<int> Of(int i) => Indices.AsSpan(i * K, K);
}
