using System.CommandLine;
using NeuroCore.Onnx;
using NeuroCore.Snapshots;
using NeuroCore.Visualization.Explain;
using Spectre.Console;

namespace NeuroCore.Cli.Commands;

/// <summary>
/// <c>neurocore export onnx RUN [--step N] -o model.onnx</c>: the run's model with one snapshot's weights as an
/// ONNX file (opset 17, IR version 8) for Netron and ONNX Runtime. <see cref="Create"/> is the <c>onnx</c>
/// subcommand, registered under <c>export</c>.
/// </summary>
internal static class ExportOnnxCommand
{
    internal static Command Create()
    {
        var run = new Argument<string>("RUN") { Description = "The run folder (manifest.json and snapshots)." };
        var step = new Option<int?>("--step") { Description = "Training step of the snapshot to export (default: the latest)." };
        var output = new Option<string>("--output", "-o") { Description = "The .onnx file to write.", Required = true };
        var command = new Command("onnx", "Export a run's model at one snapshot as an ONNX file (opset 17) for Netron and ONNX Runtime.");
        command.Arguments.Add(run);
        command.Options.Add(step);
        command.Options.Add(output);
        command.SetDetails(
            """
            Examples:
              neurocore export onnx runs/spiral -o spiral.onnx
              neurocore export onnx runs/fashion --step 1876 -o fashion.onnx

            Opset 17, IR version 8, state-dict names on the initializers; opens in Netron and ONNX Runtime.
            See docs/onnx.md (also for importing a PyTorch-exported model).
            """);
        command.SetAction(parseResult =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                var training = TrainingRun.Open(parseResult.GetRequiredValue(run));
                var (model, snapshot) = RunSequential.Load(training, parseResult.GetValue(step));
                var inputShape = training.Manifest.Architecture.InputShape ?? training.Manifest.Probe?.InputShape;
                var path = parseResult.GetRequiredValue(output);
                model.SaveOnnx(path, new OnnxExportOptions
                {
                    InputShape = inputShape is { Count: > 0 } ? inputShape : null,
                    GraphName = Path.GetFileName(Path.TrimEndingDirectorySeparator(training.Folder)),
                    DocString = $"NeuroCore run {training.Folder}, step {snapshot.Step}",
                });
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(parseResult.InvocationConfiguration.Output) });
                console.MarkupLineInterpolated($"wrote [green]{path}[/] ({new FileInfo(path).Length:N0} bytes): {model.Count} layers at step {snapshot.Step}, opset {OnnxFormat.OpsetVersion}");
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or KeyNotFoundException or NotSupportedException or SnapshotFormatException or System.Text.Json.JsonException)
            {
                error.WriteLine($"error: {OneLine(e.Message)}");
                return 1;
            }
        });
        return command;
    }

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
