using System.CommandLine;
using System.Globalization;
using NeuroCore.Snapshots;
using NeuroCore.Visualization.Runs;
using NeuroCore.Visualization.Encoding;
using NeuroCore.Visualization.Rendering;
using NeuroCore.Visualization.Rendering.Conv;

namespace NeuroCore.Cli.Commands;

/// <summary><c>neurocore render RUN -o FILE</c>: a timelapse video of a recorded training run.</summary>
internal static class RenderCommand
{
    /// <summary>Most connections a frame may draw.</summary>
    internal const int MaxConnections = 2_000_000;

    /// <summary>The <c>render</c> command.</summary>
    internal static Command Create()
    {
        var runArgument = RunArgument.Create();
        var output = CliOptions.Text("--output", "FILE", "Output: .mp4, .webm (need ffmpeg), .png (animated PNG), .webp (animated WebP), or FOLDER/ for PNG frames.", "-o");
        output.Required = true;
        var width = CliOptions.Int("--width", "PX", "Frame width (default 1280).", 16, 8192);
        var height = CliOptions.Int("--height", "PX", "Frame height (default 720).", 16, 8192);
        var fps = CliOptions.Number("--fps", "N", "Frames per second (default 30).", 0, 240, minExclusive: true);
        var duration = CliOptions.Number("--duration", "SECONDS", "Video length including holds at start and end (default 10).", 0, 3600, minExclusive: true);
        var camera = CliOptions.Choice("--camera", "MODE", "orbit (a slow turntable swing, default) or fixed.", "orbit", "fixed");
        var maxConnections = CliOptions.Int("--max-connections", "N", $"Most connections drawn; the strongest of the last snapshot are kept (default 20000, at most {MaxConnections:N0}).", 0, MaxConnections);
        var maxSnapshots = CliOptions.Int("--max-snapshots", "N", "Most snapshots read from the run, evenly chosen (default 300).", 1, 100_000);
        var noHud = CliOptions.Flag("--no-hud", "Leave out the text, curves, decision regions and legend.");
        var command = new Command("render", "Render a timelapse of a training run: MP4, WebM, animated PNG, animated WebP or PNG frames.")
        {
            runArgument, output, width, height, fps, duration, camera, maxConnections, maxSnapshots, noHud,
        };
        command.SetDetails(
            """
            Examples:
              neurocore render runs/spiral -o spiral.mp4
              neurocore render runs/spiral -o spiral.png --width 640 --height 360 --fps 15 --duration 6
              neurocore render runs/spiral -o frames/ --camera fixed

            Snapshots are spread evenly over the video (each gets the same screen time), weights are
            interpolated between them, and the first and last snapshots are held briefly. MP4 (H.264,
            yuv420p) and WebM (VP9) are encoded by ffmpeg ('sudo apt-get install ffmpeg'); animated PNG,
            animated WebP and PNG frames need nothing beyond NeuroCore. Supported models: Sequential MLPs
            of Linear and activation layers, and convnets (Conv2d, pooling, Flatten, Linear): their video shows
            the feature-map stacks, the probe image with class probabilities, the first layer's filters and
            every convolution's feature maps, computed by the recorded network itself.
            """);
        command.SetAction(parseResult =>
        {
            var context = CliContext.For(parseResult);
            string path = parseResult.GetValue(output)!;
            var options = new TimelapseOptions
            {
                Width = parseResult.GetValue(width) ?? 1280,
                Height = parseResult.GetValue(height) ?? 720,
                Fps = parseResult.GetValue(fps) ?? 30,
                DurationSeconds = parseResult.GetValue(duration) ?? 10,
                Camera = parseResult.GetValue(camera) == "fixed" ? CameraMode.Fixed : CameraMode.Orbit,
                MaxConnections = parseResult.GetValue(maxConnections) ?? 20_000,
                ShowHud = !parseResult.GetValue(noHud),
            };
            // Fail on the output before the (possibly long) read of the run.
            var format = CheckOutput(path);
            if (OutputFormats.NeedsFfmpeg(format) && (options.Width % 2 != 0 || options.Height % 2 != 0))
                throw new CliUsageException(string.Create(CultureInfo.InvariantCulture,
                    $"--width {options.Width} --height {options.Height}: {(format == OutputFormat.Mp4 ? "MP4" : "WebM")} (yuv420p) needs an even width and height; try --width {options.Width & ~1} --height {options.Height & ~1}"));
            var run = RunModel.Open(RunArgument.Folder(parseResult.GetValue(runArgument)!));
            int snapshots = parseResult.GetValue(maxSnapshots) ?? 300;
            var result = ConvTimelapseRenderer.IsConvolutional(run)
                ? RenderConv(context, new ConvTimelapseRenderer(run, options, snapshots), path)
                : Render(context, TimelapseData.FromRun(run, snapshots), path, options);
            if (result.Format == OutputFormat.PngFrames) RemoveStaleFrames(result.OutputPath, result.Frames);
            context.Out.WriteLine($"Wrote {Describe(result)}: {result.OutputPath}");
            context.Out.WriteLine($"  {HowToOpen(result)}");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// After a complete render into a frames folder, removes the frames of an earlier, longer render
    /// (<c>frame_NNNNN.png</c> numbered <paramref name="frames"/> or above), so the folder holds one video's frames.
    /// </summary>
    private static void RemoveStaleFrames(string folder, int frames)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "frame_*.png"))
        {
            string digits = Path.GetFileNameWithoutExtension(file)["frame_".Length..];
            if (digits.Length >= 5 && digits.All(char.IsAsciiDigit) && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= frames)
                File.Delete(file);
        }
    }

    /// <summary>The output format, or a usage error for an unsupported extension, a folder given as a file, or a missing ffmpeg.</summary>
    internal static OutputFormat CheckOutput(string output)
    {
        bool folderSyntax = output.EndsWith('/') || output.EndsWith(Path.DirectorySeparatorChar);
        if (!folderSyntax && Directory.Exists(output))
            throw new CliUsageException($"-o/--output '{output}' is a folder; write PNG frames into it with '{output.TrimEnd('/')}/' or give a file name (.mp4, .webm, .png, .webp)");
        if (folderSyntax && File.Exists(output.TrimEnd('/', Path.DirectorySeparatorChar)))
            throw new CliUsageException($"-o/--output '{output}' names a file, not a folder; remove it or choose another folder for the PNG frames");
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
        return context.WithProgress(renderer.FrameCount, "render", bar =>
            renderer.Render(output, new InlineProgress(p => bar.Report(p.FramesDone, $"frame {p.FramesDone}/{p.TotalFrames}")), context.Cancellation));
    }

    /// <summary>Renders a convolutional run with a progress bar on stderr.</summary>
    internal static RenderResult RenderConv(CliContext context, ConvTimelapseRenderer renderer, string output) =>
        context.WithProgress(renderer.FrameCount, "render", bar =>
            renderer.Render(output, new InlineProgress(p => bar.Report(p.FramesDone, $"frame {p.FramesDone}/{p.TotalFrames}")), context.Cancellation));

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
        return $"{kind}, {r.Frames} frames {r.Width}×{r.Height} at {Fps(r.Fps)} fps ({seconds.ToString("0.#", CultureInfo.InvariantCulture)} s)";
    }

    /// <summary>How to open what was written; for PNG frames, the ffmpeg line that makes a video at the frames' own rate.</summary>
    internal static string HowToOpen(RenderResult r) => r.Format switch
    {
        OutputFormat.Mp4 or OutputFormat.WebM => $"open it in a browser or any video player (e.g. 'xdg-open {r.OutputPath}' or 'ffplay {r.OutputPath}')",
        OutputFormat.AnimatedPng or OutputFormat.AnimatedWebp => "open it in a web browser (it animates there; many image viewers show only the first frame)",
        _ => $"frames are numbered frame_00000.png, …; make a video later with 'ffmpeg -framerate {Fps(r.Fps)} -i {Path.Combine(r.OutputPath, "frame_%05d.png")} -pix_fmt yuv420p out.mp4'",
    };

    private static string Fps(double fps) => fps.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Reports synchronously on the rendering thread (System.Progress would post to the thread pool, out of order).</summary>
    private sealed class InlineProgress(Action<RenderProgress> report) : IProgress<RenderProgress>
    {
        public void Report(RenderProgress value) => report(value);
    }
}
