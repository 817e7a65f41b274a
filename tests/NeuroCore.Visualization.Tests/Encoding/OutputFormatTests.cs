using System.Buffers.Binary;
using NeuroCore.Tests.Infrastructure;
using NeuroCore.Visualization.Encoding;
using NeuroCore.Visualization.Rendering;
using NeuroCore.Visualization.Tests.Rendering;
using SkiaSharp;

namespace NeuroCore.Visualization.Tests.Encoding;

// Starts headless Chromium: runs with the other external-viewer tests, one at a time.
[Collection(nameof(Gltf.ExternalViewerCollection))]
public sealed class OutputFormatTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nc-video-");

    public void Dispose() => _dir.Delete(true);

    private static TimelapseOptions Small(int frames, int fps = 10) => new()
    {
        Width = 160, Height = 96, Fps = fps, DurationSeconds = frames / (double)fps, Camera = CameraMode.Orbit,
        MaxParallelism = 2, DecisionGridSize = 16,
    };

    private string Out(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public void AnimatedPngHasTheRequestedFramesAndValidChunks()
    {
        var path = Out("run.png");
        var progress = new List<RenderProgress>();
        var result = new TimelapseRenderer(TestRuns.Spiral(), Small(12)).Render(path, new SyncProgress(progress), TestContext.Current.CancellationToken);
        Assert.Equal(OutputFormat.AnimatedPng, result.Format);
        Assert.Equal(12, progress[^1].FramesDone);
        Assert.Equal(12, progress[^1].TotalFrames);

        var chunks = MediaProbe.PngChunks(File.ReadAllBytes(path));
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal(160, BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data));
        var actl = chunks.Single(c => c.Type == "acTL").Data;
        Assert.Equal(12, BinaryPrimitives.ReadInt32BigEndian(actl));
        Assert.Equal(12, chunks.Count(c => c.Type == "fcTL"));
        Assert.Equal(11, chunks.Count(c => c.Type == "fdAT"));
        Assert.Equal("IEND", chunks[^1].Type);
        // fcTL and fdAT share one sequence 0, 1, 2, … without gaps.
        var sequence = chunks.Where(c => c.Type is "fcTL" or "fdAT").Select(c => BinaryPrimitives.ReadUInt32BigEndian(c.Data)).ToList();
        Assert.Equal(Enumerable.Range(0, sequence.Count).Select(i => (uint)i), sequence);

        // A plain PNG decoder sees the first frame.
        using var still = SKBitmap.Decode(path);
        Assert.Equal((160, 96), (still.Width, still.Height));

        var chromium = MediaProbe.Chromium();
        ExternalTools.Require(chromium is not null, "chromium (to decode the APNG in a browser)", "sudo apt-get install chromium");
        Assert.Equal("12 160x96 last:160", MediaProbe.ChromiumDecode(chromium!, path, "image/png"));
    }

    [Fact]
    public void AnimatedWebpHasItsFrames()
    {
        var path = Out("run.webp");
        new TimelapseRenderer(TestRuns.Spiral(), Small(9)).Render(path, null, TestContext.Current.CancellationToken);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(bytes.Length - 8, (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        using (var codec = SKCodec.Create(path))
        {
            Assert.NotNull(codec);
            Assert.Equal(9, codec.FrameCount);
            Assert.Equal(160, codec.Info.Width);
            Assert.All(codec.FrameInfo, f => Assert.Equal(100, f.Duration));
        }
        var chromium = MediaProbe.Chromium();
        ExternalTools.Require(chromium is not null, "chromium (to decode the WebP in a browser)", "sudo apt-get install chromium");
        Assert.Equal("9 160x96 last:160", MediaProbe.ChromiumDecode(chromium!, path, "image/webp"));
    }

    [Fact]
    public void PngFramesFolderHasOneFilePerFrame()
    {
        var folder = Out("frames") + "/";
        var result = new TimelapseRenderer(TestRuns.Spiral(), Small(5)).Render(folder, null, TestContext.Current.CancellationToken);
        Assert.Equal(OutputFormat.PngFrames, result.Format);
        var files = Directory.GetFiles(folder, "*.png").Select(Path.GetFileName).Order().ToArray();
        Assert.Equal([.. Enumerable.Range(0, 5).Select(PngFramesSink.FrameName)], files);
        using var first = SKBitmap.Decode(Path.Combine(folder, files[0]!));
        Assert.Equal((160, 96), (first.Width, first.Height));
    }

    [Theory]
    [InlineData("run.mp4", "h264", "mov,mp4,m4a,3gp,3g2,mj2")]
    [InlineData("run.webm", "vp9", "matroska,webm")]
    public void VideoHasTheRequestedCodecSizeAndFrameCount(string name, string codec, string container)
    {
        var ffprobe = ExternalTools.FindOnPath("ffprobe");
        ExternalTools.Require(Ffmpeg.IsAvailable && ffprobe is not null, "ffmpeg/ffprobe", "sudo apt-get install ffmpeg");
        var path = Out(name);
        new TimelapseRenderer(TestRuns.Spiral(), Small(15)).Render(path, null, TestContext.Current.CancellationToken);
        var probe = MediaProbe.FfprobeVideo(ffprobe!, path);
        var stream = probe.GetProperty("streams")[0];
        Assert.Equal(codec, stream.GetProperty("codec_name").GetString());
        Assert.Equal(160, stream.GetProperty("width").GetInt32());
        Assert.Equal(96, stream.GetProperty("height").GetInt32());
        Assert.Equal("yuv420p", stream.GetProperty("pix_fmt").GetString());
        Assert.Equal("15", stream.GetProperty("nb_read_frames").GetString());
        Assert.Equal(container, probe.GetProperty("format").GetProperty("format_name").GetString());
        if (codec == "h264")
        {
            // +faststart: the moov atom precedes mdat.
            var head = File.ReadAllBytes(path);
            int moov = head.AsSpan().IndexOf("moov"u8), mdat = head.AsSpan().IndexOf("mdat"u8);
            Assert.True(moov >= 0 && moov < mdat, $"moov at {moov}, mdat at {mdat}");
        }
    }

    [Fact]
    public void UnsupportedExtensionIsAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => new TimelapseRenderer(TestRuns.Spiral(), Small(2)).Render(Out("run.gif"), null, TestContext.Current.CancellationToken));
        Assert.Contains(".gif", e.Message);
        Assert.Contains(".mp4", e.Message);
        Assert.Throws<ArgumentException>(() => OutputFormats.FromPath(Out("noextension")));
    }

    [Fact]
    public void UnwritableOutputIsAClearError()
    {
        // A path below a regular file can never be created, whoever runs the test (root included).
        var file = Out("a-file");
        File.WriteAllText(file, "x");
        foreach (var name in new[] { "run.png", "run.webp", "frames/" })
        {
            var e = Assert.Throws<IOException>(() => new TimelapseRenderer(TestRuns.Spiral(), Small(2)).Render(Path.Combine(file, name), null, TestContext.Current.CancellationToken));
            Assert.Contains(file, e.Message);
        }
    }

    [Fact]
    public void MissingFfmpegNamesTheInstallCommandAndTheAlternatives()
    {
        var e = Assert.Throws<ExternalToolException>(() => new FfmpegSink(OutputFormat.Mp4, Out("x.mp4"), 64, 64, 10, ffmpegPath: null));
        Assert.Contains("apt-get install ffmpeg", e.Message);
        Assert.Contains(".png", e.Message);
        Assert.Contains(".webp", e.Message);
    }

    [Fact]
    public void OddSizeIsRejectedForYuv420Video()
    {
        var e = Assert.Throws<ArgumentException>(() => new FfmpegSink(OutputFormat.Mp4, Out("x.mp4"), 65, 64, 10, "/usr/bin/ffmpeg"));
        Assert.Contains("even", e.Message);
    }

    [Fact]
    public void ApngDelayFitsSixteenBits()
    {
        Assert.Equal((1000, 30000), ((int, int))ApngWriter.Delay(30));
        Assert.Equal((1000, 29970), ((int, int))ApngWriter.Delay(29.97));
        Assert.Equal((1, 120), ((int, int))ApngWriter.Delay(120));
    }

    private sealed class SyncProgress(List<RenderProgress> list) : IProgress<RenderProgress>
    {
        public void Report(RenderProgress value) => list.Add(value);
    }
}
