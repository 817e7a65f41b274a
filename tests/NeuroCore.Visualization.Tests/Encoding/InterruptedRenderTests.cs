using System.Diagnostics;
using NeuroCore.Tests.Infrastructure;
using NeuroCore.Visualization.Encoding;
using NeuroCore.Visualization.Rendering;
using NeuroCore.Visualization.Tests.Rendering;

namespace NeuroCore.Visualization.Tests.Encoding;

/// <summary>
/// A render that is cancelled (Ctrl+C) or killed (SIGTERM/SIGKILL) over an existing output must leave that
/// file exactly as it was: every encoder writes a temporary file in the same folder and renames it when complete.
/// </summary>
public sealed class InterruptedRenderTests : IDisposable
{
    private static readonly byte[] OldContents = "the earlier render, which must survive"u8.ToArray();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nc-interrupt-");

    public void Dispose() => _dir.Delete(true);

    private static TimelapseRenderer Renderer() => new(TestRuns.Spiral(), new TimelapseOptions
    {
        Width = 96, Height = 64, Fps = 10, DurationSeconds = 4, MaxParallelism = 1, DecisionGridSize = 16,
    });

    /// <summary>Cancels the token once <paramref name="after"/> frames are done (synchronously, unlike Progress&lt;T&gt;).</summary>
    private sealed class CancelAfter(CancellationTokenSource cts, int after) : IProgress<RenderProgress>
    {
        public int Reports;
        public void Report(RenderProgress value)
        {
            Reports++;
            if (value.FramesDone >= after) cts.Cancel();
        }
    }

    private string[] TemporaryFiles() =>
        [.. _dir.EnumerateFiles("*.tmp", SearchOption.AllDirectories).Select(f => f.FullName)];

    [Theory]
    [InlineData("out.png")]
    [InlineData("out.webp")]
    [InlineData("out.mp4")]
    [InlineData("out.webm")]
    public void CancelledRenderLeavesTheExistingFileUntouched(string name)
    {
        if (name.EndsWith(".mp4", StringComparison.Ordinal) || name.EndsWith(".webm", StringComparison.Ordinal))
            ExternalTools.Require(Ffmpeg.IsAvailable, "ffmpeg", "apt-get install ffmpeg");
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, OldContents);
        using var cts = new CancellationTokenSource();
        var progress = new CancelAfter(cts, 4);
        Assert.ThrowsAny<OperationCanceledException>(() => Renderer().Render(path, progress, cts.Token));
        Assert.True(progress.Reports >= 2, "the render was cancelled before it wrote any frame");
        Assert.Equal(OldContents, File.ReadAllBytes(path));
        Assert.Empty(TemporaryFiles());

        // Completed, the same render replaces the file.
        var result = Renderer().Render(path, cancellationToken: TestContext.Current.CancellationToken);
        Assert.NotEqual(OldContents, File.ReadAllBytes(path));
        Assert.True(new FileInfo(path).Length > 100);
        Assert.Equal(Path.GetFullPath(path), Path.GetFullPath(result.OutputPath));
        Assert.Empty(TemporaryFiles());
    }

    [Fact]
    public void CancelledFrameFolderRenderLeavesOnlyWholeFrames()
    {
        var folder = Path.Combine(_dir.FullName, "frames") + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(folder);
        for (int i = 0; i < 40; i++) File.WriteAllBytes(Path.Combine(folder, PngFramesSink.FrameName(i)), OldContents);
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => Renderer().Render(folder, new CancelAfter(cts, 4), cts.Token));
        Assert.Empty(TemporaryFiles());
        int replaced = 0;
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            var bytes = File.ReadAllBytes(file);
            if (bytes.AsSpan().SequenceEqual(OldContents)) continue;
            Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), file);
            replaced++;
        }
        Assert.InRange(replaced, 1, 39);
    }

    [Fact]
    public void FailingEncoderDiscardsItsTemporaryFile()
    {
        var path = Path.Combine(_dir.FullName, "anim.png");
        File.WriteAllBytes(path, OldContents);
        // An APNG announces its frame count up front; completing early is an error, and the old file stays.
        using (var sink = new ApngWriter(path, 4, 4, 10, frames: 3))
        {
            sink.Write(0, sink.Encode(0, new byte[4 * 4 * 4]));
            Assert.Throws<InvalidOperationException>(sink.Complete);
        }
        Assert.Equal(OldContents, File.ReadAllBytes(path));
        Assert.Empty(TemporaryFiles());
    }

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
        var train = Cli.Cli.Run("train", "--dataset", "spiral", "--samples", "120", "--layers", "8", "--epochs", "3", "-o", run);
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
