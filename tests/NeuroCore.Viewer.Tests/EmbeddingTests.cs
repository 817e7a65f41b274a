using System.Net;
using System.Text.Json;
using NeuroCore.Embeddings;
using NeuroCore.Snapshots;

namespace NeuroCore.Viewer.Tests;

/// <summary>
/// The embedding of a recorded layer (GET /api/runs/{id}/embedding and its page): the points are the
/// probe inputs with their labels, the positions are the core's PCA of the stored activations, the
/// neighbours are the exact nearest ones in activation space, and the page shows and hovers them.
/// </summary>
public sealed class EmbeddingTests
{
    private const int Probe = 60;

    private static (string Layer, long Step) Hidden(JsonElement view) =>
        (view.GetProperty("layers").EnumerateArray().ToList()[^2].GetProperty("name").GetString()!,
         view.GetProperty("snapshots").EnumerateArray().Last().GetProperty("step").GetInt64());

    [Fact]
    public async Task Pca_embedding_has_every_probe_input_its_label_and_exact_neighbours()
    {
        await using var server = await ViewerServer.StartAsync(seed: s => ConvRun.Record(Path.Combine(s.Root, "bars"), epochs: 2, probe: Probe));
        var view = JsonDocument.Parse(await server.Client.GetStringAsync("/api/runs/bars/view")).RootElement;
        var (layer, step) = Hidden(view);
        var e = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/runs/bars/embedding?layer={layer}&step={step}&method=pca&dims=3")).RootElement;

        var run = TrainingRun.Open(Path.Combine(server.Root, "bars"));
        var recorded = e.GetProperty("recordedAs").GetString()!;
        var acts = run.LoadSnapshot(run.GetEntry(step)).Activations[recorded];
        var input = EmbeddingInput.FromTensor(acts);
        var labels = run.LoadProbe()!.Labels!.ToLongArray();
        string[] classes = ["horizontal", "vertical", "diagonal"];
        Assert.Equal(Probe, e.GetProperty("count").GetInt32());
        Assert.Equal(input.Dimensions, e.GetProperty("inputDimensions").GetInt32());
        var points = e.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(Probe, points.Count);

        // Positions: the core's PCA of the stored activations (up to each axis' sign, which PCA leaves open).
        var pca = Pca.Fit(input, 3).Transform(input);
        for (var a = 0; a < 3; a++)
        {
            var sign = Math.Sign(points[0].GetProperty("position")[a].GetDouble() * pca[a]) is 0 ? 1 : Math.Sign(points[0].GetProperty("position")[a].GetDouble() * pca[a]);
            for (var i = 0; i < Probe; i++)
                Assert.Equal(pca[3 * i + a] * sign, points[i].GetProperty("position")[a].GetDouble(), 3);
        }

        for (var i = 0; i < Probe; i++)
        {
            Assert.Equal(labels[i], points[i].GetProperty("label").GetInt64());
            Assert.Equal(classes[labels[i]], points[i].GetProperty("labelName").GetString());
            // Neighbours: a brute-force search over the stored activations (ties by smaller index).
            var expected = Enumerable.Range(0, Probe).Where(j => j != i)
                .Select(j => (j, d: Distance(input.Row(i), input.Row(j)))).OrderBy(t => t.d).ThenBy(t => t.j).Take(8).ToList();
            var got = points[i].GetProperty("neighbors").EnumerateArray().Select(n => n.GetInt32()).ToList();
            Assert.Equal(8, got.Count);
            // Same set of distances (float rounding may swap exact ties), and the nearest one agrees.
            var gotD = got.Select(j => Distance(input.Row(i), input.Row(j))).ToList();
            for (var k = 0; k < 8; k++) Assert.Equal(expected[k].d, gotD[k], 1e-3 * (1 + expected[k].d));
        }

        // Probe images for image inputs: 8 × 8 grey, one per point.
        Assert.Equal([8, 8], e.GetProperty("imageShape").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal(Probe * 64, Convert.FromBase64String(e.GetProperty("images").GetString()!).Length);
        Assert.True(e.GetProperty("colors").GetArrayLength() >= 3);
    }

    private static double Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (var k = 0; k < a.Length; k++) { double d = a[k] - b[k]; s += d * d; }
        return s;
    }

    [Fact]
    public async Task Unknown_layers_steps_and_methods_are_problem_details()
    {
        await using var server = await ViewerServer.StartAsync(seed: s => DemoRun.Record(Path.Combine(s.Root, "demo"), epochs: 2));
        var layer = await server.Client.GetAsync("/api/runs/demo/embedding?layer=nope");
        Assert.Equal(HttpStatusCode.NotFound, layer.StatusCode);
        Assert.Equal("application/problem+json", layer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("dense_1", await layer.Content.ReadAsStringAsync()); // the message lists the layers
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/api/runs/demo/embedding?layer=dense_1&step=7")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/api/runs/nope/embedding?layer=dense_1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.GetAsync("/api/runs/demo/embedding?layer=dense_1&method=umap")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.GetAsync("/api/runs/demo/embedding?layer=dense_1&dims=4")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.GetAsync("/api/runs/demo/embedding")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await server.Client.GetAsync("/api/runs/demo/embedding?layer=input")).StatusCode);
        // t-SNE on 8 points: the perplexity is lowered to fit (below N / 3) rather than refused.
        var tsne = JsonDocument.Parse(await server.Client.GetStringAsync("/api/runs/demo/embedding?layer=dense_1&method=tsne&dims=2")).RootElement;
        Assert.Equal(2, tsne.GetProperty("points")[0].GetProperty("position").GetArrayLength());
        // The demo's probe has 8 inputs: PCA works, and asking again is answered from the cache (same text).
        var first = await server.Client.GetStringAsync("/api/runs/demo/embedding?layer=dense_2&method=pca");
        Assert.Equal(first, await server.Client.GetStringAsync("/api/runs/demo/embedding?layer=dense_2&method=pca"));
        Assert.Equal(8, JsonDocument.Parse(first).RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Embedding_page_draws_the_points_and_hover_shows_the_item_its_image_and_neighbours()
    {
        Browser.Require();
        await using var server = await ViewerServer.StartAsync(seed: s => ConvRun.Record(Path.Combine(s.Root, "bars"), epochs: 2, probe: Probe));
        var view = JsonDocument.Parse(await server.Client.GetStringAsync("/api/runs/bars/view")).RootElement;
        var (layer, step) = Hidden(view);
        Directory.CreateDirectory(Browser.ImagesDir);
        var result = Browser.Run("embedding", new Dictionary<string, string>
        {
            ["url"] = server.Url, ["run"] = "bars", ["layer"] = layer, ["method"] = "tsne", ["point"] = "5", ["shots"] = Browser.ImagesDir,
        }, TimeSpan.FromMinutes(3));

        Assert.Empty(result.GetProperty("consoleErrors").EnumerateArray());
        Assert.Contains("/runs/bars/embedding", result.GetProperty("url").GetString());
        Assert.True(result.GetProperty("nonBackground").GetDouble() > 0.002, $"the canvas is (nearly) blank: {result}");
        var hovered = result.GetProperty("hovered").GetInt32();
        Assert.True(hovered >= 0, $"hovering point 5 hit nothing: {result}");
        var e = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/runs/bars/embedding?layer={layer}&step={step}&method=tsne&dims=3")).RootElement;
        var p = e.GetProperty("points")[hovered];
        Assert.Contains(p.GetProperty("name").GetString()!, result.GetProperty("point").GetString());
        Assert.Contains($"class {p.GetProperty("labelName").GetString()}", result.GetProperty("point").GetString());
        var first = p.GetProperty("neighbors")[0].GetInt32();
        Assert.Contains(e.GetProperty("points")[first].GetProperty("name").GetString()!, result.GetProperty("neighbors").GetString());
        // The probe image (8 × 8 bars) is drawn: some pixels lit, not all.
        var thumb = result.GetProperty("thumb");
        Assert.Equal(8, thumb.GetProperty("width").GetInt32());
        Assert.InRange(thumb.GetProperty("lit").GetInt32(), 1, 63);
        // Beside the network: the run page's panel loads the embedding while the network stays drawn.
        var beside = result.GetProperty("beside");
        Assert.Equal(JsonValueKind.Null, beside.GetProperty("error").ValueKind);
        Assert.Equal(Probe, beside.GetProperty("count").GetInt32());
        Assert.True(beside.GetProperty("network").GetDouble() > 0.01, $"the network is not drawn beside the panel: {beside}");
    }
}
