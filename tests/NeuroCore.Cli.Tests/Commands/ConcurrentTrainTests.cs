using System.Diagnostics;
using NeuroCore.Snapshots;

namespace NeuroCore.Visualization.Tests.Cli;

/// <summary>
/// Two <c>neurocore train</c> processes on one folder must not mix their runs: while one records, the other
/// (even with --force) is refused with a message naming the folder and the process holding it.
/// </summary>
public class ConcurrentTrainTests
{
    private static Process StartTrain(string run, params string[] extra)
    {
        string dir = AppContext.BaseDirectory;
        string apphost = Path.Combine(dir, OperatingSystem.IsWindows() ? "NeuroCore.Cli.exe" : "NeuroCore.Cli");
        var psi = File.Exists(apphost)
            ? new ProcessStartInfo(apphost)
            : new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { ArgumentList = { Path.Combine(dir, "NeuroCore.Cli.dll") } };
        foreach (var a in new[] { "train", "--dataset", "spiral", "--samples", "300", "--layers", "32", "--snapshot-every", "1", "--force", "-o", run })
            psi.ArgumentList.Add(a);
        foreach (var a in extra) psi.ArgumentList.Add(a);
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        psi.UseShellExecute = false;
        return Process.Start(psi)!;
    }

    [Fact]
    public async Task SecondTrainOnAFolderBeingRecordedIsRefusedAndTheRunStaysOneRun()
    {
        using var tmp = new TempFolder();
        string run = tmp.Sub("run");
        var ct = TestContext.Current.CancellationToken;
        using var first = StartTrain(run, "--epochs", "100000", "--seed", "1");
        _ = first.StandardError.ReadToEndAsync(ct);
        _ = first.StandardOutput.ReadToEndAsync(ct);
        string index = Path.Combine(run, SnapshotFormat.IndexFileName);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(index) || File.ReadAllText(index).Count(c => c == '\n') < 3)
        {
            Assert.False(first.HasExited, "the first training ended early");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "the first training recorded nothing within 2 minutes");
            await Task.Delay(20, ct);
        }
        try
        {
            using var second = StartTrain(run, "--epochs", "2", "--seed", "2");
            var err = second.StandardError.ReadToEndAsync(ct);
            _ = second.StandardOutput.ReadToEndAsync(ct);
            await second.WaitForExitAsync(ct);
            string message = await err;
            Assert.Equal(1, second.ExitCode);
            Assert.Contains("another recording holds this run folder", message);
            Assert.Contains($"process {first.Id}", message);
            Assert.False(first.HasExited, "the refused training must not disturb the one recording");
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync(ct);
        }

        // What is on disk is the first run only: seed 1's manifest, an index with no foreign or torn lines.
        var opened = TrainingRun.Open(run);
        Assert.Empty(opened.Warnings);
        Assert.Equal(1, opened.Manifest.HyperParameters["seed"].GetInt32());
        Assert.Equal(Enumerable.Range(0, opened.Snapshots.Count).Select(i => (long)i), opened.Snapshots.Select(s => s.Step));
        foreach (var entry in opened.Snapshots) opened.LoadSnapshot(entry);

        // Once the first process is gone (killed: the OS released its lock), --force replaces the run.
        using var third = StartTrain(run, "--epochs", "1", "--seed", "3");
        var thirdErr = third.StandardError.ReadToEndAsync(ct);
        _ = third.StandardOutput.ReadToEndAsync(ct);
        await third.WaitForExitAsync(ct);
        Assert.True(third.ExitCode == 0, await thirdErr);
        Assert.Equal(3, TrainingRun.Open(run).Manifest.HyperParameters["seed"].GetInt32());
    }
}
