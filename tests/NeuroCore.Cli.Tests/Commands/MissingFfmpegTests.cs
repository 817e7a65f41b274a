using NeuroCore.Cli;

namespace NeuroCore.Cli.Tests.Commands;

/// <summary>Runs alone: it hides ffmpeg through NEUROCORE_FFMPEG, which is process-wide.</summary>
[CollectionDefinition(nameof(MissingFfmpeg), DisableParallelization = true)]
public sealed class MissingFfmpeg;

[Collection(nameof(MissingFfmpeg))]
public sealed class MissingFfmpegTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nc-noffmpeg-");
    private readonly string? _previous = Environment.GetEnvironmentVariable("NEUROCORE_FFMPEG");

    public MissingFfmpegTests() => Environment.SetEnvironmentVariable("NEUROCORE_FFMPEG", "/nonexistent/ffmpeg");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("NEUROCORE_FFMPEG", _previous);
        _dir.Delete(true);
    }

    [Fact]
    public void DemoFallsBackToAnAnimatedPngAndRenderExplainsHowToGetMp4()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(["demo", "-o", _dir.FullName, "--epochs", "2", "--duration", "1"], output, error, false, TestContext.Current.CancellationToken);
        Assert.True(code == 0, error.ToString());
        var apng = Path.Combine(_dir.FullName, "spiral.png");
        Assert.Equal(20, Png.FrameCount(apng)); // 1 s at the fallback's 20 fps
        Assert.Contains("apt-get install ffmpeg", output.ToString());
        Assert.False(File.Exists(Path.Combine(_dir.FullName, "spiral.mp4")));

        var renderError = new StringWriter();
        code = CliApp.Run(["render", Path.Combine(_dir.FullName, "run"), "-o", Path.Combine(_dir.FullName, "x.mp4")], new StringWriter(), renderError, false, TestContext.Current.CancellationToken);
        Assert.Equal(1, code);
        Assert.Contains("apt-get install ffmpeg", renderError.ToString());
        Assert.Contains(".png", renderError.ToString());
    }
}
