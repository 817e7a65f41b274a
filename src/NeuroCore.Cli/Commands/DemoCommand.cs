using NeuroCore.NN;
using System.CommandLine;
using System.Diagnostics;
using NeuroCore.Snapshots;
using NeuroCore.Training;
using NeuroCore.Visualization.Runs;
using NeuroCore.Visualization.Encoding;
using NeuroCore.Visualization.Gltf;
using NeuroCore.Visualization.Model;
using NeuroCore.Visualization.Rendering;

namespace NeuroCore.Cli.Commands;

/// <summary>
/// <c>neurocore demo</c>: on a machine with nothing but the .NET SDK, trains a small network on the spiral
/// dataset while recording snapshots, then writes the run, a glTF timeline and a timelapse video.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The demo's training: a small tanh MLP on the seeded spiral, every example a probe input.</summary>
    internal static TrainingSpec Spec(string runFolder, int epochs) => new()
    {
        Dataset = "spiral", Samples = 300, Layers = [16, 16], Activation = ActivationFunction.Tanh, Optimizer = "adam", LearningRate = 0.02,
        Epochs = epochs, BatchSize = 32, Seed = 0, Probe = 300, Output = runFolder,
    };

    /// <summary>The <c>demo</c> command.</summary>
    internal static Command Create()
    {
        var output = CliOptions.Text("--output", "FOLDER", "Folder for everything the demo writes (default neurocore-demo).", "-o");
        var epochs = CliOptions.Int("--epochs", "N", "Training epochs (default 150).", 1, 100_000);
        var duration = CliOptions.Number("--duration", "SECONDS", "Video length (default 10).", 0, 600, minExclusive: true);
        var command = new Command("demo", "Train a small network on a spiral (a few seconds), then write the run, a glTF timeline and a video.")
        {
            output, epochs, duration,
        };
        command.SetDetails(
            """
            Writes into the folder:
              run/                   the recorded training run ('neurocore inspect FOLDER/run')
              spiral-timeline.glb    an animated glTF 2.0 scene of the network over training
              spiral.mp4             a timelapse video (animated PNG spiral.png when ffmpeg is missing)

            Running it again into the same folder replaces the earlier demo's files (and only those).
            Needs no external tool; with ffmpeg installed ('sudo apt-get install ffmpeg') the video is an MP4.
            """);
        command.SetAction(parseResult => Execute(CliContext.For(parseResult),
            parseResult.GetValue(output) ?? "neurocore-demo", parseResult.GetValue(epochs) ?? 150, parseResult.GetValue(duration) ?? 10));
        return command;
    }

    private static int Execute(CliContext context, string folder, int epochs, double duration)
    {
        if (File.Exists(folder)) throw new CliUsageException($"-o/--output '{folder}' is a file; the demo needs a folder");
        string runFolder = Path.Combine(folder, "run");
        var w = context.Out;
        var clock = Stopwatch.StartNew();

        // 1. Train with the snapshot recorder, exactly as 'train' does. An earlier demo's run is replaced.
        var trained = TrainCommand.Run(context, Spec(runFolder, epochs), force: true);
        if (trained.ExitCode != 0) return trained.ExitCode;
        context.Cancellation.ThrowIfCancellationRequested();
        var run = RunModel.Open(trained.Run.Folder); // read once, for both the glTF timeline and the video

        // 2. The glTF timeline from the recorded run (recorded activations of the first probe input).
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
        w.WriteLine($"      the training run: {run.Snapshots.Count} snapshots. Inspect it with '{Invocation.Command("inspect", runFolder)}'.");
        foreach (var f in gltfFiles)
        {
            // Shown as the run folder and the video are: under the folder as the user named it.
            w.WriteLine($"  {Path.Combine(folder, Path.GetRelativePath(Path.GetFullPath(folder), f))}");
            w.WriteLine("      animated glTF 2.0 timeline: drop it on https://gltf-viewer.donmccurdy.com or open it in Blender (File > Import > glTF 2.0).");
        }
        w.WriteLine($"  {result.OutputPath}");
        w.WriteLine($"      {RenderCommand.Describe(result)}; {RenderCommand.HowToOpen(result)}.");
        if (!ffmpeg)
            w.WriteLine("      (ffmpeg was not found, so the video is an animated PNG; 'sudo apt-get install ffmpeg' enables MP4 and WebM.)");
        return 0;
    }
}
