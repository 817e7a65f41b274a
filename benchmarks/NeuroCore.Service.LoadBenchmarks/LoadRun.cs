using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace NeuroCore.Service.LoadBenchmarks;

/// <summary>N concurrent clients uploading, rendering, polling and downloading against one service.</summary>
internal static class LoadRun
{
    public static async Task<int> RunAsync(int clients, int rounds)
    {
        var root = Path.Combine(Path.GetTempPath(), "neurocore-load-" + Environment.ProcessId);
        Directory.CreateDirectory(root);
        try
        {
            var archive = DemoRun.Create(Path.Combine(root, "run"));
            // The rate limit is per client address; every simulated client is 127.0.0.1, so it is raised for the run.
            using var service = new ServiceProcess("serve", "--data", Path.Combine(root, "data"), "--urls", "http://127.0.0.1:0", "--workers", "2", "--rate-limit", "100000");
            var url = new Uri(await service.ReadyAsync());
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };

            // Background renders keep both workers busy during the whole measurement.
            using var background = new CancellationTokenSource(TimeSpan.FromSeconds(150));
            var busy = Task.Run(async () =>
            {
                using var up = await http.PostAsync("/api/runs?id=background", new ByteArrayContent(archive));
                while (!background.IsCancellationRequested)
                {
                    using var r = await http.PostAsJsonAsync("/api/runs/background/renders", new { kind = "video", format = "mp4", width = 320, height = 240, fps = 20, duration = 4 });
                    var job = r.Headers.Location!.ToString();
                    while (!background.IsCancellationRequested && (await http.GetFromJsonAsync<JsonElement>(job)).GetProperty("state").GetString() is "queued" or "running")
                        await Task.Delay(200);
                }
            });

            var statusLatencies = new ConcurrentBag<double>();
            int requests = 0, errors = 0;
            var errorKinds = new ConcurrentDictionary<string, int>();
            void Error(string what) { Interlocked.Increment(ref errors); errorKinds.AddOrUpdate(what, 1, (_, n) => n + 1); }
            var clock = Stopwatch.StartNew();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
            {
                for (int round = 0; round < rounds && !limit.IsCancellationRequested; round++)
                {
                    try
                    {
                        using var up = await http.PostAsync($"/api/runs?id=c{c}-r{round}", new ByteArrayContent(archive), limit.Token);
                        Interlocked.Increment(ref requests);
                        if ((int)up.StatusCode != 201) { Error($"upload {(int)up.StatusCode}"); continue; }
                        using var render = await http.PostAsJsonAsync($"/api/runs/c{c}-r{round}/renders", new { kind = "gltf-step" }, limit.Token);
                        Interlocked.Increment(ref requests);
                        if ((int)render.StatusCode != 202) { Error($"render {(int)render.StatusCode}"); continue; }
                        string job = render.Headers.Location!.ToString();
                        string state = "queued";
                        while (state is "queued" or "running")
                        {
                            var t = Stopwatch.GetTimestamp();
                            using var s = await http.GetAsync(job, limit.Token);
                            var body = await s.Content.ReadAsStringAsync(limit.Token);
                            statusLatencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                            Interlocked.Increment(ref requests);
                            if (!s.IsSuccessStatusCode) { Error($"status {(int)s.StatusCode}"); break; }
                            state = JsonDocument.Parse(body).RootElement.GetProperty("state").GetString()!;
                            if (state is "queued" or "running") await Task.Delay(100, limit.Token);
                        }
                        if (state != "succeeded") { Error($"job {state}"); continue; }
                        var bytes = await http.GetByteArrayAsync(job + "/result", limit.Token);
                        Interlocked.Increment(ref requests);
                        if (bytes.Length < 12 || bytes[0] != (byte)'g' || bytes[1] != (byte)'l' || bytes[2] != (byte)'T' || bytes[3] != (byte)'F') Error("result not a GLB");
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { Error(e.GetType().Name); }
                }
            })));
            double seconds = clock.Elapsed.TotalSeconds;
            background.Cancel();
            try { await busy; } catch (Exception) { }
            var sorted = statusLatencies.Order().ToArray();
            double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            Console.WriteLine($"clients {clients}, rounds {rounds}, {Environment.ProcessorCount} cores, 2 render workers busy with background videos");
            Console.WriteLine($"requests {requests} in {seconds:F1} s = {requests / seconds:F0} req/s; renders {clients * rounds} glTF jobs");
            Console.WriteLine($"status latency (GET /api/jobs/id, {sorted.Length} samples): p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms, max {sorted.LastOrDefault():F1} ms");
            Console.WriteLine($"errors {errors}{(errors > 0 ? ": " + string.Join(", ", errorKinds.Select(k => $"{k.Key} ×{k.Value}")) : "")}");
            return errors == 0 ? 0 : 1;
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}
