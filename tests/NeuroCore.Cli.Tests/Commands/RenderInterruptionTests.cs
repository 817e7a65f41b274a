using System.Diagnostics;
using NeuroCore.Cli.Tests.Infrastructure;
using NeuroCore.Tests.Infrastructure;
using NeuroCore.Visualization.Encoding;

namespace NeuroCore.Cli.Tests.Commands;

/// <summary>
/// A real <c>neurocore render</c> process killed (SIGKILL) or terminated (SIGTERM) mid-render leaves an existing
/// output file exactly as it was: encoders write a temporary file and rename it only when complete.
/// </summary>
public sealed class RenderInterruptionTests : IDisposable
{
    private static readonly byte[] OldContents = "the earlier render, which must survive"u8.ToArray();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nc-interrupt-");

    public void Dispose() => _dir.Delete(true);

    private string[] TemporaryFiles() =>
        [.. Directory.EnumerateFiles(_dir.FullName, "*.tmp", SearchOption.AllDirectories)];

    [Theory]
    [InlineData("killed.webp", "KILL")]
    [InlineData("killed.mp4", "KILL")]
    [InlineData("terminated.png", "TERM")]
    [InlineData("terminated.mp4", "TERM")]
    public async Task KilledRenderProcessLeavesTheExistingFileUntouched(string name, string signal)
    {
        Assert.SkipWhen(signal == "TERM" && OperatingSystem.IsWindows(), "SIGTERM is a POSIX signal");
        if (name.EndsWith(".mp4", StringComparison.Ordinal)) ExternalTools.Require(Ffmpeg.IsAvailable, "ffmpeg", "apt-get install ffmpeg");
        string run = Path.Combine(_dir.FullName, "run");
        var train = CliRunner.Run("train", "--dataset", "spiral", "--samples", "120", "--layers", "8", "--epochs", "3", "-o", run);
        Assert.True(train.ExitCode == 0, train.Err);
        string output = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(output, OldContents);

        string dir = AppContext.BaseDirectory;
        string apphost = Path.Combine(dir, OperatingSystem.IsWindows() ? "NeuroCore.Cli.exe" : "NeuroCore.Cli");
        var psi = File.Exists(apphost)
            ? new ProcessStartInfo(apphost)
            : new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { ArgumentList = { Path.Combine(dir, "NeuroCore.Cli.dll") } };
        // A long render (3,000 frames) so the kill lands while frames are being written.
        foreach (var a in new[] { "render", run, "-o", output, "--width", "320", "--height", "180", "--fps", "30", "--duration", "100" })
            psi.ArgumentList.Add(a);
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        psi.UseShellExecute = false;
        using var child = Process.Start(psi)!;
        var ct = TestContext.Current.CancellationToken;
        var stderr = child.StandardError.ReadToEndAsync(ct);
        _ = child.StandardOutput.ReadToEndAsync(ct);
        var clock = Stopwatch.StartNew();
        // Wait until the temporary file holds data: the render is under way.
        while (!TemporaryFiles().Any(f => new FileInfo(f).Length > 1000))
        {
            if (child.HasExited) Assert.Fail($"the render ended before it could be killed (exit {child.ExitCode}): {await stderr}");
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) Assert.Fail("the render wrote nothing within 2 minutes");
            await Task.Delay(20, ct);
        }
        Assert.False(child.HasExited, "the render finished before it could be killed");
        if (signal == "KILL") child.Kill(entireProcessTree: true);
        else
        {
            // SIGTERM (what a service manager or `timeout` sends): the process ends its own way, the old file must stay.
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
            await kill.WaitForExitAsync(ct);
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
            patience.CancelAfter(TimeSpan.FromSeconds(30));
            try { await child.WaitForExitAsync(patience.Token); }
            catch (OperationCanceledException) { child.Kill(entireProcessTree: true); Assert.Fail("the render did not end within 30 s of SIGTERM"); }
        }
        await child.WaitForExitAsync(ct);
        Assert.NotEqual(0, child.ExitCode);
        Assert.Equal(OldContents, File.ReadAllBytes(output));
    }
}
