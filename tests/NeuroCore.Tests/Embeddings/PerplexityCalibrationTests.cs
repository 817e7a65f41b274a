using NeuroCore.Embeddings;

namespace NeuroCore.Tests.Embeddings;

public class PerplexityCalibrationTests
{
    [Theory]
    [InlineData(5.0)]
    [InlineData(30.0)]
    public void EveryRowHitsTheTargetEntropy(double perplexity)
    {
        var (x, _) = EmbeddingTestData.Blobs(5, 60, 12);
        var graph = NearestNeighbors.Find(x, (int)(3 * perplexity));
        var (p, beta) = PerplexityCalibration.Conditional(graph, perplexity);
        for (int i = 0; i < graph.Count; i++)
        {
            double sum = 0, h = 0;
            for (int j = 0; j < graph.K; j++)
            {
                double v = p[i * graph.K + j];
                sum += v;
                if (v > 0) h -= v * Math.Log(v);
            }
            Assert.Equal(1.0, sum, 1e-9);
            Assert.True(Math.Abs(h - Math.Log(perplexity)) < 1e-4, $"row {i}: entropy {h}, target {Math.Log(perplexity)}");
            Assert.True(beta[i] > 0);
        }
    }

    [Fact]
    public void JointAffinitiesAreSymmetricAndSumToOne()
    {
        var (x, _) = EmbeddingTestData.Blobs(3, 30, 4);
        var p = PerplexityCalibration.Joint(NearestNeighbors.Find(x, 15), 5);
        var dense = p.ToDense();
        Assert.Equal(1.0, dense.Sum(), 1e-9);
        for (int i = 0; i < p.Count; i++)
            for (int j = 0; j < p.Count; j++) Assert.Equal(dense[i * p.Count + j], dense[j * p.Count + i], 1e-15);
    }

    [Fact]
    public void NearestNeighboursMatchBruteForce()
    {
        var (x, _) = EmbeddingTestData.Blobs(4, 80, 7);
        var graph = NearestNeighbors.Find(x, 9);
        for (int i = 0; i < x.Count; i += 17)
        {
            var brute = Enumerable.Range(0, x.Count).Where(j => j != i)
                .Select(j => (j, d: Enumerable.Range(0, x.Dimensions).Sum(a => Math.Pow(x.Data[i * 7 + a] - x.Data[j * 7 + a], 2))))
                .OrderBy(t => t.d).Take(9).ToArray();
            Assert.Equal(brute.Select(t => t.j).ToHashSet(), graph.Of(i).ToArray().ToHashSet());
            for (int k = 0; k < 9; k++) Assert.Equal(brute[k].d, graph.SquaredDistances[i * 9 + k], 1e-3 * Math.Max(1, brute[k].d));
        }
    }
}
