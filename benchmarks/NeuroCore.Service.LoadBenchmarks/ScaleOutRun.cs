using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace NeuroCore.Service.LoadBenchmarks;

/// <summary>One segmented video rendered by one worker, then by two, on PostgreSQL with a shared folder.</summary>
internal static class ScaleOutRun
{
    public static async Task<int> RunAsync(string postgres)
    {
        var root = Path.Combine(Path.GetTempPath(), "neurocore-scaleout-" + Environment.ProcessId);
        Directory.CreateDirectory(root);
        try
        {
            var archive = DemoRun.Create(Path.Combine(root, "run"));
            foreach (int workers in new[] { 1, 2 })
            {
                string storage = $"{postgres}?schema=bench_{Environment.ProcessId}_{workers}";
                string data = Path.Combine(root, $"data{workers}");
                using var service = new ServiceProcess("serve", "--data", data, "--urls", "http://127.0.0.1:0", "--workers", "0", "--storage", storage, "--segment-frames", "30");
                var url = new Uri(await service.ReadyAsync());
                var list = new List<ServiceProcess>();
                for (int w = 0; w < workers; w++)
                {
                    var p = new ServiceProcess("worker", "--storage", storage, "--data", data, "--workers", "1", "--name", $"w{w + 1}");
                    await p.ReadyAsync();
                    list.Add(p);
                }
                using var http = new HttpClient { BaseAddress = url };
                await http.PostAsync("/api/runs?id=spiral", new ByteArrayContent(archive));
                var clock = Stopwatch.StartNew();
                using var r = await http.PostAsJsonAsync("/api/runs/spiral/renders", new { kind = "video", format = "mp4", width = 640, height = 360, fps = 30, duration = 8 });
                var job = r.Headers.Location!.ToString();
                JsonElement s;
                do { await Task.Delay(100); s = await http.GetFromJsonAsync<JsonElement>(job); }
                while (s.GetProperty("state").GetString() is "queued" or "running" && clock.Elapsed < TimeSpan.FromMinutes(5));
                var by = s.GetProperty("segments").EnumerateArray().GroupBy(x => x.GetProperty("worker").GetString()).Select(g => $"{g.Key}: {g.Count()}");
                Console.WriteLine($"{workers} worker(s): 240 frames 640×360 in 8 segments, {s.GetProperty("state").GetString()} in {clock.Elapsed.TotalSeconds:F1} s (segments by {string.Join(", ", by)})");
                foreach (var p in list) p.Dispose();
            }
            return 0;
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}
