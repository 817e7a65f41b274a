using System.CommandLine;
using NeuroCore.Embeddings;
using NeuroCore.Visualization.Embeddings;
using Spectre.Console;

namespace NeuroCore.Cli.Commands;

/// <summary>
/// <c>neurocore embed RUN --layer NAME [--step N] --method pca|tsne --dims 2|3 -o DIR</c>, or
/// <c>neurocore embed --input FILE -o DIR</c>: embeds a layer's recorded activations or plain data and writes
/// the Projector files, embedding.tsv/json and a glTF point cloud.
/// </summary>
internal static class EmbedCommand
{
    internal static Command Create()
    {
        var run = new Argument<string?>("RUN") { Description = "A training run folder (with --layer).", Arity = ArgumentArity.ZeroOrOne };
        var layer = new Option<string?>("--layer", "-l") { Description = "The layer whose recorded activations (over the run's probe batch) to embed." };
        var step = new Option<int?>("--step") { Description = "Training step of the snapshot (default: the latest)." };
        var input = new Option<string?>("--input", "-i") { Description = "Plain data instead of a run: CSV/TSV rows of numbers (optional label column), a scikit-learn dataset CSV, or an IDX file." };
        var labels = new Option<string?>("--labels") { Description = "IDX label file for an IDX --input." };
        var labelColumn = new Option<string?>("--label-column") { Description = "Label column of a CSV/TSV: a header name, 0-based index, first, last or none (default: the column holding text, if any)." };
        var method = new Option<string>("--method", "-m") { Description = "pca or tsne.", DefaultValueFactory = _ => "tsne" };
        method.AcceptOnlyFromAmong("pca", "tsne");
        var dims = new Option<int>("--dims", "-d") { Description = "Output dimensions, 2 or 3.", DefaultValueFactory = _ => 3 };
        dims.AcceptOnlyFromAmong("2", "3");
        var perplexity = new Option<double>("--perplexity") { Description = "t-SNE perplexity.", DefaultValueFactory = _ => 30 };
        var iterations = new Option<int>("--iterations") { Description = "t-SNE iterations.", DefaultValueFactory = _ => 1000 };
        var pcaDims = new Option<int>("--pca-dims") { Description = "t-SNE: search neighbours on this many principal axes when there are more features (0 = all).", DefaultValueFactory = _ => 50 };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same result).", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--output", "-o") { Description = "Output folder.", Required = true };
        var command = new Command("embed", "Embed a layer's activations or a data file with PCA or t-SNE (2-D/3-D); writes Embedding Projector files, embedding.tsv/json and a glTF point cloud.");
        command.Arguments.Add(run);
        foreach (var o in new Option[] { layer, step, input, labels, labelColumn, method, dims, perplexity, iterations, pcaDims, seed, output }) command.Options.Add(o);
        command.Validators.Add(result =>
        {
            bool hasRun = result.GetValue(run) is not null, hasInput = result.GetValue(input) is not null;
            if (hasRun == hasInput) result.AddError("give either a RUN folder with --layer, or --input FILE.");
            else if (hasRun && result.GetValue(layer) is null) result.AddError("--layer is required with a RUN folder.");
        });
        command.SetDetails(
            """
            Examples:
              neurocore train --dataset digits --layers 32 --epochs 3 --probe 400 -o runs/digits
              neurocore embed runs/digits --layer 1 --method tsne --dims 3 -o embed/
              neurocore embed --input points.csv --label-column kind --method pca --dims 2 -o embed-points/

            Writes embedding.tsv, Embedding Projector files (tensors, metadata, projector_config.pbtxt, sprite for
            images) and a glTF point cloud; see docs/embeddings.md.
            """);
        command.SetAction(parse =>
        {
            try
            {
                var source = parse.GetValue(run) is { } folder
                    ? RunLayerActivations.Load(folder, parse.GetValue(layer)!, parse.GetValue(step))
                    : EmbeddingFiles.Read(parse.GetValue(input)!, parse.GetValue(labelColumn), parse.GetValue(labels));
                var settings = new EmbedSettings
                {
                    Method = parse.GetValue(method)!, Dimensions = parse.GetValue(dims), Perplexity = parse.GetValue(perplexity),
                    Iterations = parse.GetValue(iterations), Seed = parse.GetValue(seed), PcaDimensions = parse.GetValue(pcaDims),
                };
                string dir = parse.GetValue(output)!;
                AnsiConsole.MarkupLine($"Embedding [bold]{Markup.Escape(source.Description)}[/]: {source.Input.Count} points × {source.Input.Dimensions} features, {settings.Method} to {settings.Dimensions}-D");
                EmbeddingView? view = null;
                AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask(settings.Method == "tsne" ? "t-SNE" : "PCA", maxValue: settings.Method == "tsne" ? settings.Iterations : 1);
                        var progress = new Progress<TsneProgress>(p =>
                        {
                            task.Value = p.Iteration;
                            task.Description = $"t-SNE KL {p.KlDivergence:F3}{(p.Exaggerating ? " (exaggerating)" : "")}";
                        });
                        view = EmbeddingPipeline.Run(source, settings, new SyncProgress<TsneProgress>(p => ((IProgress<TsneProgress>)progress).Report(p)));
                        task.Value = task.MaxValue;
                        var writing = ctx.AddTask("writing files", maxValue: 1);
                        EmbeddingWriter.WriteAll(view, dir);
                        writing.Value = 1;
                    });
                var table = new Table().AddColumns("figure", "value");
                foreach (var (k, v) in view!.Metrics) table.AddRow(k, v.ToString("G5", System.Globalization.CultureInfo.InvariantCulture));
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(dir))}[/] (projector_config.pbtxt, embedding.tsv, embedding.json, embedding.glb)");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or NeuroCore.Snapshots.SnapshotFormatException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {OneLine(e.Message)}");
                return 1;
            }
        });
        return command;
    }

    internal static string OneLine(string s) => string.Join(' ', s.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Reports on the calling thread at once (Progress&lt;T&gt; would post to the thread pool).</summary>
    internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
