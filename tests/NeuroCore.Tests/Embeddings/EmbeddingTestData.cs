using NeuroCore.Embeddings;

namespace NeuroCore.Tests.Embeddings;

/// <summary>Small seeded point sets for the embedding tests.</summary>
internal static class EmbeddingTestData
{
    /// <summary><paramref name="clusters"/> Gaussian blobs of <paramref name="perCluster"/> points in <paramref name="dims"/> dimensions.</summary>
    public static (EmbeddingInput Input, int[] Labels) Blobs(int clusters, int perCluster, int dims, int seed = 3, double spread = 0.3)
    {
        var rng = new Random(seed);
        var centers = new double[clusters * dims];
        for (int i = 0; i < centers.Length; i++) centers[i] = rng.NextDouble() * 10;
        int n = clusters * perCluster;
        var data = new float[n * dims];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int c = i % clusters;
            labels[i] = c;
            for (int a = 0; a < dims; a++) data[i * dims + a] = (float)(centers[c * dims + a] + spread * Gaussian(rng));
        }
        return (EmbeddingInput.FromRows(data, n, dims), labels);
    }

    public static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    public static double[] RandomLayout(int n, int dims, int seed, double scale = 3)
    {
        var rng = new Random(seed);
        var y = new double[n * dims];
        for (int i = 0; i < y.Length; i++) y[i] = scale * Gaussian(rng);
        return y;
    }
}
