using System.Runtime.CompilerServices;
namespace NeuroCore.Embeddings;

/// <summary>
/// t-SNE's input affinities: for every point a Gaussian over its nearest neighbours whose width is found
/// by binary search so that the distribution's entropy is ln(perplexity) (van der Maaten 2014, §3),
/// then symmetrized as P = (P + Pᵀ) / (2N).
/// </summary>
public static class PerplexityCalibration
{
    // scikit-learn's _binary_search_perplexity uses the same tolerance and step budget.
    private const double EntropyTolerance = 1e-5;
    private const int MaxSteps = 100;

    /// <summary>
    /// The conditional distributions p(j|i) over each point's neighbours in <paramref name="graph"/>
    /// (row-major, <c>Count × K</c>), each with entropy ln(<paramref name="perplexity"/>) (in nats)
    /// to within 1e-5, and the precision β = 1/(2σ²) found for each row.
    /// </summary>
    public static (double[] Conditional, double[] Beta) Conditional(NeighborGraph graph, double perplexity)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (!(perplexity > 1)) throw new ArgumentOutOfRangeException(nameof(perplexity), perplexity, "Perplexity must be greater than 1.");
        int n = graph.Count, k = graph.K;
        var p = new double[(long)n * k];
        var betas = new double[n];
        double target = Math.Log(perplexity);
        int parts = Math.Min(n, 8 * Parallelism.MaxThreads);
        Parallelism.For(parts, part =>
        {
            int lo = (int)((long)n * part / parts), hi = (int)((long)n * (part + 1) / parts);
            var shifted = new double[k];
            for (int i = lo; i < hi; i++)
                betas[i] = Calibrate(graph.SquaredDistances.AsSpan(i * k, k), p.AsSpan(i * k, k), target, shifted);
        });
        return (p, betas);
    }

    /// <summary>Finds β for one row of squared distances (nearest first) and writes p(j|i) into <paramref name="p"/>.</summary>
    /// <remarks>
    /// <paramref name="shifted"/>: scratch of the row's length. Scalar Math.Exp on purpose: TensorPrimitives.Exp is
    /// 2–3× faster once the runtime has optimized it, but its first calls in a process run unoptimized code and
    /// cost ~0.2 s on digits, which a one-shot `neurocore embed` would pay every time.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code, which is ~10x slower on vector code
    internal static double Calibrate(ReadOnlySpan<float> d2, Span<double> p, double targetEntropy, Span<double> shifted)
    {
        double beta = 1, lo = double.NegativeInfinity, hi = double.PositiveInfinity;
        // Distances relative to the nearest keep exp() in range for any data scale; the shift cancels in the normalization.
        double d0 = d2[0];
        for (int j = 0; j < d2.Length; j++) shifted[j] = d2[j] - d0;
        double sum = 1;
        for (int step = 0; step < MaxSteps; step++)
        {
            double weighted = 0;
            sum = 0;
            for (int j = 0; j < shifted.Length; j++)
            {
                double v = Math.Exp(-shifted[j] * beta);
                p[j] = v;
                sum += v;
                weighted += shifted[j] * v;
            }
            // H = ln Σ + β·Σ d·p / Σ (the entropy of the normalized row).
            double entropy = Math.Log(sum) + beta * weighted / sum;
            double diff = entropy - targetEntropy;
            if (Math.Abs(diff) <= EntropyTolerance) break;
            if (diff > 0)
            {
                lo = beta;
                beta = double.IsPositiveInfinity(hi) ? beta * 2 : (beta + hi) / 2;
            }
            else
            {
                hi = beta;
                beta = double.IsNegativeInfinity(lo) ? beta / 2 : (beta + lo) / 2;
            }
        }
        // p holds the weights of the last β evaluated (the one returned, when the search converged), not yet normalized.
        for (int j = 0; j < p.Length; j++) p[j] /= sum;
        return beta;
    }

    /// <summary>
    /// The joint affinities of t-SNE: the conditional distributions of <paramref name="graph"/> made
    /// symmetric, p_ij = (p(j|i) + p(i|j)) / (2N), as a sparse symmetric matrix that sums to 1.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 3·perplexity + 1 points, or every distance zero.</exception>
    public static SparseAffinities Joint(NeighborGraph graph, double perplexity)
    {
        var (cond, _) = Conditional(graph, perplexity);
        return SparseAffinities.Symmetrize(graph, cond);
    }
}
