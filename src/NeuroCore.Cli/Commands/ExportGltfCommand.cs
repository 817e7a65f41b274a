using System.Globalization;
using NeuroCore.Visualization.Gltf;
using NeuroCore.Visualization.Layout;
using NeuroCore.Visualization.Model;
using NeuroCore.Visualization.Runs;

namespace NeuroCore.Cli.Commands;

/// <summary><c>neurocore export gltf RUN -o FILE</c>: a glTF 2.0 scene of one training step, or an animated timeline of all snapshots.</summary>
public sealed class ExportGltfCommand : CliCommand
{
    /// <inheritdoc />
    public override string Name => "export gltf";

    /// <inheritdoc />
    public override string Summary => "Export a 3-D glTF scene of the network at one step, or an animated timeline of the whole run.";

    /// <inheritdoc />
    public override IReadOnlyList<CliArgument> Arguments => [new("RUN", "the run folder (written by 'neurocore train')")];

    /// <inheritdoc />
    public override IReadOnlyList<CliOption> Options =>
    [
        CliOption.Value("--output", "FILE", "File to write: .glb (one binary file) or .gltf (JSON + .bin side file).", alias: "-o"),
        CliOption.Value("--step", "N", "Export the snapshot of training step N (default: the latest)."),
        CliOption.Flag("--timeline", "Export every snapshot into one animated file (one keyframe per snapshot)."),
        CliOption.Value("--probe", "K", "Probe input whose activations colour the neurons (default 0)."),
        CliOption.Value("--max-connections", "N", $"Most connections drawn, strongest |weight| first (default {ConnectionSelection.DefaultBudget:N0})."),
        CliOption.Value("--seconds-per-snapshot", "X", "Timeline: seconds of playback per snapshot (default 0.5)."),
        CliOption.Value("--seconds-per-step", "X", "Timeline: seconds of playback per training step instead, so keyframes follow the step spacing."),
    ];

    /// <inheritdoc />
    public override string Details =>
        """
        Examples:
          neurocore export gltf runs/digits -o digits.glb
          neurocore export gltf runs/digits --step 600 --probe 3 -o digits-600.glb
          neurocore export gltf runs/digits --timeline --max-connections 20000 -o digits-timeline.glb

        Open the file in a browser glTF viewer or in Blender (File > Import > glTF 2.0); see
        docs/gltf-scenes.md for the scene structure, names, extras and time mapping.
        """;

    /// <inheritdoc />
    public override int Execute(CliContext context, CliArguments arguments)
    {
        var folder = arguments.Positional(0)!;
        var output = arguments.GetString("--output") ?? throw new CliUsageException("missing --output FILE (.glb or .gltf).");
        var ext = Path.GetExtension(output).ToLowerInvariant();
        if (ext is not (".glb" or ".gltf")) throw new CliUsageException($"--output '{output}' must end in .glb or .gltf.");
        if (arguments.Has("--step") && arguments.Flag("--timeline")) throw new CliUsageException("--step and --timeline cannot be used together.");
        if (arguments.Has("--seconds-per-snapshot") && arguments.Has("--seconds-per-step"))
            throw new CliUsageException("--seconds-per-snapshot and --seconds-per-step cannot be used together.");
        var options = new SceneOptions
        {
            Probe = arguments.GetInt("--probe", 0, min: 0),
            MaxConnections = arguments.GetInt("--max-connections", ConnectionSelection.DefaultBudget, min: 0),
            SecondsPerSnapshot = (float)arguments.GetDouble("--seconds-per-snapshot", 0.5, min: 0, minExclusive: true),
            SecondsPerStep = arguments.Has("--seconds-per-step") ? (float)arguments.GetDouble("--seconds-per-step", 0.01, min: 0, minExclusive: true) : null,
        };

        if (!Directory.Exists(folder)) throw new CliException($"run folder '{folder}' does not exist.");
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
            if (arguments.Flag("--timeline"))
            {
                files = GltfExporter.ExportTimeline(source, output, options);
                what = $"timeline of {source.Steps.Count} snapshots (steps {source.Steps[0]}–{source.Steps[^1]})";
            }
            else
            {
                var index = source.Steps.Count - 1;
                if (arguments.Has("--step"))
                {
                    var step = arguments.GetInt("--step", 0, min: 0);
                    index = source.TryIndexOfStep(step, out var found) ? found : -1;
                    if (index < 0)
                        throw new CliUsageException($"--step {step}: the run has no snapshot at that step (steps {string.Join(", ", source.Steps.Take(8))}{(source.Steps.Count > 8 ? ", …" : "")}).");
                }
                files = GltfExporter.ExportStep(source, index, output, options);
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
    }

    private static string FormatBytes(long b) =>
        b >= 1 << 20 ? $"{(b / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture)} MiB" : $"{(b / 1024.0).ToString("0.0", CultureInfo.InvariantCulture)} KiB";
}
