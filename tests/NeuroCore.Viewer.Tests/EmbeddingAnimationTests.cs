using System.Net;
using System.Text.Json;

namespace NeuroCore.Viewer.Tests;

/// <summary>
/// A layer's embedding across snapshots (GET /api/runs/{id}/embedding/frames and the embedding page's slider and
/// play button): the frames are the run's snapshots, the last frame is the document's positions, bad queries
/// are 400 problem details, and in Chromium scrubbing moves the points, interpolates between frames and hover
/// still finds them.
/// </summary>
public sealed class EmbeddingAnimationTests
{
    private const int Probe = 60;

    private static float[] Positions(JsonElement frame)
    {
        var bytes = Convert.FromBase64String(frame.GetProperty("positions").GetString()!);
        var v = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, v, 0, bytes.Length);
        return v;
    }

    private static (double[] Centre, double Radius) Spread(float[] p)
    {
        var n = p.Length / 3;
        var c = new double[3];
        for (var i = 0; i < p.Length; i++) c[i % 3] += p[i] / (double)n;
        double r = 0;
        for (var i = 0; i < p.Length; i++) r += (p[i] - c[i % 3]) * (p[i] - c[i % 3]);
        return (c, Math.Sqrt(r / n));
    }

    private static async Task<(ViewerServer Server, string Layer, long[] Steps)> Start()
    {
        var server = await ViewerServer.StartAsync(seed: s => ConvRun.Record(Path.Combine(s.Root, "bars"), epochs: 6, probe: Probe));
        var view = JsonDocument.Parse(await server.Client.GetStringAsync("/api/runs/bars/view")).RootElement;
        var layer = view.GetProperty("layers").EnumerateArray().ToList()[^2].GetProperty("name").GetString()!;
        var steps = view.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("step").GetInt64()).ToArray();
        return (server, layer, steps);
    }

    [Fact]
    public async Task Frames_are_the_snapshots_the_last_is_the_documents_positions_and_tsne_moves_rather_than_jumps()
    {
        var (server, layer, steps) = await Start();
        await using var _ = server;
        Assert.True(steps.Length >= 6, $"the run has {steps.Length} snapshots");
        var e = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/runs/bars/embedding/frames?layer={layer}&method=tsne&dims=3&frames=5")).RootElement;
        var frames = e.GetProperty("frames").EnumerateArray().ToList();
        Assert.Equal(5, frames.Count);
        // Evenly picked over the recorded steps, first and last kept.
        Assert.Equal(steps[0], frames[0].GetProperty("step").GetInt64());
        Assert.Equal(steps[^1], frames[^1].GetProperty("step").GetInt64());
        Assert.Equal(steps[^1], e.GetProperty("step").GetInt64());
        Assert.Equal(Probe, e.GetProperty("count").GetInt32());
        var points = e.GetProperty("points").EnumerateArray().ToList();
        var lastFrame = Positions(frames[^1]);
        Assert.Equal(Probe * 3, lastFrame.Length);
        for (var i = 0; i < Probe; i++)
            for (var a = 0; a < 3; a++) Assert.Equal(lastFrame[3 * i + a], points[i].GetProperty("position")[a].GetSingle());
        // Later frames are warm-started: fewer iterations (RunEmbeddings.WarmIterations = 200), and each moves less than the whole cloud's size.
        Assert.Equal(200, frames[1].GetProperty("iterations").GetInt32());
        Assert.All(frames.Skip(1), f => Assert.InRange(f.GetProperty("displacement").GetDouble(), 0, 1.2));
        Assert.NotEqual(Positions(frames[0]), lastFrame);
        // Explicit steps, and the cache answers a repeat with the same text.
        var url = $"/api/runs/bars/embedding/frames?layer={layer}&method=pca&steps={steps[0]},{steps[2]},{steps[^1]}";
        var pca = await server.Client.GetStringAsync(url);
        Assert.Equal([steps[0], steps[2], steps[^1]], JsonDocument.Parse(pca).RootElement.GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("step").GetInt64()));
        Assert.Equal(pca, await server.Client.GetStringAsync(url));
    }

    [Fact]
    public async Task Bad_queries_are_problem_details()
    {
        var (server, layer, steps) = await Start();
        await using var _ = server;
        async Task Expect(HttpStatusCode status, string query, string? says = null)
        {
            var r = await server.Client.GetAsync($"/api/runs/bars/embedding/frames?{query}");
            var body = await r.Content.ReadAsStringAsync();
            Assert.True(status == r.StatusCode, $"{query}: {r.StatusCode} {body}");
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            if (says is not null) Assert.Contains(says, body);
        }
        await Expect(HttpStatusCode.BadRequest, "frames=3", "layer is required");
        await Expect(HttpStatusCode.BadRequest, $"layer={layer}&frames=0", "frames must be a whole number from 1 to 24");
        await Expect(HttpStatusCode.BadRequest, $"layer={layer}&frames=25", "from 1 to 24");
        await Expect(HttpStatusCode.BadRequest, $"layer={layer}&frames=abc", "got 'abc'");
        await Expect(HttpStatusCode.BadRequest, $"layer={layer}&frames=-3");
        await Expect(HttpStatusCode.BadRequest, $"layer={layer}&dims=4", "dims must be 2 or 3");
        await Expect(HttpStatusCode.BadRequest, $"layer={layer}&method=umap", "method must be pca or tsne");
        await Expect(HttpStatusCode.BadRequest, $"layer={layer}&frames=3&steps=0", "not both");
        await Expect(HttpStatusCode.BadRequest, $"layer={layer}&steps=0,x", "'x' is not one");
        await Expect(HttpStatusCode.BadRequest, $"layer={layer}&steps={steps[1]},{steps[0]}", "ascend");
        await Expect(HttpStatusCode.BadRequest, $"layer={layer}&steps={string.Join(',', Enumerable.Range(0, 25))}", "at most 24");
        await Expect(HttpStatusCode.BadRequest, $"layer={layer}&steps={new string('9', 5000)}", "…");
        await Expect(HttpStatusCode.NotFound, $"layer={layer}&steps={steps[0]},{steps[^1] + 1}", $"no snapshot at step {steps[^1] + 1}");
        await Expect(HttpStatusCode.NotFound, "layer=nope", "no layer 'nope'");
        await Expect(HttpStatusCode.UnprocessableEntity, "layer=input", "input");
        var run = await server.Client.GetAsync($"/api/runs/none/embedding/frames?layer={layer}");
        Assert.Equal(HttpStatusCode.NotFound, run.StatusCode);
    }

    [Fact]
    public async Task The_page_plays_and_scrubs_the_frames_points_move_and_hover_still_works()
    {
        Browser.Require();
        var (server, layer, _) = await Start();
        await using var _ = server;
        Directory.CreateDirectory(Browser.ImagesDir);
        var result = Browser.Run("embedding-animation", new Dictionary<string, string>
        {
            ["url"] = server.Url, ["run"] = "bars", ["layer"] = layer, ["method"] = "tsne", ["frames"] = "6", ["point"] = "5", ["shots"] = Browser.ImagesDir,
        }, TimeSpan.FromMinutes(4));

        var e = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/runs/bars/embedding/frames?layer={layer}&method=tsne&dims=3&frames=6")).RootElement;
        var frames = e.GetProperty("frames").EnumerateArray().ToList();
        Assert.Equal(frames.Count, result.GetProperty("frames").GetInt32());
        float[] P(string key) => result.GetProperty(key).GetProperty("p").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        // The page shows every frame at the last frame's spread (centroid and RMS radius), so the camera can stay still.
        var (lastCentre, lastRadius) = Spread(Positions(frames[^1]));
        double[] Api(int f)
        {
            var all = Positions(frames[f]);
            var (c, r) = Spread(all);
            return [.. Enumerable.Range(0, 3).Select(a => lastCentre[a] + (all[3 * 5 + a] - c[a]) * lastRadius / r)];
        }
        void Same(double[] want, float[] got)
        {
            for (var a = 0; a < 3; a++) Assert.Equal(want[a], got[a], 1e-4 * (1 + lastRadius));
        }
        // The page shows the last frame first, the first after scrubbing to 0, each where the API puts point 5.
        Same(Api(frames.Count - 1), P("last"));
        Same(Api(0), P("first"));
        Same(Api(1), P("second"));
        Assert.Equal(frames[0].GetProperty("step").GetInt64(), result.GetProperty("first").GetProperty("step").GetInt64());
        // Half way between frames 0 and 1 the point is half way (the easing is symmetric about the middle).
        var half = P("half");
        Same([.. Enumerable.Range(0, 3).Select(a => (Api(0)[a] + Api(1)[a]) / 2)], half);
        Assert.NotEqual(P("first"), P("last"));
        // The picture changed with the frame, and is not blank.
        var picture = result.GetProperty("picture");
        // Not blank: 60 small points lit about 0.2 % of the canvas; a blank one lights none. (How much depends on how
        // tightly t-SNE packs the clusters, so the floor is well below that.)
        Assert.True(picture.GetProperty("first").GetDouble() > 0.0005, $"blank canvas: {picture}");
        Assert.True(picture.GetProperty("changed").GetDouble() > 0.002, $"scrubbing did not change the picture: {picture}");
        // Hover finds the moved point and names it.
        var hovered = result.GetProperty("hovered").GetInt32();
        Assert.True(hovered >= 0, $"hovering point 5 at frame 0 hit nothing: {result}");
        Assert.Contains(e.GetProperty("points")[hovered].GetProperty("name").GetString()!, result.GetProperty("point").GetString());
        // Play advanced the time by itself.
        Assert.True(result.GetProperty("playing").GetProperty("t").GetDouble() > 0.3, $"play did not advance: {result.GetProperty("playing")}");
        Assert.Contains("step", result.GetProperty("frameStatus").GetString());
    }
}
