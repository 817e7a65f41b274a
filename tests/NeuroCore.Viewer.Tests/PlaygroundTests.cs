using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NeuroCore.Snapshots;

namespace NeuroCore.Viewer.Tests;

/// <summary>The playground: its limits over HTTP, and a real training watched in Chromium.</summary>
public sealed class PlaygroundTests
{
    [Fact]
    public void Every_offered_activation_is_a_module_of_the_core_table()
    {
        var expected = new Dictionary<string, Type>
        {
            ["tanh"] = typeof(NeuroCore.NN.Tanh), ["relu"] = typeof(NeuroCore.NN.ReLU), ["sigmoid"] = typeof(NeuroCore.NN.Sigmoid),
            ["leaky-relu"] = typeof(NeuroCore.NN.LeakyReLU), ["gelu"] = typeof(NeuroCore.NN.GELU),
        };
        Assert.Equal(expected.Keys.Order(), Playground.PlaygroundConfig.Activations.Order());
        foreach (var name in Playground.PlaygroundConfig.Activations)
            Assert.IsType(expected[name], NeuroCore.NN.ActivationFunctions.CreateModule(Playground.PlaygroundConfig.ActivationOf(name)));
        Assert.Contains("'softmax' is not one of", Assert.Throws<ArgumentException>(() => Playground.PlaygroundConfig.ActivationOf("softmax")).Message);
    }

    [Fact]
    public async Task Concurrency_limit_is_a_429_problem_and_frees_when_a_session_ends()
    {
        await using var server = await ViewerServer.StartAsync(new ViewerOptions { MaxConcurrentTrainings = 1 });
        var first = await server.Client.PostAsJsonAsync("/api/playground/sessions", new { dataset = "moons", layers = new[] { 4 } });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var sid = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("sessionId").GetString()!;

        var refused = await server.Client.PostAsJsonAsync("/api/playground/sessions", new { dataset = "moons" });
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(refused.Headers.RetryAfter);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("maximum of 1 playground trainings", problem.GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync($"/api/playground/sessions/{sid}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await server.Client.PostAsJsonAsync("/api/playground/sessions", new { dataset = "moons" })).StatusCode);
    }

    [Fact]
    public async Task Bad_configurations_name_the_field_and_sessions_are_private()
    {
        await using var server = await ViewerServer.StartAsync();
        async Task<string> Refused(object body)
        {
            var r = await server.Client.PostAsJsonAsync("/api/playground/sessions", body);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        }
        Assert.StartsWith("layers:", await Refused(new { layers = new[] { 65 } }));
        Assert.StartsWith("layers:", await Refused(new { layers = new[] { 4, 4, 4, 4, 4, 4, 4 } }));
        Assert.StartsWith("dataset:", await Refused(new { dataset = "imagenet" }));
        Assert.StartsWith("learningRate:", await Refused(new { learningRate = -1 }));
        Assert.StartsWith("layers:", await Refused(new { dataset = "digits", layers = new[] { 64, 64, 64, 64, 64, 64 } })); // parameter cap

        // A session id is 128 random bits; a guessed or another's id is simply unknown.
        var a = JsonDocument.Parse(await (await server.Client.PostAsJsonAsync("/api/playground/sessions", new { dataset = "xor" })).Content.ReadAsStringAsync()).RootElement;
        Assert.Matches("^[0-9a-f]{32}$", a.GetProperty("sessionId").GetString()!);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.PostAsync("/api/playground/sessions/0123456789abcdef0123456789abcdef/start", null)).StatusCode);
    }

    [Fact]
    public async Task Abandoned_session_stops_after_the_idle_timeout_and_its_run_is_complete()
    {
        await using var server = await ViewerServer.StartAsync(new ViewerOptions { PlaygroundIdleTimeout = TimeSpan.FromSeconds(1) });
        var created = JsonDocument.Parse(await (await server.Client.PostAsJsonAsync("/api/playground/sessions", new { dataset = "circles" })).Content.ReadAsStringAsync()).RootElement;
        var sid = created.GetProperty("sessionId").GetString();
        var runId = created.GetProperty("runId").GetString()!;
        await server.Client.PostAsync($"/api/playground/sessions/{sid}/start", null);
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/api/playground/sessions/{sid}")).StatusCode);
        var run = TrainingRun.Open(server.Store.RunFolder(runId)!);
        Assert.True(run.IsFinished, "the stopped training completes its run");
        Assert.True(run.Snapshots.Count >= 2 && run.Latest!.Step > 0, $"the run recorded the training: {run.Snapshots.Count} snapshots");
    }

    [Fact]
    public async Task Playground_trains_the_spiral_to_90_percent_in_the_page()
    {
        Browser.Require();
        await using var server = await ViewerServer.StartAsync();
        Directory.CreateDirectory(Browser.ImagesDir);
        const string query = "?dataset=spiral&noise=0.1&layers=16,16&activation=tanh&optimizer=adam&lr=0.03&batch=16&wd=0&seed=0";
        var result = Browser.Run("playground", new Dictionary<string, string>
        {
            ["url"] = server.Url, ["query"] = query, ["accuracy"] = "0.9", ["shots"] = Browser.ImagesDir,
        }, TimeSpan.FromMinutes(3));

        var accuracy = result.GetProperty("reached").GetProperty("accuracy").GetDouble();
        Console.WriteLine($"playground: {result}");
        Assert.True(accuracy >= 0.9, $"accuracy {accuracy:P1} after {result.GetProperty("seconds").GetDouble():0.0} s");
        Assert.True(result.GetProperty("seconds").GetDouble() < 60);
        // Live, not a slideshow. The >= 10 updates/s figure is measured by benchmarks/viewer (a timed assertion
        // here would fail on a loaded CI machine, where the browser's software WebGL shares the cores).
        Assert.True(result.GetProperty("fps").GetDouble() >= 2, $"only {result.GetProperty("fps").GetDouble():0.0} updates per second");
        Assert.True(result.GetProperty("decisionChange").GetDouble() > 0.05, "the decision panel did not change while training");
        Assert.EndsWith(query, result.GetProperty("url").GetString());
        Assert.Equal(result.GetProperty("formHere").ToString(), result.GetProperty("formThere").ToString());
        Assert.Equal("16,16", result.GetProperty("formThere").GetProperty("layers").GetString());

        // What was trained is an ordinary run: readable, with snapshots of the training.
        var run = TrainingRun.Open(server.Store.RunFolder(result.GetProperty("runId").GetString()!)!);
        Assert.True(run.Snapshots.Count >= 2);
        Assert.Equal("spiral", run.Manifest.Dataset?.Name);
    }
}

/// <summary>The playground's digits set (scikit-learn's 8×8 images, from the Debian package): no decision grid, an image input.</summary>
public sealed class PlaygroundDigitsTests
{
    [Fact]
    public async Task Digits_session_sends_frames_without_a_decision_grid()
    {
        ExternalTools.Require(File.Exists(Path.Combine(NeuroCore.Data.SklearnDatasets.DefaultDirectory, "digits.csv.gz")),
            "scikit-learn's digits.csv.gz", "apt-get install python3-sklearn");
        await using var server = await ViewerServer.StartAsync();
        var created = JsonDocument.Parse(await (await server.Client.PostAsJsonAsync("/api/playground/sessions", new { dataset = "digits", layers = new[] { 32 } })).Content.ReadAsStringAsync()).RootElement;
        var sid = created.GetProperty("sessionId").GetString();
        await server.Client.PostAsync($"/api/playground/sessions/{sid}/start", null);
        await Task.Delay(1500);
        var frame = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/playground/sessions/{sid}/frame?after=0")).RootElement;
        Assert.True(frame.GetProperty("step").GetInt32() > 0);
        Assert.Equal(JsonValueKind.Null, frame.GetProperty("grid").ValueKind);
        Assert.Equal(3, frame.GetProperty("layers").GetArrayLength()); // input, dense_1, dense_2
        var view = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/runs/{created.GetProperty("runId").GetString()}/view")).RootElement;
        Assert.Equal("[8,8]", view.GetProperty("layers")[0].GetProperty("shape").ToString()); // 64 inputs drawn as the 8×8 image
        var tooBig = await server.Client.PostAsync("/api/playground/sessions", new StringContent(new string(' ', 20_000), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal((HttpStatusCode)413, tooBig.StatusCode);
    }
}
