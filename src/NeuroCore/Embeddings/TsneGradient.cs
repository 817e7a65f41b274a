namespace NeuroCore.Embeddings;

/// <summary>
/// The gradient of t-SNE's cost KL(P ‖ Q) with Student-t (one degree of freedom) similarities
/// q_ij ∝ 1/(1 + ‖y_i − y_j‖²):
/// ∂C/∂y_i = 4 [ Σ_j α·p_ij q_ij (y_i − y_j) − Σ_j q_ij² (y_i − y_j) / Z ],  Z = Σ_{k≠l} q_kl,
/// with q unnormalized and α the exaggeration. The attractive part runs over P's non-zeros; the
/// repulsive part exactly (all pairs) or through a Barnes-Hut tree.
/// </summary>
internal static class TsneGradient
{
    /// <summary>
    /// Splits [0, n) into this many parts whatever the thread count, and sums the parts' Z in order, so
    /// the gradient is bit-for-bit the same for any <see cref="Parallelism.MaxThreads"/>.
    /// </summary>
    private const int Parts = 64;

    /// <summary>
    /// The optimizer's gradient for <paramref name="method"/> (not <see cref="TsneGradientMethod.Auto"/>): a function of
    /// (y, exaggeration, grad) that writes the gradient and returns Z, holding its buffers across iterations.
    /// </summary>
    public static Func<double[], double, double[], double> For(SparseAffinities p, int dims, TsneGradientMethod method, double theta)
    {
        if (method == TsneGradientMethod.Exact)
        {
            var exact = new ExactGradient(p, dims);
            return exact.Compute;
        }
        var tree = new BarnesHutTree(p.Count, dims);
        return (y, exaggeration, grad) => BarnesHut(p, y, dims, exaggeration, theta, tree, grad);
    }

    /// <summary>Writes the Barnes-Hut gradient into <paramref name="grad"/>; returns Z.</summary>
    public static double BarnesHut(SparseAffinities p, double[] y, int dims, double exaggeration, double theta,
        BarnesHutTree tree, double[] grad)
    {
        tree.Build(y);
        int n = p.Count;
        var partialZ = new double[Parts];
        var yArr = y;
        var order = tree.OrderArray;
        int parts = Math.Min(Parts, n);
        Parallelism.For(parts, part =>
        {
            int lo = (int)((long)n * part / parts), hi = (int)((long)n * (part + 1) / parts);
            Span<double> f = stackalloc double[3];
            var stack = new int[tree.StackSize];
            double z = 0;
            // Points in tree order: consecutive points walk nearly the same cells, which stay in cache.
            for (int e = lo; e < hi; e++)
            {
                int i = order[e];
                z += tree.Repulsion(yArr, i, theta, f, stack);
                for (int a = 0; a < dims; a++) grad[i * dims + a] = -f[a];
            }
            partialZ[part] = z;
        });
        double zSum = 0;
        for (int part = 0; part < parts; part++) zSum += partialZ[part];
        Finish(p, yArr, dims, exaggeration, zSum, grad);
        return zSum;
    }

    /// <summary>Writes the exact O(N²) gradient into <paramref name="grad"/>; returns Z.</summary>
    public static double Exact(SparseAffinities p, double[] y, int dims, double exaggeration, double[] grad)
    {
        int n = p.Count;
        var yArr = y;
        var partialZ = new double[n];
        Parallelism.For(Math.Min(Parts, n), part =>
        {
            int parts = Math.Min(Parts, n);
            int lo = (int)((long)n * part / parts), hi = (int)((long)n * (part + 1) / parts);
            for (int i = lo; i < hi; i++)
            {
                double z = 0, f0 = 0, f1 = 0, f2 = 0;
                for (int j = 0; j < n; j++)
                {
                    if (j == i) continue;
                    double d0 = yArr[i * dims] - yArr[j * dims], d1 = yArr[i * dims + 1] - yArr[j * dims + 1];
                    double d2 = dims == 3 ? yArr[i * dims + 2] - yArr[j * dims + 2] : 0;
                    double q = 1 / (1 + d0 * d0 + d1 * d1 + d2 * d2), q2 = q * q;
                    z += q;
                    f0 += q2 * d0; f1 += q2 * d1; f2 += q2 * d2;
                }
                grad[i * dims] = -f0; grad[i * dims + 1] = -f1;
                if (dims == 3) grad[i * dims + 2] = -f2;
                partialZ[i] = z;
            }
        });
        double zSum = 0;
        for (int i = 0; i < n; i++) zSum += partialZ[i];
        Finish(p, yArr, dims, exaggeration, zSum, grad);
        return zSum;
    }

    // grad holds −Σ q² (y_i − y_j); turns it into 4 (α·attraction − repulsion / Z).
    private static void Finish(SparseAffinities p, double[] y, int dims, double exaggeration, double z, double[] grad)
    {
        int n = p.Count;
        int parts = Math.Min(Parts, n);
        Parallelism.For(parts, part =>
        {
            int lo = (int)((long)n * part / parts), hi = (int)((long)n * (part + 1) / parts);
            for (int i = lo; i < hi; i++)
            {
                double a0 = 0, a1 = 0, a2 = 0;
                for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
                {
                    int j = p.Columns[e];
                    double d0 = y[i * dims] - y[j * dims], d1 = y[i * dims + 1] - y[j * dims + 1];
                    double d2 = dims == 3 ? y[i * dims + 2] - y[j * dims + 2] : 0;
                    double pq = p.Values[e] / (1 + d0 * d0 + d1 * d1 + d2 * d2);
                    a0 += pq * d0; a1 += pq * d1; a2 += pq * d2;
                }
                grad[i * dims] = 4 * (exaggeration * a0 + grad[i * dims] / z);
                grad[i * dims + 1] = 4 * (exaggeration * a1 + grad[i * dims + 1] / z);
                if (dims == 3) grad[i * dims + 2] = 4 * (exaggeration * a2 + grad[i * dims + 2] / z);
            }
        });
    }

    /// <summary>KL(P ‖ Q) = Σ p_ij ln(p_ij Z (1 + ‖y_i − y_j‖²)) over P's non-zeros, given Z.</summary>
    /// <remarks>On fixed parts of the rows, summed in order: the same value for any thread count.</remarks>
    public static double KlDivergence(SparseAffinities p, double[] y, int dims, double z)
    {
        int n = p.Count, parts = Math.Min(Parts, n);
        var partial = new double[parts];
        Parallelism.For(parts, part =>
        {
            int lo = (int)((long)n * part / parts), hi = (int)((long)n * (part + 1) / parts);
            double kl = 0;
            for (int i = lo; i < hi; i++)
                for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
                {
                    double pij = p.Values[e];
                    if (pij <= 0) continue;
                    int j = p.Columns[e];
                    double d2 = 0;
                    for (int a = 0; a < dims; a++)
                    {
                        double diff = y[i * dims + a] - y[j * dims + a];
                        d2 += diff * diff;
                    }
                    kl += pij * Math.Log(pij * z * (1 + d2));
                }
            partial[part] = kl;
        });
        double sum = 0;
        for (int part = 0; part < parts; part++) sum += partial[part];
        return sum;
    }
}
