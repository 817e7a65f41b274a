using NeuroCore.Embeddings;
using NeuroCore.Visualization.Embeddings;

namespace NeuroCore.Visualization.Tests.Embeddings;

public class EmbeddingPipelineTests
{
    [Fact]
    public void PcaOfACsvFileWritesEveryOutput()
    {
        using var dir = new TempDir();
        var csv = Path.Combine(dir.Path, "points.csv");
        var rng = new Random(1);
        File.WriteAllLines(csv, new[] { "x,y,z,w,kind" }.Concat(Enumerable.Range(0, 60).Select(i =>
            FormattableString.Invariant($"{i % 2 * 5 + rng.NextDouble()},{rng.NextDouble()},{i % 2 * 3 + rng.NextDouble()},{rng.NextDouble()},{(i % 2 == 0 ? "even" : "odd")}"))));
        var source = EmbeddingFiles.Read(csv);
        var view = EmbeddingPipeline.Run(source, new EmbedSettings { Method = "pca", Dimensions = 2, Neighbors = 5 }, cancellation: TestContext.Current.CancellationToken);
        Assert.True(view.Metrics["explainedVarianceRatio1"] > view.Metrics["explainedVarianceRatio2"]);
        Assert.Equal(1.0, view.Metrics["knnAccuracy"], 1e-9);
        var out_ = Path.Combine(dir.Path, "out");
        EmbeddingWriter.WriteAll(view, out_);
        Assert.Equal(60, File.ReadAllLines(Path.Combine(out_, EmbeddingTsv.FileName)).Length);
        Assert.True(File.Exists(Path.Combine(out_, PointCloudGltf.FileName)));
        Assert.Contains("unknown method 'umap'", Assert.Throws<ArgumentException>(() => EmbeddingPipeline.Run(source, new EmbedSettings { Method = "umap" }, cancellation: TestContext.Current.CancellationToken)).Message);
    }
}
