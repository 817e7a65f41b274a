using NeuroCore.Data;
using NeuroCore.Embeddings;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Embeddings;

public class EmbeddingQualityTests
{
    [Fact]
    public void TrustworthinessIsOneForTheInputItselfAndLowForNoise()
    {
        var (x, _) = EmbeddingTestData.Blobs(3, 50, 2);
        Assert.Equal(1.0, EmbeddingMetrics.Trustworthiness(x, x.Data, 2, 5), 1e-12);
        var noise = EmbeddingTestData.RandomLayout(x.Count, 2, 1).Select(v => (float)v).ToArray();
        Assert.True(EmbeddingMetrics.Trustworthiness(x, noise, 2, 5) < 0.75);
    }

    [Fact]
    public void DigitsTsneIsTrustworthy()
    {
        var path = Path.Combine(SklearnDatasets.DefaultDirectory, "digits.csv.gz");
        ExternalTools.Require(File.Exists(path), $"scikit-learn's digits data ({path})", SklearnDatasets.InstallHint);
        var digits = SklearnDatasets.LoadDigits();
        var x = EmbeddingInput.FromTensor(digits.Data.Inputs);
        var labels = digits.Data.Targets.ToLongArray().Select(v => (int)v).ToArray();
        // A shortened schedule (400 iterations) keeps the test at a few seconds; the full run (1000) is the benchmark's.
        var result = Tsne.Fit(x, new TsneOptions { Dimensions = 2, Iterations = 400, Seed = 0 });
        double trust = EmbeddingMetrics.Trustworthiness(x, result.Coordinates, 2, 10);
        Assert.True(trust > 0.985, $"trustworthiness {trust:F4}");
        Assert.True(EmbeddingMetrics.KnnAccuracy(result.Coordinates, 2, labels, 10) > 0.96);
    }
}
