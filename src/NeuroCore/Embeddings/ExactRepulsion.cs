using System.Runtime.Intrinsics;

namespace NeuroCore.Embeddings;

/// <summary>
/// The repulsive half of t-SNE's exact gradient, all N² pairs, in float32 SIMD:
/// for every point i, F_i = Σ_j q_ij² (y_i − y_j) and Z_i = Σ_{j≠i} q_ij with q_ij = 1/(1 + ‖y_i − y_j‖²).
/// </summary>
/// <remarks>
/// For N up to some thousands this is faster than Barnes-Hut (no tree, no branches, 16 pairs per
/// instruction) and exact up to float rounding. Coordinates come in structure-of-arrays form, padded with
/// zeros to a multiple of 16 (<see cref="Padded"/>); the last, partial block of a row is masked.
/// Every row is computed by one thread from the same inputs in the same order, so the result does not
/// depend on the thread count. The tiers live in one partial file each: <c>ExactRepulsion.Avx512.cs</c>
/// (Vector512), <c>ExactRepulsion.Avx2.cs</c> (Vector256) and <c>ExactRepulsion.Scalar.cs</c> (the reference).
/// The self pair (j = i) is included in the vector loops (it adds q = 1 and no force) and subtracted from Z.
/// </remarks>
internal static partial class ExactRepulsion
{
    /// <summary>Elements of a padded coordinate array for <paramref name="n"/> points: a multiple of every tier's width.</summary>
    public static int Padded(int n) => (n + 15) & ~15;

    /// <summary>The tier <see cref="Rows"/> runs on this machine.</summary>
    public static string Tier => Vector512.IsHardwareAccelerated ? "AVX-512" : Vector256.IsHardwareAccelerated ? "AVX2" : "scalar";

    /// <summary>
    /// Rows [<paramref name="lo"/>, <paramref name="hi"/>): the force into <paramref name="force"/> (N × dims, row-major)
    /// and Z_i into <paramref name="rowZ"/>. <paramref name="zs"/> is ignored in 2-D.
    /// </summary>
    public static void Rows(float[] xs, float[] ys, float[] zs, int n, int dims, int lo, int hi, double[] force, double[] rowZ)
    {
        if (Vector512.IsHardwareAccelerated) RowsAvx512(xs, ys, zs, n, dims, lo, hi, force, rowZ);
        else if (Vector256.IsHardwareAccelerated) RowsAvx2(xs, ys, zs, n, dims, lo, hi, force, rowZ);
        else RowsScalar(xs, ys, zs, n, dims, lo, hi, force, rowZ);
    }
}
