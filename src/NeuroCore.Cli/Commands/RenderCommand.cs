using System.Globalization;
using NeuroCore.Snapshots;
using NeuroCore.Visualization.Encoding;
using NeuroCore.Visualization.Rendering;
using NeuroCore.Visualization.Runs;

namespace NeuroCore.Cli.Commands;

/// <summary><c>neurocore render RUN -o FILE</c>: a timelapse video of a recorded training run.</summary>
public sealed class RenderCommand : CliCommand
{
    /// <inheritdoc />
    public override string Name => "render";

    /// <inheritdoc />
    public override string Summary => "Render a timelapse of a training run: MP4, WebM, animated PNG, animated WebP or PNG frames.";

    /// <inheritdoc />
    public override IReadOnlyList<CliArgument> Arguments => [new("RUN", "the run folder (written by 'neurocore train')")];

    /// <inheritdoc />
    public override IReadOnlyList<CliOption> Options =>
    [
        CliOption.Value("--output", "FILE", "Output: .mp4, .webm (need ffmpeg), .png (animated PNG), .webp (animated WebP), or FOLDER/ for PNG frames.", alias: "-o"),
        CliOption.Value("--width", "PX", "Frame width (default 1280)."),
        CliOption.Value("--height", "PX", "Frame height (default 720)."),
        CliOption.Value("--fps", "N", "Frames per second (default 30)."),
        CliOption.Value("--duration", "SECONDS", "Video length including holds at start and end (default 10)."),
        CliOption.Value("--camera", "MODE", "orbit (a slow turntable swing, default) or fixed."),
        CliOption.Value("--max-connections", "N", "Most connections drawn; the strongest of the last snapshot are kept (default 20000)."),
        CliOption.Value("--max-snapshots", "N", "Most snapshots read from the run, evenly chosen (default 300)."),
        CliOption.Flag("--no-hud", "Leave out the text, curves, decision regions and legend."),
    ];

    /// <inheritdoc />
    public override string Details =>
        """
        Examples:
          neurocore render runs/spiral -o spiral.mp4
          neurocore render runs/spiral -o spiral.png --width 640 --height 360 --fps 15 --duration 6
          neurocore render runs/spiral -o frames/ --camera fixed

        Snapshots are spread evenly over the video (each gets the same screen time), weights are
        interpolated between them, and the first and last snapshots are held briefly. MP4 (H.264,
        yuv420p) and WebM (VP9) are encoded by ffmpeg ('sudo apt-get install ffmpeg'); animated PNG,
        animated WebP and PNG frames need nothing beyond NeuroCore. Supported models: Sequential MLPs
        of Linear and activation layers.
        """;

    /// <inheritdoc />
    public override int Execute(CliContext context, CliArguments arguments)
    {
        string runFolder = arguments.Positional(0)!;
        string output = arguments.GetString("--output") ?? throw new CliUsageException("missing -o/--output FILE (.mp4, .webm, .png, .webp or FOLDER/)");
        var options = ReadOptions(arguments);
        // Fail on the output before the (possibly long) read of the run.
        var format = CheckOutput(output);
        int maxSnapshots = arguments.GetInt("--max-snapshots", 300, min: 1);
        var data = TimelapseData.FromRun(RunModel.Open(runFolder), maxSnapshots);
        var result = Render(context, data, output, options);
        context.Out.WriteLine($"Wrote {Describe(result)}: {result.OutputPath}");
        context.Out.WriteLine($"  {HowToOpen(format, result.OutputPath)}");
        return 0;
    }

    /// <summary>Reads the size, rate, duration, camera and HUD options.</summary>
    internal static TimelapseOptions ReadOptions(CliArguments arguments) => new()
    {
        Width = arguments.GetInt("--width", 1280, min: 16, max: 8192),
        Height = arguments.GetInt("--height", 720, min: 16, max: 8192),
        Fps = arguments.GetDouble("--fps", 30, min: 0, max: 240, minExclusive: true),
        DurationSeconds = arguments.GetDouble("--duration", 10, min: 0, max: 3600, minExclusive: true),
        Camera = arguments.GetChoice("--camera", "orbit", "orbit", "fixed") == "fixed" ? CameraMode.Fixed : CameraMode.Orbit,
        MaxConnections = arguments.GetInt("--max-connections", 20_000, min: 0),
        ShowHud = !arguments.Flag("--no-hud"),
    };

    /// <summary>The output format, or a usage error for an unsupported extension or a missing ffmpeg.</summary>
    internal static OutputFormat CheckOutput(string output)
    {
        OutputFormat format;
        try
        {
            format = OutputFormats.FromPath(output);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException(e.Message.Split(" (Parameter")[0]);
        }
        if (OutputFormats.NeedsFfmpeg(format) && !Ffmpeg.IsAvailable)
            throw new CliException(
                $"{output}: {(format == OutputFormat.Mp4 ? "MP4" : "WebM")} needs ffmpeg, which is not installed (install it with 'sudo apt-get install ffmpeg'). " +
                "Without ffmpeg, use .png (animated PNG), .webp (animated WebP) or FOLDER/ (PNG frames).");
        return format;
    }

    /// <summary>Renders with a progress bar on stderr.</summary>
    internal static RenderResult Render(CliContext context, TimelapseData data, string output, TimelapseOptions options)
    {
        var renderer = new TimelapseRenderer(data, options);
        var bar = context.CreateProgressBar(renderer.FrameCount, "render");
        var result = renderer.Render(output, new InlineProgress(p => bar.Report(p.FramesDone, $"frame {p.FramesDone}/{p.TotalFrames}")), context.Cancellation);
        bar.Finish();
        return result;
    }

    internal static string Describe(RenderResult r)
    {
        string kind = r.Format switch
        {
            OutputFormat.Mp4 => "MP4 (H.264)",
            OutputFormat.WebM => "WebM (VP9)",
            OutputFormat.AnimatedPng => "animated PNG",
            OutputFormat.AnimatedWebp => "animated WebP",
            _ => "PNG frames",
        };
        double seconds = r.Frames / r.Fps;
        return $"{kind}, {r.Frames} frames {r.Width}×{r.Height} at {r.Fps.ToString("0.##", CultureInfo.InvariantCulture)} fps ({seconds.ToString("0.#", CultureInfo.InvariantCulture)} s)";
    }

    internal static string HowToOpen(OutputFormat format, string path) => format switch
    {
        OutputFormat.Mp4 or OutputFormat.WebM => $"open it in a browser or any video player (e.g. 'xdg-open {path}' or 'ffplay {path}')",
        OutputFormat.AnimatedPng or OutputFormat.AnimatedWebp => $"open it in a web browser (it animates there; many image viewers show only the first frame)",
        _ => $"frames are numbered frame_00000.png, …; make a video later with 'ffmpeg -framerate 30 -i {Path.Combine(path, "frame_%05d.png")} -pix_fmt yuv420p out.mp4'",
    };

    /// <summary>Reports synchronously on the rendering thread (System.Progress would post to the thread pool, out of order).</summary>
    private sealed class InlineProgress(Action<RenderProgress> report) : IProgress<RenderProgress>
    {
        public void Report(RenderProgress value) => report(value);
    }
}
