namespace NeuroCore.Embeddings;

// Scalar tier: the reference the vector tiers are tested against, in the same float arithmetic.
internal static partial class ExactRepulsion
{
    internal static void RowsScalar(float[] xs, float[] ys, float[] zs, int n, int dims, int lo, int hi,
        float[] accX, float[] accY, float[] accZ, double[] rowZ)
    {
        for (int i = lo; i < hi; i++)
        {
            float xi = xs[i], yi = ys[i], zi = dims == 3 ? zs[i] : 0;
            float sz = 0, fx = 0, fy = 0, fz = 0;
            for (int j = i + 1; j < n; j++)
            {
                float dx = xi - xs[j], dy = yi - ys[j], dz = dims == 3 ? zi - zs[j] : 0;
                float q = 1 / (1 + dx * dx + dy * dy + dz * dz);
                sz += q;
                float q2 = q * q;
                fx += q2 * dx; fy += q2 * dy; fz += q2 * dz;
                accX[j] -= q2 * dx; accY[j] -= q2 * dy;
                if (dims == 3) accZ[j] -= q2 * dz;
            }
            accX[i] += fx;
            accY[i] += fy;
            if (dims == 3) accZ[i] += fz;
            rowZ[i] = sz;
        }
    }
}
