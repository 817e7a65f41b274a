using System.Diagnostics;
using NeuroCore.Snapshots;
using Xunit;

namespace NeuroCore.Cli.Tests.Commands;

/// <summary>
/// A <c>neurocore train</c> process killed while it writes snapshots must leave a run whose complete
/// snapshots are all readable.
/// </summary>
public class TrainCrashSafetyTests
{
    private static ProcessStartInfo TrainProcess(string run)
    {
        string dir = AppContext.BaseDirectory;
        string apphost = Path.Combine(dir, OperatingSystem.IsWindows() ? "NeuroCore.Cli.exe" : "NeuroCore.Cli");
        var psi = File.Exists(apphost)
            ? new ProcessStartInfo(apphost)
            : new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { ArgumentList = { Path.Combine(dir, "NeuroCore.Cli.dll") } };
        // Wide layers, full gradients and a snapshot every step: most of the child's time is spent
        // writing snapshot files, so a kill usually lands in the middle of one.
        foreach (var a in new[] { "train", "--dataset", "spiral", "--samples", "300", "--layers", "128,128", "--epochs", "100000",
                     "--snapshot-every", "1", "--gradients", "full", "--probe", "64", "-o", run })
            psi.ArgumentList.Add(a);
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        psi.UseShellExecute = false;
        return psi;
    }

    private static int CompleteLines(string index) =>
        File.Exists(index) ? File.ReadAllText(index).Count(c => c == '\n') : 0;

    [Fact]
    public async Task KilledMidRunLeavesEveryCompleteSnapshotReadable()
    {
        var random = new Random(1234);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            using var tmp = new TempFolder();
            string run = tmp.Sub("run");
            string index = Path.Combine(run, SnapshotFormat.IndexFileName);
            using var child = Process.Start(TrainProcess(run))!;
            var stderr = child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            _ = child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            int target = 3 + 4 * attempt;
            var clock = Stopwatch.StartNew();
            TrainingRun? follower = null; // a reader following the run while the child writes it
            int followed = 0;
            while (CompleteLines(index) < target)
            {
                if (follower is null && File.Exists(Path.Combine(run, SnapshotFormat.ManifestFileName)))
                {
                    follower = TrainingRun.Open(run);
                    followed = follower.Snapshots.Count;
                }
                if (follower is not null)
                {
                    followed += follower.Refresh();
                    Assert.Equal(followed, follower.Snapshots.Count);
                    Assert.Empty(follower.Warnings);
                }
                if (child.HasExited) Assert.Fail($"the training process ended early (exit {child.ExitCode}): {await stderr}");
                if (clock.Elapsed > TimeSpan.FromMinutes(2)) Assert.Fail("the training process wrote no snapshots within 2 minutes");
                await Task.Delay(5, TestContext.Current.CancellationToken);
            }
            // Land the kill at a varying point of the write cycle.
            Thread.SpinWait(random.Next(0, 2_000_000));
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(TestContext.Current.CancellationToken);

            var opened = TrainingRun.Open(run);
            Assert.NotNull(follower);
            follower.Refresh();
            Assert.Equal(opened.Snapshots.Select(e => e.Step), follower.Snapshots.Select(e => e.Step));
            Assert.Empty(follower.Warnings);
            Assert.False(opened.IsFinished);
            Assert.True(opened.Snapshots.Count >= target, $"{opened.Snapshots.Count} snapshots, expected at least {target}");
            Assert.Empty(opened.Warnings); // the write protocol never exposes a damaged snapshot in the index
            Assert.Equal(Enumerable.Range(0, opened.Snapshots.Count).Select(i => (long)i), opened.Snapshots.Select(s => s.Step));
            foreach (var entry in opened.Snapshots)
            {
                var snap = opened.LoadSnapshot(entry);
                Assert.Equal(6, snap.Parameters.Count);
                Assert.Equal(5, snap.Activations.Count);
                Assert.Equal([128, 2], snap.Parameters["0.weight"].Shape);
                if (entry.Step > 0) Assert.Equal(6, snap.Gradients.Count);
            }
            var inspect = CliRunner.Run("inspect", run);
            Assert.Equal(0, inspect.ExitCode);
            Assert.Contains("not finished", inspect.Out);
        }
    }
}
