using NeuroCore.Cli;
using NeuroCore.Snapshots;
using NeuroCore.Visualization.Encoding;
using NeuroCore.Visualization.Rendering;

namespace NeuroCore.Cli.Tests.Commands;

/// <summary>Runs <c>neurocore demo</c> once (a short training) and shares its folder.</summary>
public sealed class DemoFixture : IDisposable
{
    public DemoFixture()
    {
        Folder = Directory.CreateTempSubdirectory("nc-demo-").FullName;
        var output = new StringWriter();
        var error = new StringWriter();
        ExitCode = CliApp.Run(["demo", "-o", Folder, "--epochs", "4", "--duration", "1"], output, error);
        Output = output.ToString();
        Error = error.ToString();
    }

    public string Folder { get; }
    public int ExitCode { get; }
    public string Output { get; }
    public string Error { get; }
    public string Run => Path.Combine(Folder, "run");

    public void Dispose() => Directory.Delete(Folder, true);
}

public sealed class RenderAndDemoCommandTests(DemoFixture demo) : IClassFixture<DemoFixture>, IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nc-render-");

    public void Dispose() => _dir.Delete(true);

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void DemoWritesTheRunAGltfTimelineAndAVideoAndSaysHowToOpenThem()
    {
        Assert.True(demo.ExitCode == 0, demo.Error);
        Assert.True(File.Exists(Path.Combine(demo.Run, "manifest.json")));
        var glb = Path.Combine(demo.Folder, "spiral-timeline.glb");
        Assert.Equal("glTF"u8.ToArray(), File.ReadAllBytes(glb).AsSpan(0, 4).ToArray());
        string video = Path.Combine(demo.Folder, Ffmpeg.IsAvailable ? "spiral.mp4" : "spiral.png");
        Assert.True(new FileInfo(video).Length > 1000, video);
        Assert.Contains("neurocore inspect", demo.Output);
        Assert.Contains("spiral-timeline.glb", demo.Output);
        Assert.Contains(Path.GetFileName(video), demo.Output);
        Assert.Contains("open it", demo.Output);
    }

    [Fact]
    public void RunReadsBackAsAnMlpWithDecisionData()
    {
        Assert.True(demo.ExitCode == 0, demo.Error);
        var data = TimelapseData.FromRun(NeuroCore.Visualization.Runs.RunModel.Open(demo.Run));
        Assert.Equal([2, 16, 16, 3], data.LayerSizes);
        Assert.Equal(["tanh", "tanh", "identity"], data.Activations);
        Assert.True(data.Snapshots.Count >= 2);
        Assert.Equal(0, data.Snapshots[0].Step);
        Assert.NotNull(data.Points);
        Assert.Equal(300, data.Labels!.Length);
        // Step 0 holds the initial weights, before any loss was computed.
        Assert.All(data.Snapshots.Skip(1), s => Assert.NotNull(s.Loss));
        // The weights really change between the first and the last snapshot.
        Assert.NotEqual(data.Snapshots[0].Weights[0], data.Snapshots[^1].Weights[0]);
    }

    [Fact]
    public void RenderWritesAnAnimatedPngWithTheRequestedFrames()
    {
        var path = Path.Combine(_dir.FullName, "spiral.png");
        var (code, output, error) = Cli("render", demo.Run, "-o", path, "--width", "160", "--height", "96", "--fps", "5", "--duration", "2", "--camera", "fixed");
        Assert.True(code == 0, error);
        Assert.Contains("animated PNG, 10 frames 160×96", output);
        Assert.Equal(10, Png.FrameCount(path));
    }

    [Fact]
    public void RenderRejectsAnUnsupportedExtension()
    {
        var (code, _, error) = Cli("render", demo.Run, "-o", Path.Combine(_dir.FullName, "x.gif"));
        Assert.Equal(2, code);
        Assert.Contains("'.gif'", error);
        Assert.Contains(".mp4", error);
    }

    [Fact]
    public void RenderReportsAnUnwritableOutput()
    {
        var file = Path.Combine(_dir.FullName, "plain-file");
        File.WriteAllText(file, "x");
        var (code, _, error) = Cli("render", demo.Run, "-o", Path.Combine(file, "x.png"), "--width", "64", "--height", "64", "--duration", "0.2");
        Assert.Equal(1, code);
        Assert.Contains("Cannot write", error);
        Assert.DoesNotContain("internal error", error);
    }

    [Fact]
    public void RenderReportsAMissingRun()
    {
        var (code, _, error) = Cli("render", Path.Combine(_dir.FullName, "no-such-run"), "-o", Path.Combine(_dir.FullName, "x.png"));
        Assert.Equal(1, code);
        Assert.Contains("no-such-run", error);
        Assert.DoesNotContain("internal error", error);
    }

    [Fact]
    public void RenderNeedsAnOutput()
    {
        var (code, _, error) = Cli("render", demo.Run);
        Assert.Equal(2, code);
        Assert.Contains("--output", error);
    }

    [Fact]
    public void AnOddFrameSizeForMp4IsAUsageErrorNamingTheOptions()
    {
        ExternalTools.Require(Ffmpeg.IsAvailable, "ffmpeg", "sudo apt-get install ffmpeg");
        var path = Path.Combine(_dir.FullName, "odd.mp4");
        var (code, _, error) = Cli("render", demo.Run, "-o", path, "--width", "1281");
        Assert.Equal(2, code);
        Assert.Contains("--width 1281 --height 720: MP4 (yuv420p) needs an even width and height; try --width 1280 --height 720", error);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void RenderedMp4HasTheRequestedCodecSizeAndFrames()
    {
        var ffprobe = ExternalTools.FindOnPath("ffprobe");
        ExternalTools.Require(Ffmpeg.IsAvailable && ffprobe is not null, "ffmpeg/ffprobe", "sudo apt-get install ffmpeg");
        var path = Path.Combine(_dir.FullName, "spiral.mp4");
        var (code, _, error) = Cli("render", demo.Run, "-o", path, "--width", "320", "--height", "180", "--fps", "12", "--duration", "1.5");
        Assert.True(code == 0, error);
        var stream = Ffprobe.Video(ffprobe!, path).GetProperty("streams")[0];
        Assert.Equal("h264", stream.GetProperty("codec_name").GetString());
        Assert.Equal((320, 180), (stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32()));
        Assert.Equal("18", stream.GetProperty("nb_read_frames").GetString());
    }
}
