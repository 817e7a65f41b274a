using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NeuroCore.Embeddings;

namespace NeuroCore.Tests.Embeddings;

/// <summary>
/// The float32 SIMD exact gradient: every tier of the repulsion and the attraction against sums computed here in
/// double, sizes around the vector widths (so the masked last block is hit), and the whole gradient against the
/// double-precision reference. Also how <see cref="TsneGradientMethod.Auto"/> resolves.
/// </summary>
public class ExactGradientTests
{
    public enum Tier { Avx512, Avx2, Scalar }

    private static void RequireTier(Tier tier)
    {
        if (tier == Tier.Avx512 && !Vector512.IsHardwareAccelerated) Assert.Skip("No AVX-512 on this machine.");
        if (tier == Tier.Avx2 && !Avx2.IsSupported) Assert.Skip("No AVX2 on this machine.");
    }

    private static (float[] Xs, float[] Ys, float[] Zs) Soa(double[] y, int n, int dims)
    {
        int padded = ExactRepulsion.Padded(n);
        float[] xs = new float[padded], ys = new float[padded], zs = new float[padded];
        for (int i = 0; i < n; i++)
        {
            xs[i] = (float)y[i * dims];
            ys[i] = (float)y[i * dims + 1];
            if (dims == 3) zs[i] = (float)y[i * dims + 2];
        }
        return (xs, ys, zs);
    }

    private static double MaxRelativeError(double[] actual, double[] expected)
    {
        double scale = expected.Max(Math.Abs), worst = 0;
        for (int i = 0; i < actual.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / scale);
        return worst;
    }

    public static TheoryData<Tier, int, int> RepulsionCases()
    {
        var data = new TheoryData<Tier, int, int>();
        foreach (var tier in Enum.GetValues<Tier>())
            foreach (int dims in new[] { 2, 3 })
                foreach (int n in new[] { 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100 }) data.Add(tier, dims, n);
        return data;
    }

    [Theory]
    [MemberData(nameof(RepulsionCases))]
    public void RepulsionTierMatchesDoubleSums(Tier tier, int dims, int n)
    {
        // n = 1 has no pairs; n = 2, 7 … 100 put the rows' first and last blocks at every offset of both widths.
        RequireTier(tier);
        var y = EmbeddingTestData.RandomLayout(n, dims, seed: n + dims, scale: 4);
        var (xs, ys, zs) = Soa(y, n, dims);
        int padded = ExactRepulsion.Padded(n);
        float[] ax = new float[padded], ay = new float[padded], az = new float[padded];
        var rowZ = new double[n];
        // Rows in two calls, as two parts of a parallel run split them (here into the same accumulators).
        int mid = n / 3;
        foreach (var (lo, hi) in new[] { (0, mid), (mid, n) })
        {
            switch (tier)
            {
                case Tier.Avx512: ExactRepulsion.RowsAvx512(xs, ys, zs, n, dims, lo, hi, ax, ay, az, rowZ); break;
                case Tier.Avx2: ExactRepulsion.RowsAvx2(xs, ys, zs, n, dims, lo, hi, ax, ay, az, rowZ); break;
                default: ExactRepulsion.RowsScalar(xs, ys, zs, n, dims, lo, hi, ax, ay, az, rowZ); break;
            }
        }
        var force = new double[n * dims];
        for (int i = 0; i < n; i++)
        {
            force[i * dims] = ax[i];
            force[i * dims + 1] = ay[i];
            if (dims == 3) force[i * dims + 2] = az[i];
        }
        // Padding lanes must stay untouched (zero), or a masked block wrote where it should not.
        for (int i = n; i < padded; i++) Assert.True(ax[i] == 0 && ay[i] == 0 && az[i] == 0, $"padding {i} written");
        // F_i = Σ_{j≠i} q² (y_i − y_j), Z_i = Σ_{j>i} q, q = 1/(1 + ‖y_i − y_j‖²), in double from the same float inputs.
        var expectedF = new double[n * dims];
        var expectedZ = new double[n];
        float[][] axes = [xs, ys, zs];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (i == j) continue;
                double d2 = 0;
                for (int a = 0; a < dims; a++) d2 += ((double)axes[a][i] - axes[a][j]) * ((double)axes[a][i] - axes[a][j]);
                double q = 1 / (1 + d2);
                if (j > i) expectedZ[i] += q;
                for (int a = 0; a < dims; a++) expectedF[i * dims + a] += q * q * ((double)axes[a][i] - axes[a][j]);
            }
        if (n == 1) { Assert.Equal(0, rowZ[0]); return; }
        Assert.True(MaxRelativeError(force, expectedF) < 1e-5, $"{tier} {dims}-D n={n}: force error {MaxRelativeError(force, expectedF):E2}");
        Assert.True(MaxRelativeError(rowZ, expectedZ) < 1e-5, $"{tier} {dims}-D n={n}: Z error {MaxRelativeError(rowZ, expectedZ):E2}");
    }

    [Theory]
    [InlineData(Tier.Avx2, 2)]
    [InlineData(Tier.Avx2, 3)]
    [InlineData(Tier.Scalar, 2)]
    [InlineData(Tier.Scalar, 3)]
    public void AttractionTierMatchesDoubleSums(Tier tier, int dims)
    {
        RequireTier(tier);
        // Perplexity 5 on 4 blobs: rows of 15 to 30 non-zeros, so both full and masked 8-lane blocks occur.
        const int n = 120;
        var (x, _) = EmbeddingTestData.Blobs(4, n / 4, 6);
        var p = PerplexityCalibration.Joint(NearestNeighbors.Find(x, 15), 5);
        var y = EmbeddingTestData.RandomLayout(n, dims, seed: 9);
        var (xs, ys, zs) = Soa(y, n, dims);
        var xy = new float[2 * n];
        for (int i = 0; i < n; i++) { xy[2 * i] = xs[i]; xy[2 * i + 1] = ys[i]; }
        var attraction = new Attraction(p);
        var result = new double[n * dims];
        if (tier == Tier.Avx2) attraction.RowsAvx2(xy, zs, dims, 0, n, result);
        else attraction.RowsScalar(xy, zs, dims, 0, n, result);
        var expected = new double[n * dims];
        float[][] axes = [xs, ys, zs];
        for (int i = 0; i < n; i++)
            for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
            {
                int j = p.Columns[e];
                double d2 = 0;
                for (int a = 0; a < dims; a++) d2 += ((double)axes[a][i] - axes[a][j]) * ((double)axes[a][i] - axes[a][j]);
                for (int a = 0; a < dims; a++) expected[i * dims + a] += (float)p.Values[e] / (1 + d2) * ((double)axes[a][i] - axes[a][j]);
            }
        Assert.True(MaxRelativeError(result, expected) < 1e-5, $"{tier} {dims}-D: error {MaxRelativeError(result, expected):E2}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void SimdGradientMatchesTheDoubleReferenceOnAnyThreadCount(int dims)
    {
        const int n = 203;
        var (x, _) = EmbeddingTestData.Blobs(7, 29, 5);
        var p = PerplexityCalibration.Joint(NearestNeighbors.Find(x, 30), 10);
        var y = EmbeddingTestData.RandomLayout(n, dims, seed: 21, scale: 6);
        var reference = new double[y.Length];
        var simd = new double[y.Length];
        double zRef = Tsne.Gradient(p, y, dims, reference, TsneGradientMethod.Exact, exaggeration: 12);
        double zSimd = new ExactGradient(p, dims).Compute(y, 12, simd);
        int before = Parallelism.MaxThreads;
        try
        {
            foreach (int threads in new[] { 1, 3 })
            {
                Parallelism.MaxThreads = threads;
                var again = new double[y.Length];
                Assert.Equal(zSimd, new ExactGradient(p, dims).Compute(y, 12, again));
                Assert.Equal(simd, again);
            }
        }
        finally { Parallelism.MaxThreads = before; }
        Assert.Equal(zRef, zSimd, zRef * 1e-5);
        double num = 0, den = 0;
        for (int i = 0; i < y.Length; i++) { num += (simd[i] - reference[i]) * (simd[i] - reference[i]); den += reference[i] * reference[i]; }
        Assert.True(Math.Sqrt(num / den) < 1e-5, $"relative error {Math.Sqrt(num / den):E2} on {ExactRepulsion.Tier}");
    }

    [Fact]
    public void AutoTakesTheExactGradientUpToTheCrossover()
    {
        var auto = new TsneOptions();
        Assert.Equal(TsneGradientMethod.Auto, auto.Method);
        Assert.Equal(TsneGradientMethod.Exact, auto.MethodFor(100));
        Assert.Equal(TsneGradientMethod.Exact, auto.MethodFor(TsneOptions.ExactCrossover));
        Assert.Equal(TsneGradientMethod.BarnesHut, auto.MethodFor(TsneOptions.ExactCrossover + 1));
        Assert.Equal(TsneGradientMethod.BarnesHut, (auto with { Method = TsneGradientMethod.BarnesHut }).MethodFor(100));
        Assert.Equal(TsneGradientMethod.Exact, (auto with { Method = TsneGradientMethod.Exact }).MethodFor(70_000));
    }

    [Theory]
    [InlineData(TsneGradientMethod.Exact)]
    [InlineData(TsneGradientMethod.BarnesHut)]
    public void BothMethodsSeparateBlobsAndAgree(TsneGradientMethod method)
    {
        var (x, labels) = EmbeddingTestData.Blobs(4, 50, 10);
        var options = new TsneOptions { Perplexity = 10, Iterations = 400, Dimensions = 3, Method = method, Seed = 1 };
        var result = Tsne.Fit(x, options);
        Assert.True(EmbeddingMetrics.KnnAccuracy(result.Coordinates, 3, labels, 5) > 0.99);
        // The two gradients differ by float rounding (exact) or θ (Barnes-Hut), so the layouts differ, but not their quality.
        var other = Tsne.Fit(x, options with { Method = method == TsneGradientMethod.Exact ? TsneGradientMethod.BarnesHut : TsneGradientMethod.Exact });
        Assert.True(Math.Abs(result.KlDivergence - other.KlDivergence) < 0.05 * other.KlDivergence, $"KL {result.KlDivergence:F4} vs {other.KlDivergence:F4}");
    }
}
