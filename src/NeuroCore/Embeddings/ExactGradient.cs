using System.Numerics.Tensors;

namespace NeuroCore.Embeddings;

/// <summary>
/// t-SNE's exact gradient for the optimizer: repulsion over all pairs by <see cref="ExactRepulsion"/>
/// (float32 SIMD, each pair once), attraction over P's non-zeros by <see cref="Attraction"/>, on a fixed
/// split of the work that does not depend on the thread count, so neither does the result. Holds its
/// buffers, so an iteration allocates nothing.
/// </summary>
/// <remarks>
/// Float32 is enough for the layout: the optimizer's state stays in double, and the sums here have a
/// relative rounding error of about 1e-6 (the tests compare with the double-precision reference).
/// Memory: the coordinates (twice: apart for the repulsion, x and y paired for the attraction's gathers) and
/// 16 parts' force accumulators, 4·(5 + 3·16)·N bytes, linear in N.
/// </remarks>
internal sealed class ExactGradient
{
    // Parts of the pairs (balanced by pair count, each with its own accumulators, added in part order at the end),
    // and with each one an equal share of the attraction's rows. Fixed, so that the sums are the same for any
    // thread count; 16 keep two to eight cores evenly busy, and adding 16 accumulators is cheap beside the pairs.
    private const int Parts = 16;

    private readonly int _n, _dims, _parts;
    private readonly float[] _xs, _ys, _zs, _xy;
    private readonly float[][] _accX, _accY, _accZ;
    private readonly int[] _bounds;
    private readonly Attraction _attraction;
    private readonly double[] _rowZ, _attractive;
    private readonly Action<int> _part;

    public ExactGradient(SparseAffinities p, int dims)
    {
        _n = p.Count;
        _dims = dims;
        int padded = ExactRepulsion.Padded(_n);
        _xs = new float[padded];
        _ys = new float[padded];
        _zs = new float[padded];
        _xy = new float[2 * padded];
        _parts = Math.Min(Parts, _n);
        _bounds = ExactRepulsion.BalancedParts(_n, _parts);
        _accX = new float[_parts][];
        _accY = new float[_parts][];
        _accZ = new float[_parts][];
        for (int q = 0; q < _parts; q++)
        {
            _accX[q] = new float[padded];
            _accY[q] = new float[padded];
            _accZ[q] = dims == 3 ? new float[padded] : _accY[q];
        }
        _attraction = new Attraction(p);
        _attractive = new double[_n * dims];
        _rowZ = new double[_n];
        _part = Part;
    }

    /// <summary>Writes 4 (α·attraction − repulsion / Z) at <paramref name="y"/> (N × D) into <paramref name="grad"/>; returns Z.</summary>
    public double Compute(double[] y, double exaggeration, double[] grad)
    {
        int n = _n, d = _dims;
        for (int i = 0; i < n; i++)
        {
            _xs[i] = _xy[2 * i] = (float)y[i * d];
            _ys[i] = _xy[2 * i + 1] = (float)y[i * d + 1];
            if (d == 3) _zs[i] = (float)y[i * d + 2];
        }
        Parallelism.For(_parts, _part);
        for (int q = 1; q < _parts; q++)
        {
            TensorPrimitives.Add(_accX[0], _accX[q], _accX[0]);
            TensorPrimitives.Add(_accY[0], _accY[q], _accY[0]);
            if (d == 3) TensorPrimitives.Add(_accZ[0], _accZ[q], _accZ[0]);
        }
        double z = 0;
        for (int i = 0; i < n; i++) z += _rowZ[i];
        z *= 2; // every pair once, Z counts both orders
        double a = 4 * exaggeration, r = 4 / z;
        float[] fx = _accX[0], fy = _accY[0], fz = _accZ[0];
        for (int i = 0; i < n; i++)
        {
            grad[i * d] = a * _attractive[i * d] - r * fx[i];
            grad[i * d + 1] = a * _attractive[i * d + 1] - r * fy[i];
            if (d == 3) grad[i * d + 2] = a * _attractive[i * d + 2] - r * fz[i];
        }
        return z;
    }

    private void Part(int part)
    {
        Array.Clear(_accX[part]);
        Array.Clear(_accY[part]);
        if (_dims == 3) Array.Clear(_accZ[part]);
        ExactRepulsion.Rows(_xs, _ys, _zs, _n, _dims, _bounds[part], _bounds[part + 1], _accX[part], _accY[part], _accZ[part], _rowZ);
        int lo = (int)((long)_n * part / _parts), hi = (int)((long)_n * (part + 1) / _parts);
        _attraction.Rows(_xy, _zs, _dims, lo, hi, _attractive);
    }
}
