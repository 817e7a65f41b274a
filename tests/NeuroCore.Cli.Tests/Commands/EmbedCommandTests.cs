using NeuroCore.Cli;
using NeuroCore.Visualization.Tests.Infrastructure;

namespace NeuroCore.Cli.Tests.Commands;

/// <summary>The embed command end to end (through the CLI's entry point) on a small CSV, and its failure exit code.</summary>
public class EmbedCommandTests
{
    [Fact]
    public void EmbedsACsvAndFailsCleanlyOnAMissingFile()
    {
        using var dir = new TempDir();
        var csv = Path.Combine(dir.Path, "rows.tsv");
        var rng = new Random(4);
        File.WriteAllLines(csv, Enumerable.Range(0, 120).Select(i =>
            FormattableString.Invariant($"{i % 3 * 4 + rng.NextDouble()}\t{rng.NextDouble()}\t{i % 3 * 2 + rng.NextDouble()}\tclass{i % 3}")));
        var output = Path.Combine(dir.Path, "out");
        int code = CliApp.Run(["embed", "--input", csv, "--method", "tsne", "--dims", "2", "--perplexity", "10", "--iterations", "300", "-o", output], TextWriter.Null, TextWriter.Null, cancellation: TestContext.Current.CancellationToken);
        Assert.Equal(0, code);
        foreach (var f in new[] { "tensors.tsv", "metadata.tsv", "projector_config.pbtxt", "projector_config.json", "embedding.tsv", "embedding.json", "embedding.glb" })
            Assert.True(File.Exists(Path.Combine(output, f)), f);
        Assert.Equal(120, File.ReadAllLines(Path.Combine(output, "embedding.tsv")).Length);
        Assert.Equal(1, CliApp.Run(["embed", "--input", Path.Combine(dir.Path, "missing.csv"), "-o", output], TextWriter.Null, TextWriter.Null, cancellation: TestContext.Current.CancellationToken));
    }
}
