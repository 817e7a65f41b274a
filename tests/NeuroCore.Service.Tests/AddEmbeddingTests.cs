using System.Net;
using System.Text.Json;
using NeuroCore.Embeddings;
using NeuroCore.Service.Tests.Infrastructure;
using NeuroCore.Visualization.Embeddings;

namespace NeuroCore.Service.Tests;

/// <summary><c>neurocore serve --add-embedding FOLDER</c>: an embedding output folder is served by the real CLI process under its name.</summary>
public class AddEmbeddingTests
{
    [Fact]
    public async Task AnEmbeddingFolderIsListedAndServedUnderItsName()
    {
        string data = Temp.NewFolder("add-embedding");
        string folder = Path.Combine(Temp.NewFolder("local"), "points");
        var rows = new float[40 * 4];
        var rng = new Random(1);
        for (int i = 0; i < rows.Length; i++) rows[i] = (float)rng.NextDouble() + (i / 4 % 2) * 3;
        var source = new EmbeddingSource(EmbeddingInput.FromRows(rows, 40, 4), [.. Enumerable.Range(0, 40).Select(i => i % 2)], ["low", "high"], null, null, "two blobs");
        EmbeddingWriter.WriteAll(EmbeddingPipeline.Run(source, new EmbedSettings { Method = "pca", Dimensions = 3 }, cancellation: TestContext.Current.CancellationToken), folder);

        using var service = await ServiceProcess.StartServeAsync(data, "--add-embedding", folder, "--workers", "0");
        using var client = service.Client();
        for (int i = 0; i < 100 && !service.Output.Contains("embedding 'points'"); i++) await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Contains($"embedding 'points' (from {folder})", service.Output);
        var listed = JsonDocument.Parse(await client.GetStringAsync("/api/embeddings", TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("points", Assert.Single(listed.EnumerateArray()).GetProperty("name").GetString());
        var doc = JsonDocument.Parse(await client.GetStringAsync("/api/embeddings/points", TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(40, doc.GetProperty("points").GetArrayLength());
        Assert.Equal("high", doc.GetProperty("points")[1].GetProperty("labelName").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/embeddings/points", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/embeddings/local", TestContext.Current.CancellationToken)).StatusCode);
        service.Kill();
    }
}
