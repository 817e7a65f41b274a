using System.CommandLine;
using System.Globalization;
using NeuroCore.Visualization.Runs;
using NeuroCore.Visualization.Gltf;
using NeuroCore.Visualization.Layout;
using NeuroCore.Visualization.Model;

namespace NeuroCore.Cli.Commands;

/// <summary><c>neurocore export gltf RUN -o FILE</c>: a glTF 2.0 scene of one training step, or an animated timeline of all snapshots.</summary>
internal static class ExportGltfCommand
{
    /// <summary>Most connections a scene may draw: beyond this the glTF buffers approach their 2 GiB limit.</summary>
    internal const int MaxConnections = 2_000_000;

    /// <summary>The <c>export gltf</c> command.</summary>
    internal static Command Create()
    {
        var runArgument = RunArgument.Create();
        var output = CliOptions.Text("--output", "FILE", "File to write: .glb (one binary file) or .gltf (JSON + .bin side file).", "-o");
        output.Required = true;
        var step = StepChoice.StepOption("Export the snapshot of training step N (default: the latest).");
        var nearest = StepChoice.NearestOption();
        var timeline = CliOptions.Flag("--timeline", "Export every snapshot into one animated file (one keyframe per snapshot).");
        var probe = CliOptions.Int("--probe", "K", "Probe input whose activations colour the neurons (default 0).", 0);
        var maxConnections = CliOptions.Int("--max-connections", "N", $"Most connections drawn, strongest |weight| first (default {ConnectionSelection.DefaultBudget:N0}, at most {MaxConnections:N0}).", 0, MaxConnections);
        var secondsPerSnapshot = CliOptions.Number("--seconds-per-snapshot", "X", "Timeline: seconds of playback per snapshot (default 0.5).", 0.0001, 3600);
        var secondsPerStep = CliOptions.Number("--seconds-per-step", "X", "Timeline: seconds of playback per training step instead, so keyframes follow the step spacing.", 0.0001, 3600);
        var command = new Command("gltf", "Export a 3-D glTF scene of the network at one step, or an animated timeline of the whole run.")
        {
            runArgument, output, step, nearest, timeline, probe, maxConnections, secondsPerSnapshot, secondsPerStep,
        };
        command.SetDetails(
            """
            Examples:
              neurocore export gltf runs/digits -o digits.glb
              neurocore export gltf runs/digits --step 20 --probe 3 -o digits-20.glb
              neurocore export gltf runs/digits --timeline --max-connections 20000 -o digits-timeline.glb

            --step is a training step ('neurocore inspect RUN --steps' lists the recorded ones); a step that
            was not recorded is an error naming the nearest ones, unless --nearest is given.
            Open the file in a browser glTF viewer or in Blender (File > Import > glTF 2.0); see
            docs/gltf-scenes.md for the scene structure, names, extras and time mapping.
            """);
        command.SetAction(parseResult =>
        {
            var context = CliContext.For(parseResult);
            string folder = parseResult.GetValue(runArgument)!;
            string path = parseResult.GetValue(output)!;
            var ext = Path.GetExtension(path).ToLowerInvariant();
            if (Directory.Exists(path)) throw new CliUsageException($"-o/--output '{path}' is a folder; give a file name ending in .glb or .gltf");
            if (ext is not (".glb" or ".gltf")) throw new CliUsageException($"-o/--output '{path}' must end in .glb or .gltf");
            if (parseResult.Given(step) && parseResult.GetValue(timeline)) throw new CliUsageException("--step and --timeline cannot be used together");
            if (parseResult.GetValue(nearest) && !parseResult.Given(step)) throw new CliUsageException("--nearest needs --step N");
            if (parseResult.Given(secondsPerSnapshot) && parseResult.Given(secondsPerStep))
                throw new CliUsageException("--seconds-per-snapshot and --seconds-per-step cannot be used together");
            var options = new SceneOptions
            {
                Probe = parseResult.GetValue(probe) ?? 0,
                MaxConnections = parseResult.GetValue(maxConnections) ?? ConnectionSelection.DefaultBudget,
                SecondsPerSnapshot = (float)(parseResult.GetValue(secondsPerSnapshot) ?? 0.5),
                SecondsPerStep = parseResult.GetValue(secondsPerStep) is double s ? (float)s : null,
            };

            RunArgument.Folder(folder);
            RunModel source;
            try { source = RunModel.Open(folder); }
            catch (ArgumentException e) { throw new CliException($"cannot draw run '{folder}': {e.Message}"); }
            if (source.Steps.Count == 0) throw new CliException($"run '{folder}' has no snapshots yet.");
            if (options.Probe > 0 && options.Probe >= source.ProbeCount)
                throw new CliUsageException($"--probe {options.Probe}: the run recorded {source.ProbeCount} probe input(s) (0..{Math.Max(0, source.ProbeCount - 1)}).");

            IReadOnlyList<string> files;
            string what;
            try
            {
                if (parseResult.GetValue(timeline))
                {
                    files = GltfExporter.ExportTimeline(source, path, options);
                    what = $"timeline of {source.Steps.Count} snapshots (steps {source.Steps[0]}–{source.Steps[^1]})";
                }
                else
                {
                    var index = parseResult.GetValue(step) is int st
                        ? StepChoice.Resolve(source.Steps, st, parseResult.GetValue(nearest), context.Error)
                        : source.Steps.Count - 1;
                    files = GltfExporter.ExportStep(source, source.Steps[index], path, options);
                    what = $"step {source.Steps[index]}";
                }
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }
            var bytes = files.Sum(f => new FileInfo(f).Length);
            var total = source.Architecture.Layers.Select((_, l) => ConnectionSelection.CountConnections(source.Architecture, l)).Sum();
            var shown = Math.Min(total, options.MaxConnections);
            context.Out.WriteLine($"Wrote {string.Join(", ", files)} ({FormatBytes(bytes)}): {what}, {shown.ToString("N0", CultureInfo.InvariantCulture)} of {total.ToString("N0", CultureInfo.InvariantCulture)} connections.");
            return 0;
        });
        return command;
    }

    private static string FormatBytes(long b) =>
        b >= 1 << 20 ? $"{(b / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture)} MiB" : $"{(b / 1024.0).ToString("0.0", CultureInfo.InvariantCulture)} KiB";
}
