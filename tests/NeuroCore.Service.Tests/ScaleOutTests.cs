using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace NeuroCore.Service.Tests;

/// <summary>
/// Scale-out on PostgreSQL: an API-only service and two <c>neurocore worker</c> processes share the job database and
/// the data folder. Needs NEUROCORE_TEST_POSTGRES (postgres://user:password@127.0.0.1:5432/db; .ci/run starts one).
/// </summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string _schema = "hf_test_" + Guid.NewGuid().ToString("N")[..10];

    private static string? Postgres => Environment.GetEnvironmentVariable("NEUROCORE_TEST_POSTGRES") is { Length: > 0 } u ? u : null;

    private string Storage => $"{Postgres}?schema={_schema}";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (Postgres is null) return;
        await using var connection = new NpgsqlConnection(NeuroCore.Service.Hosting.JobStorageFactory.ToConnectionString(Postgres));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static void RequirePostgres() =>
        ExternalTools.Require(Postgres is not null, "a PostgreSQL server named by NEUROCORE_TEST_POSTGRES (postgres://user:password@127.0.0.1:5432/db)",
            "apt-get install postgresql, start it and set NEUROCORE_TEST_POSTGRES (.ci/run does both)");

    [Fact]
    public async Task One_video_renders_across_two_workers_and_survives_losing_one()
    {
        RequirePostgres();
        Media.RequireFfmpeg();
        var data = Temp.NewFolder("shared");
        using var service = await ServiceProcess.StartServeAsync(data, "--storage", Storage, "--workers", "0", "--segment-frames", "6");
        using var w1 = await ServiceProcess.StartWorkerAsync(Storage, data, "worker-1", "--workers", "1", "--requeue-after", "4");
        using var w2 = await ServiceProcess.StartWorkerAsync(Storage, data, "worker-2", "--workers", "1", "--requeue-after", "4");
        using var client = service.Client();
        using (var up = await client.PostAsync("/api/runs?id=spiral", new ByteArrayContent(TestRuns.TarGz(TestRuns.SpiralFolder)), Ct))
            Assert.Equal(HttpStatusCode.Created, up.StatusCode);
        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready", Ct);
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());

        // 1: eight segments shared by both workers.
        var request = new VideoRequest("video", "mp4", 192, 128, 12, 4);
        var status = await Media.WaitForJobAsync(client, await Render(client, request), TimeSpan.FromMinutes(4));
        Assert.True(status.GetProperty("state").GetString() == "succeeded", status + "\n" + w1.Output + w2.Output);
        var workers = status.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("worker").GetString()).ToHashSet();
        Assert.True(workers.Any(w => w!.Contains("worker-1")) && workers.Any(w => w!.Contains("worker-2")), $"segments ran on {string.Join(", ", workers)} only");
        Assert.Equal(48, await FramesOf(client, status));

        // 2: kill worker 1 while it renders a segment; worker 2 takes the rest, and the lost segment once it is requeued.
        string job = await Render(client, request with { Duration = 5 });
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            var s = await client.GetFromJsonAsync<JsonElement>(job, Ct);
            if (s.GetProperty("segments").EnumerateArray().Any(x => x.GetProperty("state").GetString() == "running" && x.GetProperty("worker").GetString() == "worker-1")) break;
            await Task.Delay(50, Ct);
        }
        w1.Kill();
        status = await Media.WaitForJobAsync(client, job, TimeSpan.FromMinutes(4));
        Assert.True(status.GetProperty("state").GetString() == "succeeded", status + "\n" + w2.Output);
        Assert.Equal(60, await FramesOf(client, status));
        Assert.All(status.GetProperty("segments").EnumerateArray(), s => Assert.Equal("succeeded", s.GetProperty("state").GetString()));
    }

    private static async Task<string> Render(HttpClient client, object request)
    {
        using var r = await client.PostAsJsonAsync("/api/runs/spiral/renders", request, Ct);
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        return r.Headers.Location!.ToString();
    }

    private static async Task<int> FramesOf(HttpClient client, JsonElement status)
    {
        var file = Path.Combine(Temp.NewFolder("scaled"), "v.mp4");
        await File.WriteAllBytesAsync(file, await client.GetByteArrayAsync(status.GetProperty("resultUrl").GetString(), Ct), Ct);
        return Media.Probe(file).Frames;
    }
}

/// <summary>A video render request body.</summary>
public sealed record VideoRequest(string Kind, string Format, int Width, int Height, double Fps, double Duration);
