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
}
