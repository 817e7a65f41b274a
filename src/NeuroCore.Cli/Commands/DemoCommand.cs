using System.Diagnostics;
using NeuroCore.Snapshots;
using NeuroCore.Visualization.Encoding;
using NeuroCore.Visualization.Gltf;
using NeuroCore.Visualization.Model;
using NeuroCore.Visualization.Rendering;
using NeuroCore.Visualization.Runs;

namespace NeuroCore.Cli.Commands;

/// <summary>
/// <c>neurocore demo</c>: on a machine with nothing but the .NET SDK, trains a small network on the spiral
/// dataset while recording snapshots, then writes the run, a glTF timeline and a timelapse video.
/// </summary>
public sealed class DemoCommand : CliCommand
{
    /// <inheritdoc />
    public override string Name => "demo";

    /// <inheritdoc />
    public override string Summary => "Train a small network on a spiral (a few seconds), then write the run, a glTF timeline and a video.";

    /// <inheritdoc />
    public override IReadOnlyList<CliOption> Options =>
    [
        CliOption.Value("--out", "FOLDER", "Folder for everything the demo writes (default neurocore-demo).", alias: "-o"),
        CliOption.Value("--epochs", "N", "Training epochs (default 150)."),
        CliOption.Value("--duration", "SECONDS", "Video length (default 10)."),
        CliOption.Flag("--force", "Replace an earlier demo in the folder."),
    ];

    /// <inheritdoc />
    public override string Details =>
        """
        Writes into the folder:
          run/                   the recorded training run ('neurocore inspect FOLDER/run')
          spiral-timeline.glb    an animated glTF 2.0 scene of the network over training
          spiral.mp4             a timelapse video (animated PNG spiral.png when ffmpeg is missing)

        Needs no external tool; with ffmpeg installed ('sudo apt-get install ffmpeg') the video is an MP4.
        """;

    /// <inheritdoc />
    public override int Execute(CliContext context, CliArguments arguments)
    {
        string folder = arguments.GetString("--out") ?? "neurocore-demo";
        int epochs = arguments.GetInt("--epochs", 150, min: 1, max: 100_000);
        double duration = arguments.GetDouble("--duration", 10, min: 0, max: 600, minExclusive: true);
        bool force = arguments.Flag("--force");
        string runFolder = Path.Combine(folder, "run");
        var w = context.Out;
        var clock = Stopwatch.StartNew();
        if (!force && File.Exists(Path.Combine(runFolder, SnapshotFormat.ManifestFileName)))
            throw new CliException($"{folder} already holds a demo; add --force to replace it or choose another --out");

        // 1. Train with the snapshot recorder (the train command does exactly this).
        var train = new TrainCommand();
        var trainArgs = new List<string>
        {
            "--dataset", "spiral", "--samples", "300", "--layers", "16,16", "--activation", "tanh",
            "--optimizer", "adam", "--lr", "0.02", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--batch-size", "32", "--seed", "0", "--probe", "300", "--output", runFolder,
        };
        if (force) trainArgs.Add("--force");
        int code = train.Execute(context, CliArguments.Parse(train, trainArgs));
        if (code != 0) return code;
        context.Cancellation.ThrowIfCancellationRequested();

        // 2. The glTF timeline from the recorded run (recorded activations of the first probe input).
        var run = RunModel.Open(runFolder); // read once, for both the glTF timeline and the video
        string gltf = Path.Combine(folder, "spiral-timeline.glb");
        var gltfFiles = GltfExporter.ExportTimeline(run, gltf);
        var data = TimelapseData.FromRun(run, maxSnapshots: 200);

        // 3. The video: MP4 through ffmpeg when present, otherwise an animated PNG written by NeuroCore.
        bool ffmpeg = Ffmpeg.IsAvailable;
        string video = Path.Combine(folder, ffmpeg ? "spiral.mp4" : "spiral.png");
        var options = ffmpeg
            ? new TimelapseOptions { Width = 1280, Height = 720, Fps = 30, DurationSeconds = duration }
            // APNG stores every frame losslessly: a smaller frame and rate keep the file reasonable.
            : new TimelapseOptions { Width = 960, Height = 540, Fps = 20, DurationSeconds = duration };
        var result = RenderCommand.Render(context, data, video, options);

        w.WriteLine();
        w.WriteLine($"Demo finished in {clock.Elapsed.TotalSeconds:0.0} s. Wrote into {Path.GetFullPath(folder)}:");
        w.WriteLine($"  {runFolder}/");
        w.WriteLine($"      the training run: {run.Snapshots.Count} snapshots. Inspect it with 'neurocore inspect {runFolder}'.");
        foreach (var f in gltfFiles)
        {
            w.WriteLine($"  {f}");
            w.WriteLine("      animated glTF 2.0 timeline: drop it on https://gltf-viewer.donmccurdy.com or open it in Blender (File > Import > glTF 2.0).");
        }
        w.WriteLine($"  {result.OutputPath}");
        w.WriteLine($"      {RenderCommand.Describe(result)}; {RenderCommand.HowToOpen(result.Format, result.OutputPath)}.");
        if (!ffmpeg)
            w.WriteLine("      (ffmpeg was not found, so the video is an animated PNG; 'sudo apt-get install ffmpeg' enables MP4 and WebM.)");
        return 0;
    }
}
