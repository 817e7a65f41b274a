using NeuroCore.Kernels;

namespace NeuroCore.Embeddings;

/// <summary>
/// Principal component analysis: exact (eigen-decomposition of the D × D covariance) for up to
/// <see cref="ExactMaxDimensions"/> features, randomized SVD (Halko, Martinsson &amp; Tropp 2011) above.
/// Products go through the core's GEMM; the small decompositions run in double precision.
/// </summary>
public static class Pca
{
    /// <summary>Up to this many features the covariance is decomposed exactly (cyclic Jacobi, O(D³)).</summary>
    public const int ExactMaxDimensions = 256;

    // Randomized SVD: extra sketch columns beyond the components, and power iterations (scikit-learn uses 10 and 4-7).
    private const int Oversampling = 10;
    private const int PowerIterations = 5;

    /// <summary>
    /// The first <paramref name="components"/> principal axes of <paramref name="x"/>; <paramref name="exact"/>
    /// forces (true) or forbids (false) the exact method instead of choosing by dimension.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="components"/> is not in [1, min(N, D)].</exception>
    public static PcaResult Fit(EmbeddingInput x, int components, bool? exact = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.Count, d = x.Dimensions;
        if (components < 1 || components > Math.Min(n, d))
            throw new ArgumentOutOfRangeException(nameof(components), components, $"PCA: components must be in [1, {Math.Min(n, d)}] for {n} × {d} data.");
        var mean = new float[d];
        var meanD = new double[d];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < d; a++) meanD[a] += x.Data[i * d + a];
        for (int a = 0; a < d; a++) mean[a] = (float)(meanD[a] / n);
        var centered = new float[(long)n * d];
        double total = 0;
        for (int i = 0; i < n; i++)
            for (int a = 0; a < d; a++)
            {
                float v = x.Data[i * d + a] - mean[a];
                centered[i * d + a] = v;
                total += (double)v * v;
            }
        double denom = Math.Max(1, n - 1);
        total /= denom;
        bool useExact = exact ?? d <= ExactMaxDimensions;
        var (axes, variances) = useExact ? Exact(centered, n, d, components, denom) : Randomized(centered, n, d, components, denom, seed);
        FlipSigns(axes, components, d);
        var ratio = variances.Select(v => total > 0 ? v / total : 0).ToArray();
        return new PcaResult(axes, mean, components, d, variances, ratio, useExact);
    }

    private static (float[] Axes, double[] Variances) Exact(float[] xc, int n, int d, int c, double denom)
    {
        var cov = new float[d * d];
        Gemm.Multiply(true, false, d, d, n, (float)(1 / denom), xc, d, xc, d, 0f, cov, d);
        var a = new double[d * d];
        for (int i = 0; i < d * d; i++) a[i] = cov[i];
        var (values, vectors) = SymmetricEigen.Decompose(a, d);
        var axes = new float[c * d];
        var variances = new double[c];
        for (int k = 0; k < c; k++)
        {
            variances[k] = Math.Max(0, values[k]);
            for (int j = 0; j < d; j++) axes[k * d + j] = (float)vectors[j * d + k];
        }
        return (axes, variances);
    }

    private static (float[] Axes, double[] Variances) Randomized(float[] xc, int n, int d, int c, double denom, int seed)
    {
        int l = Math.Min(Math.Min(n, d), c + Oversampling);
        var rng = new Random(seed);
        var omega = new float[d * l];
        for (int i = 0; i < omega.Length; i++) omega[i] = (float)Gaussian(rng);
        var y = new float[(long)n * l];
        var z = new float[d * l];
        Gemm.Multiply(false, false, n, l, d, 1f, xc, d, omega, l, 0f, y, l);
        for (int it = 0; it < PowerIterations; it++)
        {
            // Re-orthonormalizing between the products keeps the small singular directions from vanishing in float32.
            Orthonormalize(y, n, l);
            Gemm.Multiply(true, false, d, l, n, 1f, xc, d, y, l, 0f, z, l);
            Orthonormalize(z, d, l);
            Gemm.Multiply(false, false, n, l, d, 1f, xc, d, z, l, 0f, y, l);
        }
        Orthonormalize(y, n, l);
        // B = Qᵀ·Xc (l × d); the right singular vectors of Xc are those of B: eigenvectors of Bᵀ... via B·Bᵀ (l × l).
        var b = new float[l * d];
        Gemm.Multiply(true, false, l, d, n, 1f, y, l, xc, d, 0f, b, d);
        var bbt = new double[l * l];
        for (int i = 0; i < l; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int a = 0; a < d; a++) s += (double)b[i * d + a] * b[j * d + a];
                bbt[i * l + j] = bbt[j * l + i] = s;
            }
        var (values, u) = SymmetricEigen.Decompose(bbt, l);
        var axes = new float[c * d];
        var variances = new double[c];
        for (int k = 0; k < c; k++)
        {
            double s2 = Math.Max(0, values[k]), s = Math.Sqrt(s2);
            variances[k] = s2 / denom;
            // v_k = Bᵀ u_k / σ_k.
            for (int a = 0; a < d; a++)
            {
                double v = 0;
                for (int i = 0; i < l; i++) v += b[i * d + a] * u[i * l + k];
                axes[k * d + a] = s > 0 ? (float)(v / s) : 0f;
            }
        }
        return (axes, variances);
    }

    // Modified Gram-Schmidt on the columns of an r × l row-major matrix, in double.
    private static void Orthonormalize(float[] m, int r, int l)
    {
        var col = new double[r];
        var done = new double[l][];
        for (int k = 0; k < l; k++)
        {
            for (int i = 0; i < r; i++) col[i] = m[(long)i * l + k];
            for (int p = 0; p < k; p++)
            {
                double dot = 0;
                var q = done[p];
                for (int i = 0; i < r; i++) dot += q[i] * col[i];
                for (int i = 0; i < r; i++) col[i] -= dot * q[i];
            }
            double norm = 0;
            for (int i = 0; i < r; i++) norm += col[i] * col[i];
            norm = Math.Sqrt(norm);
            var qk = new double[r];
            if (norm > 0) for (int i = 0; i < r; i++) qk[i] = col[i] / norm;
            done[k] = qk;
            for (int i = 0; i < r; i++) m[(long)i * l + k] = (float)qk[i];
        }
    }

    // Makes each axis's largest-magnitude entry positive, so results do not depend on the solver's signs.
    private static void FlipSigns(float[] axes, int c, int d)
    {
        for (int k = 0; k < c; k++)
        {
            var row = axes.AsSpan(k * d, d);
            int arg = 0;
            for (int j = 1; j < d; j++) if (Math.Abs(row[j]) > Math.Abs(row[arg])) arg = j;
            if (row[arg] < 0) for (int j = 0; j < d; j++) row[j] = -row[j];
        }
    }

    internal static double Gaussian(Random rng)
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

/// <summary>A fitted PCA: the principal axes and how much variance each explains.</summary>
public sealed class PcaResult
{
    internal PcaResult(float[] components, float[] mean, int count, int dimensions, double[] variance, double[] ratio, bool exact)
    {
        Components = components;
        Mean = mean;
        ComponentCount = count;
        Dimensions = dimensions;
        ExplainedVariance = variance;
        ExplainedVarianceRatio = ratio;
        IsExact = exact;
    }

    /// <summary>The unit axes, one row of <see cref="Dimensions"/> values per component, largest variance first.</summary>
    public float[] Components { get; }

    /// <summary>The column means that were subtracted.</summary>
    public float[] Mean { get; }

    /// <summary>Number of components.</summary>
    public int ComponentCount { get; }

    /// <summary>Input features.</summary>
    public int Dimensions { get; }

    /// <summary>Variance along each axis (sample variance, N − 1 in the denominator, as scikit-learn).</summary>
    public IReadOnlyList<double> ExplainedVariance { get; }

    /// <summary>Each axis's share of the total variance.</summary>
    public IReadOnlyList<double> ExplainedVarianceRatio { get; }

    /// <summary>Whether the exact decomposition (rather than randomized SVD) was used.</summary>
    public bool IsExact { get; }

    /// <summary>Projects rows onto the axes: (x − mean)·Componentsᵀ, N × <see cref="ComponentCount"/>.</summary>
    /// <exception cref="ArgumentException">The input has a different number of features.</exception>
    public float[] Transform(EmbeddingInput x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Dimensions != Dimensions) throw new ArgumentException($"PCA: fitted on {Dimensions} features, got {x.Dimensions}.");
        var centered = new float[x.Data.Length];
        for (int i = 0; i < x.Count; i++)
            for (int a = 0; a < Dimensions; a++) centered[i * Dimensions + a] = x.Data[i * Dimensions + a] - Mean[a];
        var result = new float[(long)x.Count * ComponentCount];
        Gemm.Multiply(false, true, x.Count, ComponentCount, Dimensions, 1f, centered, Dimensions, Components, Dimensions, 0f, result, ComponentCount);
        return result;
    }
}
