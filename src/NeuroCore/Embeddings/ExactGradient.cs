namespace NeuroCore.Embeddings;

/// <summary>
/// t-SNE's exact gradient for the optimizer: repulsion over all pairs by <see cref="ExactRepulsion"/>
/// (float32 SIMD), attraction over P's non-zeros, both per row on fixed parts of the rows, so the result is
/// the same for any thread count. Holds its buffers, so an iteration allocates nothing.
/// </summary>
/// <remarks>
/// Float32 is enough for the layout: the optimizer's state stays in double, and the per-row sums here have
/// a relative rounding error of about 1e-6 (the tests compare with the double-precision reference).
/// </remarks>
internal sealed class ExactGradient
{
    // Rows are independent, so the split only balances the work; 64 parts keep both cores busy to the end.
    private const int Parts = 64;

    private readonly int _n, _dims, _parts;
    private readonly float[] _xs, _ys, _zs;
    private readonly Attraction _attraction;
    private readonly double[] _force, _rowZ, _attractive;
    private readonly Action<int> _part;

    public ExactGradient(SparseAffinities p, int dims)
    {
        _n = p.Count;
        _dims = dims;
        int padded = ExactRepulsion.Padded(_n);
        _xs = new float[padded];
        _ys = new float[padded];
        _zs = new float[padded];
        _attraction = new Attraction(p);
        _force = new double[_n * dims];
        _attractive = new double[_n * dims];
        _rowZ = new double[_n];
        _parts = Math.Min(Parts, _n);
        _part = Part;
    }

    /// <summary>Writes 4 (α·attraction − repulsion / Z) at <paramref name="y"/> (N × D) into <paramref name="grad"/>; returns Z.</summary>
    public double Compute(double[] y, double exaggeration, double[] grad)
    {
        int n = _n, d = _dims;
        for (int i = 0; i < n; i++)
        {
            _xs[i] = (float)y[i * d];
            _ys[i] = (float)y[i * d + 1];
            if (d == 3) _zs[i] = (float)y[i * d + 2];
        }
        Parallelism.For(_parts, _part);
        double z = 0;
        for (int i = 0; i < n; i++) z += _rowZ[i];
        double a = 4 * exaggeration, r = 4 / z;
        for (int e = 0; e < n * d; e++) grad[e] = a * _attractive[e] - r * _force[e];
        return z;
    }

    private void Part(int part)
    {
        int lo = (int)((long)_n * part / _parts), hi = (int)((long)_n * (part + 1) / _parts);
        ExactRepulsion.Rows(_xs, _ys, _zs, _n, _dims, lo, hi, _force, _rowZ);
        _attraction.Rows(_xs, _ys, _zs, _dims, lo, hi, _attractive);
    }
}
