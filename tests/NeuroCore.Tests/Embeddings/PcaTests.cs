using NeuroCore.Embeddings;

namespace NeuroCore.Tests.Embeddings;

/// <summary>PCA on data built from a known decomposition: ±c_k·v_k for orthonormal v_k.</summary>
public class PcaTests
{
    // Rows ±c_k v_k: mean 0, covariance Σ_k 2c_k² v_k v_kᵀ / (n − 1), so the axes are exactly v_k, the variances 2c_k²/(n − 1).
    private static (EmbeddingInput X, double[,] V, double[] C) KnownData(int d)
    {
        var rng = new Random(9);
        var v = new double[d, d];
        for (int k = 0; k < d; k++)
        {
            for (int j = 0; j < d; j++) v[k, j] = EmbeddingTestData.Gaussian(rng);
            for (int p = 0; p < k; p++)
            {
                double dot = 0;
                for (int j = 0; j < d; j++) dot += v[k, j] * v[p, j];
                for (int j = 0; j < d; j++) v[k, j] -= dot * v[p, j];
            }
            double norm = Math.Sqrt(Enumerable.Range(0, d).Sum(j => v[k, j] * v[k, j]));
            for (int j = 0; j < d; j++) v[k, j] /= norm;
        }
        var c = Enumerable.Range(0, d).Select(k => 8.0 / (k + 1)).ToArray();
        var rows = new float[2 * d * d];
        for (int k = 0; k < d; k++)
            for (int j = 0; j < d; j++)
            {
                rows[(2 * k) * d + j] = (float)(c[k] * v[k, j]);
                rows[(2 * k + 1) * d + j] = (float)(-c[k] * v[k, j]);
            }
        return (EmbeddingInput.FromRows(rows, 2 * d, d), v, c);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RecoversTheAxesAndVariances(bool exact)
    {
        const int d = 12, components = 4;
        var (x, v, c) = KnownData(d);
        var pca = Pca.Fit(x, components, exact);
        Assert.Equal(exact, pca.IsExact);
        double total = c.Sum(ck => 2 * ck * ck / (2 * d - 1));
        for (int k = 0; k < components; k++)
        {
            double expected = 2 * c[k] * c[k] / (2 * d - 1);
            Assert.Equal(expected, pca.ExplainedVariance[k], expected * 1e-4);
            Assert.Equal(expected / total, pca.ExplainedVarianceRatio[k], 1e-4);
            double dot = 0;
            for (int j = 0; j < d; j++) dot += pca.Components[k * d + j] * v[k, j];
            Assert.True(Math.Abs(Math.Abs(dot) - 1) < 1e-4, $"component {k}: |cos| = {Math.Abs(dot)}");
        }
        // Projections of the ±c_0 v_0 rows onto the first axis are ±c_0.
        var proj = pca.Transform(x);
        Assert.Equal(c[0], Math.Abs(proj[0]), 1e-4);
        Assert.Equal(0, proj[1], 1e-4);
    }
}
