using System.Runtime.Intrinsics;

namespace NeuroCore.Embeddings;

/// <summary>
/// The repulsive half of t-SNE's exact gradient over all pairs, in float32 SIMD:
/// F_i = Σ_{j≠i} q_ij² (y_i − y_j) and Z = Σ_{i≠j} q_ij with q_ij = 1/(1 + ‖y_i − y_j‖²).
/// </summary>
/// <remarks>
/// For N up to some thousands this is faster than Barnes-Hut (no tree, no branches, 16 pairs per
/// instruction) and exact up to float rounding. Each pair is computed once (j &gt; i): its term is added to
/// i's force and subtracted from j's, which halves the divisions that bound the loop. Coordinates come in
/// structure-of-arrays form, padded with zeros to a multiple of 16 (<see cref="Padded"/>); the first and the
/// last block of a row are masked. The caller gives every fixed part of the rows its own accumulators and
/// adds them in part order, so the result does not depend on the thread count. The tiers live in one
/// partial file each: <c>ExactRepulsion.Avx512.cs</c> (Vector512), <c>ExactRepulsion.Avx2.cs</c>
/// (Vector256) and <c>ExactRepulsion.Scalar.cs</c> (the reference).
/// </remarks>
internal static partial class ExactRepulsion
{
    /// <summary>Elements of a padded coordinate array for <paramref name="n"/> points: a multiple of every tier's width.</summary>
    public static int Padded(int n) => (n + 15) & ~15;

    /// <summary>The tier <see cref="Rows"/> runs on this machine.</summary>
    public static string Tier => Vector512.IsHardwareAccelerated ? "AVX-512" : Vector256.IsHardwareAccelerated ? "AVX2" : "scalar";

    /// <summary>
    /// The pairs (i, j &gt; i) of rows i in [<paramref name="lo"/>, <paramref name="hi"/>): q_ij² (y_i − y_j) is added to
    /// <paramref name="accX"/>… at i and subtracted at j (arrays of <see cref="Padded"/>(n)), and
    /// Σ_{j&gt;i} q_ij is written to <paramref name="rowZ"/>[i]. <paramref name="zs"/> and <paramref name="accZ"/> are ignored in 2-D.
    /// </summary>
    public static void Rows(float[] xs, float[] ys, float[] zs, int n, int dims, int lo, int hi, float[] accX, float[] accY, float[] accZ, double[] rowZ)
    {
        if (Vector512.IsHardwareAccelerated) RowsAvx512(xs, ys, zs, n, dims, lo, hi, accX, accY, accZ, rowZ);
        else if (Vector256.IsHardwareAccelerated) RowsAvx2(xs, ys, zs, n, dims, lo, hi, accX, accY, accZ, rowZ);
        else RowsScalar(xs, ys, zs, n, dims, lo, hi, accX, accY, accZ, rowZ);
    }

    /// <summary>
    /// Row boundaries that split the pairs (i, j &gt; i) into <paramref name="parts"/> parts of about equal count
    /// (row i has n − 1 − i of them); <c>bounds[p]</c> to <c>bounds[p + 1]</c> is part p.
    /// </summary>
    public static int[] BalancedParts(int n, int parts)
    {
        var bounds = new int[parts + 1];
        double total = (double)n * (n - 1) / 2, done = 0;
        int row = 0;
        for (int p = 1; p < parts; p++)
        {
            double target = total * p / parts;
            while (row < n && done + (n - 1 - row) <= target) done += n - 1 - row++;
            bounds[p] = row;
        }
        bounds[parts] = n;
        return bounds;
    }
}
