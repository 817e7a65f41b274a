namespace NeuroCore.Embeddings;

// Scalar tier: the reference the vector tiers are tested against, in the same float arithmetic.
internal sealed partial class Attraction
{
    internal void RowsScalar(float[] xy, float[] zs, int dims, int lo, int hi, double[] result)
    {
        bool three = dims == 3;
        for (int i = lo; i < hi; i++)
        {
            float xi = xy[2 * i], yi = xy[2 * i + 1], zi = three ? zs[i] : 0;
            float a0 = 0, a1 = 0, a2 = 0;
            for (int e = _rowStart[i]; e < _rowStart[i + 1]; e++)
            {
                int j = _columns[e];
                float dx = xi - xy[2 * j], dy = yi - xy[2 * j + 1], dz = three ? zi - zs[j] : 0;
                float pq = _values[e] / (1 + dx * dx + dy * dy + dz * dz);
                a0 += pq * dx; a1 += pq * dy; a2 += pq * dz;
            }
            result[dims * i] = a0;
            result[dims * i + 1] = a1;
            if (three) result[dims * i + 2] = a2;
        }
    }
}
