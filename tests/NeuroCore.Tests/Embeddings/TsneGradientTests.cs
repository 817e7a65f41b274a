using NeuroCore.Embeddings;

namespace NeuroCore.Tests.Embeddings;

/// <summary>Barnes-Hut against the exact O(N²) gradient, and the exact gradient against finite differences of KL(P ‖ Q).</summary>
public class TsneGradientTests
{
    private static SparseAffinities Affinities(int n, int dims, double perplexity = 5)
    {
        var (x, _) = EmbeddingTestData.Blobs(4, n / 4, dims + 3);
        return PerplexityCalibration.Joint(NearestNeighbors.Find(x, (int)(3 * perplexity)), perplexity);
    }

    private static double RelativeError(double[] a, double[] b)
    {
        double num = 0, den = 0;
        for (int i = 0; i < a.Length; i++) { num += (a[i] - b[i]) * (a[i] - b[i]); den += b[i] * b[i]; }
        return Math.Sqrt(num / den);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void BarnesHutWithThetaZeroIsTheExactGradient(int dims)
    {
        var p = Affinities(120, dims);
        var y = EmbeddingTestData.RandomLayout(120, dims, 5);
        var exact = new double[y.Length];
        var bh = new double[y.Length];
        double zExact = Tsne.Gradient(p, y, dims, exact, TsneGradientMethod.Exact, exaggeration: 12);
        double zBh = Tsne.Gradient(p, y, dims, bh, TsneGradientMethod.BarnesHut, theta: 0, exaggeration: 12);
        Assert.Equal(zExact, zBh, zExact * 1e-12);
        Assert.True(RelativeError(bh, exact) < 1e-10, $"θ = 0 differs from exact by {RelativeError(bh, exact):E2}");
    }

    [Theory]
    [InlineData(2, 0.5, 0.03)]
    [InlineData(3, 0.5, 0.03)]
    [InlineData(2, 0.2, 0.005)]
    [InlineData(3, 0.2, 0.005)]
    public void BarnesHutApproximatesTheExactGradient(int dims, double theta, double tolerance)
    {
        const int n = 400;
        var p = Affinities(n, dims);
        var y = EmbeddingTestData.RandomLayout(n, dims, 11, scale: 10);
        var exact = new double[y.Length];
        var bh = new double[y.Length];
        double zExact = Tsne.Gradient(p, y, dims, exact, TsneGradientMethod.Exact);
        double zBh = Tsne.Gradient(p, y, dims, bh, TsneGradientMethod.BarnesHut, theta);
        Assert.True(Math.Abs(zBh - zExact) / zExact < tolerance, $"Z: {zBh} vs {zExact}");
        double err = RelativeError(bh, exact);
        Assert.True(err < tolerance, $"θ = {theta}, {dims}-D: relative gradient error {err:E2} ≥ {tolerance}");
        Assert.True(err > 0, "Barnes-Hut with θ > 0 should approximate, not reproduce, the exact sums");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void ExactGradientMatchesFiniteDifferencesOfKl(int dims)
    {
        // dC/dy = 4 Σ_j (p_ij − q_ij) q̃_ij (y_i − y_j); checked numerically in double: (C(y + h) − C(y − h)) / 2h.
        const int n = 40;
        var p = Affinities(n, dims, perplexity: 3);
        var y = EmbeddingTestData.RandomLayout(n, dims, 2);
        var g = new double[y.Length];
        Tsne.Gradient(p, y, dims, g, TsneGradientMethod.Exact);
        const double h = 1e-5;
        foreach (int e in new[] { 0, 7, 33, n * dims - 1 })
        {
            double keep = y[e];
            y[e] = keep + h;
            double plus = Tsne.KlDivergence(p, y, dims);
            y[e] = keep - h;
            double minus = Tsne.KlDivergence(p, y, dims);
            y[e] = keep;
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - g[e]) < 1e-6 + 1e-4 * Math.Abs(numeric), $"element {e}: analytic {g[e]:E6}, numeric {numeric:E6}");
        }
    }

    [Theory]
    [InlineData(TsneGradientMethod.Exact)]
    [InlineData(TsneGradientMethod.BarnesHut)]
    public void TheResultIsTheSameForAnyThreadCount(TsneGradientMethod method)
    {
        var (x, _) = EmbeddingTestData.Blobs(3, 40, 5);
        var options = new TsneOptions { Dimensions = 3, Perplexity = 10, Iterations = 120, ExaggerationIterations = 50, Seed = 4, Method = method };
        int before = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            var one = Tsne.Fit(x, options).Coordinates;
            Parallelism.MaxThreads = 2;
            var two = Tsne.Fit(x, options).Coordinates;
            Assert.Equal(one, two);
        }
        finally { Parallelism.MaxThreads = before; }
    }

    [Fact]
    public void KlDivergenceFallsAsTheOptimizationRuns()
    {
        var (x, labels) = EmbeddingTestData.Blobs(4, 50, 10);
        var reports = new List<TsneProgress>();
        var result = Tsne.Fit(x, new TsneOptions { Perplexity = 10, Iterations = 400, Progress = new SyncProgress(reports.Add) });
        Assert.Equal(8, reports.Count);
        Assert.True(reports[^1].KlDivergence < reports[5].KlDivergence, string.Join(", ", reports.Select(r => r.KlDivergence.ToString("F3"))));
        // At most 2 of the 200 points on the wrong side: which points sit at a blob's edge depends on the last bits
        // of the gradient (float32 exact or Barnes-Hut), and some seeds of either put two there.
        Assert.True(EmbeddingMetrics.KnnAccuracy(result.Coordinates, 2, labels, 5) >= 0.99);
    }

    private sealed class SyncProgress(Action<TsneProgress> report) : IProgress<TsneProgress>
    {
        public void Report(TsneProgress value) => report(value);
    }
}
