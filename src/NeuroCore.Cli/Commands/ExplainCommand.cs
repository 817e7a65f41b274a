using System.CommandLine;
using NeuroCore.Data;
using NeuroCore.Snapshots;
using NeuroCore.Visualization.Explain;
using Spectre.Console;

namespace NeuroCore.Cli.Commands;

/// <summary>
/// <c>neurocore explain RUN --step N --input K -o DIR</c>: Zeiler &amp; Fergus-style analyses of a convolutional
/// run at one snapshot (filters, top-activating patches, occlusion, saliency, Grad-CAM) as PNGs with an index.html.
/// </summary>
internal static class ExplainCommand
{
    internal static Command Create()
    {
        var run = new Argument<string>("RUN") { Description = "The run folder (manifest.json and snapshots)." };
        var step = new Option<int?>("--step") { Description = "Training step of the snapshot to analyse (default: the latest)." };
        var input = new Option<int>("--input") { Description = "Index of the probe image to explain (occlusion, saliency, Grad-CAM).", DefaultValueFactory = _ => 0 };
        var cls = new Option<int?>("--class") { Description = "Class to explain (default: the model's prediction)." };
        var images = new Option<int>("--images") { Description = "Test images searched for top activations besides the probe batch (Fashion-MNIST runs; 0 for the probe only).", DefaultValueFactory = _ => 1000 };
        var dataDir = new Option<string>("--data-dir") { Description = "Folder of the Fashion-MNIST IDX files.", DefaultValueFactory = _ => FashionMnist.DefaultDirectory };
        var output = new Option<string>("--output", "-o") { Description = "Folder to write the PNGs and index.html into.", Required = true };
        var command = new Command("explain", "Explain a convolutional run at one snapshot: filters, top-activating patches, occlusion, saliency and Grad-CAM.");
        command.Arguments.Add(run);
        foreach (var o in new Option[] { step, input, cls, images, dataDir, output }) command.Options.Add(o);
        command.SetDetails(
            """
            Examples:
              neurocore explain runs/fashion -o explain/
              neurocore explain runs/fashion --step 1876 --input 5 -o explain/

            Writes PNG grids (first-layer filters, top-activating patches, occlusion, saliency, Grad-CAM), an
            index.html that shows them, and explain.glb (the images as textured planes); see docs/explain.md.
            """);
        command.SetAction(parseResult =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                var training = TrainingRun.Open(parseResult.GetRequiredValue(run));
                var (model, snapshot) = RunSequential.Load(training, parseResult.GetValue(step));
                var probe = training.LoadProbe() ?? throw new ArgumentException($"{training.Folder}: the run recorded no probe batch, so there is no image to explain.");
                var (pool, labels) = Pool(training, probe, parseResult.GetValue(images), parseResult.GetRequiredValue(dataDir));
                int k = parseResult.GetValue(input);
                if (k < 0 || k >= probe.Count) throw new ArgumentException($"--input {k} is not a probe image; the run has {probe.Count} (0..{probe.Count - 1}).");
                var folder = parseResult.GetRequiredValue(output);
                var result = ExplainReport.Write(model, pool, folder, new ExplainOptions
                {
                    InputIndex = k,
                    ClassIndex = parseResult.GetValue(cls),
                    ClassNames = training.Manifest.Dataset?.ClassNames,
                    Labels = labels,
                    Title = $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(training.Folder))} at step {snapshot.Step}, probe image {k}",
                });
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(parseResult.InvocationConfiguration.Output) });
                var table = new Table().AddColumn("analysis").AddColumn("file");
                foreach (var (role, file) in result.Files) table.AddRow(Markup.Escape(role), Markup.Escape(Path.Combine(folder, file)));
                console.Write(table);
                console.MarkupLineInterpolated($"predicted class {result.PredictedClass}, explained class {result.ExplainedClass}; open [green]{result.IndexPath}[/]");
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or KeyNotFoundException or NotSupportedException or InvalidOperationException or System.Text.Json.JsonException)
            {
                error.WriteLine($"error: {string.Join(' ', e.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>The probe images first (so --input K indexes them), then test images of a Fashion-MNIST run when installed.</summary>
    private static (Tensor Pool, IReadOnlyList<long>? Labels) Pool(TrainingRun run, ProbeBatch probe, int extra, string dataDir)
    {
        var shape = run.Manifest.Architecture.InputShape ?? run.Manifest.Probe?.InputShape;
        var inputs = probe.Inputs;
        if (inputs.Rank != 4 && shape is { Count: 3 }) inputs = inputs.Contiguous().Reshape([probe.Count, .. shape]);
        if (inputs.Rank != 4) throw new ArgumentException($"{run.Folder}: the probe images have shape [{string.Join(", ", inputs.Shape)}], not [N, C, H, W]; explain is for convolutional runs.");
        var labels = probe.Labels?.ToLongArray().ToList();
        if (extra > 0 && run.Manifest.Dataset?.Name == "fashion-mnist" && Directory.Exists(dataDir))
        {
            try
            {
                var test = FashionMnist.Load(dataDir).Test;
                int n = Math.Min(extra, test.Count);
                var images = test.Inputs.Narrow(0, 0, n).Contiguous();
                if (images.Shape.Skip(1).SequenceEqual(inputs.Shape.Skip(1)))
                {
                    var all = new float[(probe.Count + n) * inputs.Numel / probe.Count];
                    inputs.ToArray().CopyTo(all, 0);
                    images.ToArray().CopyTo(all, inputs.Numel);
                    inputs = Tensor.FromArray(all, [probe.Count + n, .. inputs.Shape[1..]]);
                    labels = labels is null ? null : [.. labels, .. test.Targets.Narrow(0, 0, n).ToLongArray()];
                }
            }
            catch (FileNotFoundException)
            {
                // The test set is optional: the probe batch alone still gives every analysis.
            }
        }
        return (inputs, labels);
    }
}
