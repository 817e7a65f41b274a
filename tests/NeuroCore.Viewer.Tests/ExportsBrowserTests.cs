using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NeuroCore.Snapshots;

namespace NeuroCore.Viewer.Tests;

/// <summary>
/// The export buttons against the render service's job contract (issue 10: <c>POST /api/runs/{id}/renders</c>
/// → 202 + Location → <c>GET /api/jobs/{id}</c> with state/progress/resultUrl), here a stand-in with that
/// shape, and without any render API (the page must say so).
/// </summary>
public sealed class ExportsBrowserTests
{
    [Fact]
    public async Task GltfButton_requests_a_render_job_follows_it_and_offers_the_result()
    {
        Browser.Require();
        JsonElement? request = null;
        var polls = 0;
        await using var server = await ViewerServer.StartAsync(seed: s => DemoRun.Record(Path.Combine(s.Root, "demo"), epochs: 2), more: app =>
        {
            app.MapPost("/api/runs/{id}/renders", async (HttpRequest r, string id) =>
            {
                request = (await JsonDocument.ParseAsync(r.Body)).RootElement.Clone();
                return Results.Accepted($"/api/jobs/job-{id}", new { id = $"job-{id}" });
            });
            app.MapGet("/api/jobs/{job}", (string job) => Interlocked.Increment(ref polls) < 2
                ? Results.Json(new { state = "running", progress = 0.5, etaSeconds = 1 })
                : Results.Json(new { state = "succeeded", progress = 1.0, resultUrl = $"/api/jobs/{job}/result" }));
        });
        var result = Browser.Run("exports", new Dictionary<string, string> { ["url"] = server.Url, ["run"] = "demo", ["button"] = "gltf-step" }, TimeSpan.FromMinutes(2));

        Assert.Equal("/api/jobs/job-demo/result", result.GetProperty("href").GetString());
        Assert.Contains("download gltf-step", result.GetProperty("message").GetString());
        var body = Assert.NotNull(request);
        Assert.Equal("gltf-step", body.GetProperty("kind").GetString());
        Assert.Equal("glb", body.GetProperty("format").GetString());
        var run = TrainingRun.Open(Path.Combine(server.Root, "demo"));
        Assert.Equal(run.Latest!.Step, body.GetProperty("step").GetInt32()); // the step on screen
    }

    [Fact]
    public async Task VideoButton_without_the_render_service_says_so()
    {
        Browser.Require();
        await using var server = await ViewerServer.StartAsync(seed: s => DemoRun.Record(Path.Combine(s.Root, "demo"), epochs: 2));
        var result = Browser.Run("exports", new Dictionary<string, string>
        {
            ["url"] = server.Url, ["run"] = "demo", ["button"] = "video", ["allow-404"] = "1",
        }, TimeSpan.FromMinutes(2));
        Assert.Contains("needs the render service", result.GetProperty("message").GetString());
    }
}
