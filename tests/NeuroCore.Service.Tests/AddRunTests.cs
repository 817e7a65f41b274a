using System.Net;
using System.Text.Json;
using NeuroCore.Service.Tests.Infrastructure;

namespace NeuroCore.Service.Tests;

/// <summary><c>neurocore serve --add-run FOLDER</c>: a local run (the demo's) is served without packing and uploading it.</summary>
public class AddRunTests
{
    [Fact]
    public async Task ALocalRunFolderIsServedUnderItsNameAndSurvivesARestart()
    {
        string data = Temp.NewFolder("add-run");
        string run = Path.Combine(Temp.NewFolder("local"), "spiral-demo");
        CopyTree(TestRuns.SpiralFolder, run);

        using (var service = await ServiceProcess.StartServeAsync(data, "--add-run", run, "--workers", "1"))
        {
            using var client = service.Client();
            // The run is added right after the service starts listening, and the line saying so follows.
            for (int i = 0; i < 100 && !service.Output.Contains("run 'spiral-demo'"); i++) await Task.Delay(100, TestContext.Current.CancellationToken);
            Assert.Contains($"run 'spiral-demo' (from {run})", service.Output);
            var listed = JsonDocument.Parse(await client.GetStringAsync("/api/runs", TestContext.Current.CancellationToken)).RootElement;
            Assert.Contains(listed.EnumerateArray(), r => r.GetProperty("id").GetString() == "spiral-demo");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/runs/spiral-demo", TestContext.Current.CancellationToken)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/runs/spiral-demo/view", TestContext.Current.CancellationToken)).StatusCode);
            service.Kill();
        }
        // The copy lives in the data folder: started again (even with the same --add-run), it is the same one run.
        using (var again = await ServiceProcess.StartServeAsync(data, "--add-run", run, "--workers", "1"))
        {
            using var client = again.Client();
            var listed = JsonDocument.Parse(await client.GetStringAsync("/api/runs", TestContext.Current.CancellationToken)).RootElement;
            Assert.Single(listed.EnumerateArray(), r => r.GetProperty("id").GetString() == "spiral-demo");
            again.Kill();
        }
    }

    [Fact]
    public void AFolderThatIsNotARunIsRefusedWithTheReadersMessage()
    {
        string data = Temp.NewFolder("add-run-bad");
        string notRun = Temp.NewFolder("not-a-run");
        File.WriteAllText(Path.Combine(notRun, "manifest.json"), "{ not json");
        var (code, output) = ServiceProcess.RunToExit(TimeSpan.FromSeconds(60), "serve", "--data", data, "--urls", "http://127.0.0.1:0", "--add-run", notRun);
        Assert.Equal(1, code);
        Assert.Contains("error:", output);
        Assert.Contains("manifest.json", output);
        Assert.False(Directory.Exists(Path.Combine(data, "runs", Path.GetFileName(notRun))), "a rejected run must not be published");
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.EnumerateFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.EnumerateDirectories(from)) CopyTree(d, Path.Combine(to, Path.GetFileName(d)));
    }
}
