using System.Runtime.Intrinsics.X86;

namespace NeuroCore.Embeddings;

/// <summary>
/// The attractive half of t-SNE's gradient, A_i = Σ_j p_ij q_ij (y_i − y_j) over row i's non-zeros of P,
/// in float32 SIMD with gathers of the neighbours' coordinates. Used by the exact and the Barnes-Hut gradient.
/// </summary>
/// <remarks>
/// The coordinates come as (x, y) pairs (<c>xy[2i]</c>, <c>xy[2i + 1]</c>) and z apart. P's columns and
/// values are copied once into arrays padded by 16 entries (column 0, value 0), so the last block of a row can
/// read past its end: the values are masked to zero there. One row is summed by one thread in a fixed order,
/// so the result does not depend on the thread count. Tiers: <c>Attraction.Avx2.cs</c> (8 lanes: .NET has no
/// AVX-512 gather, and the gathers, not the arithmetic, bound this loop) and <c>Attraction.Scalar.cs</c> (the reference).
/// </remarks>
internal sealed partial class Attraction
{
    private const int Pad = 16;

    private readonly int[] _rowStart;
    private readonly int[] _columns;
    private readonly float[] _values;

    public Attraction(SparseAffinities p)
    {
        _rowStart = p.RowStart;
        int nnz = p.Columns.Length;
        _columns = new int[nnz + Pad];
        _values = new float[nnz + Pad];
        Array.Copy(p.Columns, _columns, nnz);
        for (int e = 0; e < nnz; e++) _values[e] = (float)p.Values[e];
    }

    /// <summary>Rows [<paramref name="lo"/>, <paramref name="hi"/>) of A into <paramref name="result"/> (N × dims, row-major).</summary>
    public void Rows(float[] xy, float[] zs, int dims, int lo, int hi, double[] result)
    {
        if (Avx2.IsSupported) RowsAvx2(xy, zs, dims, lo, hi, result);
        else RowsScalar(xy, zs, dims, lo, hi, result);
    }
}
