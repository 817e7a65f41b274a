namespace NeuroCore.Embeddings;

// Scalar tier: the reference the vector tiers are tested against, in the same float arithmetic.
internal static partial class ExactRepulsion
{
    internal static void RowsScalar(float[] xs, float[] ys, float[] zs, int n, int dims, int lo, int hi, double[] force, double[] rowZ)
    {
        for (int i = lo; i < hi; i++)
        {
            float xi = xs[i], yi = ys[i], zi = dims == 3 ? zs[i] : 0;
            float sz = 0, fx = 0, fy = 0, fz = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                float dx = xi - xs[j], dy = yi - ys[j], dz = dims == 3 ? zi - zs[j] : 0;
                float q = 1 / (1 + dx * dx + dy * dy + dz * dz);
                sz += q;
                float q2 = q * q;
                fx += q2 * dx; fy += q2 * dy; fz += q2 * dz;
            }
            force[dims * i] = fx;
            force[dims * i + 1] = fy;
            if (dims == 3) force[dims * i + 2] = fz;
            rowZ[i] = sz;
        }
    }
}
