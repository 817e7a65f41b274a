using System.CommandLine;
using NeuroCore.Embeddings;
using NeuroCore.Visualization.Embeddings;
using NeuroCore.Visualization.Runs;
using Spectre.Console;

namespace NeuroCore.Cli.Commands;

/// <summary>
/// <c>neurocore embed RUN --layer NAME [--step N] --method pca|tsne --dims 2|3 -o DIR</c>, or
/// <c>neurocore embed --input FILE -o DIR</c>: embeds a layer's recorded activations (or its output over <c>--data</c>, or across
/// snapshots with <c>--animate</c>) or plain data and writes
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
        var labels = new Option<string?>("--labels") { Description = "IDX label file for an IDX --input or --data." };
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
        var data = new Option<string?>("--data") { Description = "With RUN: run the run's network (rebuilt at the snapshot) over this data file instead of using the probe batch; same formats as --input (--labels, --label-column apply)." };
        var limit = new Option<int?>("--limit") { Description = "Embed at most the first N rows (of --data, --input or the probe batch)." };
        var animate = new Option<bool>("--animate") { Description = "With RUN: embed the layer at several snapshots as an animation (t-SNE warm-started from the previous frame, PCA aligned); writes frames/step-<N>.tsv and frames/frames.json." };
        var frames = new Option<int>("--frames") { Description = "With --animate: snapshots to embed, evenly spaced, first and last kept.", DefaultValueFactory = _ => 10 };
        var warm = new Option<int>("--warm-iterations") { Description = "With --animate and t-SNE: iterations of every frame after the first (no early exaggeration).", DefaultValueFactory = _ => 250 };
        var command = new Command("embed", "Embed a layer's activations or a data file with PCA or t-SNE (2-D/3-D); writes Embedding Projector files, embedding.tsv/json and a glTF point cloud.");
        command.Arguments.Add(run);
        foreach (var o in new Option[] { layer, step, input, labels, labelColumn, method, dims, perplexity, iterations, pcaDims, seed, output, data, limit, animate, frames, warm }) command.Options.Add(o);
        command.Validators.Add(result =>
        {
            bool hasRun = result.GetValue(run) is not null, hasInput = result.GetValue(input) is not null;
            if (hasRun == hasInput) result.AddError("give either a RUN folder with --layer, or --input FILE.");
            else if (hasRun && result.GetValue(layer) is null) result.AddError("--layer is required with a RUN folder.");
            else if (!hasRun && (result.GetValue(data) is not null || result.GetValue(animate))) result.AddError("--data and --animate need a RUN folder (with --input, the file itself is embedded).");
            if (result.GetValue(animate) && result.GetValue(step) is not null) result.AddError("--step picks one snapshot; --animate embeds --frames snapshots (drop one of them).");
            // Only options given on the command line are checked here (a validator sees no defaults).
            if (result.GetResult(frames) is not null && result.GetValue(frames) is < 1 or > 1000) result.AddError($"--frames must be 1..1000, got {result.GetValue(frames)}.");
            if (result.GetResult(limit) is not null && result.GetValue(limit) is < 1) result.AddError($"--limit must be at least 1, got {result.GetValue(limit)}.");
            if (result.GetResult(warm) is not null && result.GetValue(warm) < 1) result.AddError($"--warm-iterations must be at least 1, got {result.GetValue(warm)}.");
            if ((result.GetResult(frames) is not null || result.GetResult(warm) is not null) && !result.GetValue(animate)) result.AddError("--frames and --warm-iterations go with --animate.");
        });
        command.SetDetails(
            """
            Examples:
              neurocore train --dataset digits --layers 32 --epochs 3 --probe 400 -o runs/digits
              neurocore embed runs/digits --layer 1 --method tsne --dims 3 -o embed/
              neurocore embed --input points.csv --label-column kind --method pca --dims 2 -o embed-points/
              neurocore embed runs/digits --layer 1 --animate --frames 12 -o embed-anim/
              neurocore embed runs/fashion --layer 4 --data /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz \
                --labels /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz --limit 2000 -o embed-fashion/

            Writes embedding.tsv, Embedding Projector files (tensors, metadata, projector_config.pbtxt, sprite for
            images) and a glTF point cloud; see docs/embeddings.md.
            """);
        command.SetAction(parse =>
        {
            try
            {
                var settings = new EmbedSettings
                {
                    Method = parse.GetValue(method)!, Dimensions = parse.GetValue(dims), Perplexity = parse.GetValue(perplexity),
                    Iterations = parse.GetValue(iterations), Seed = parse.GetValue(seed), PcaDimensions = parse.GetValue(pcaDims),
                };
                string dir = parse.GetValue(output)!;
                int? max = parse.GetValue(limit);
                if (parse.GetValue(run) is { } folder && parse.GetValue(animate))
                    return Animate(RunModel.Open(folder), parse.GetValue(layer)!, parse.GetValue(frames), ReadData(parse, data, labelColumn, labels),
                        max, parse.GetValue(warm), settings, dir);
                EmbeddingSource source;
                if (parse.GetValue(run) is { } runFolder)
                    source = ReadData(parse, data, labelColumn, labels) is { } rows
                        ? RunLayerEmbedding.FromData(RunModel.Open(runFolder), parse.GetValue(layer)!, max is { } m ? rows.Take(m) : rows, parse.GetValue(step))
                        : RunLayerActivations.Load(runFolder, parse.GetValue(layer)!, parse.GetValue(step));
                else
                    source = EmbeddingFiles.Read(parse.GetValue(input)!, parse.GetValue(labelColumn), parse.GetValue(labels));
                if (max is { } n) source = source.Take(n);
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
                PrintFigures(view!);
                AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(dir))}[/] (projector_config.pbtxt, embedding.tsv, embedding.json, embedding.glb)");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or NeuroCore.Snapshots.SnapshotFormatException or UnauthorizedAccessException or NotSupportedException)
            {
                CliContext.For(parse).Error.WriteLine($"error: {OneLine(e.Message)}");
                return 1;
            }
        });
        return command;
    }

    private static EmbeddingSource? ReadData(ParseResult parse, Option<string?> data, Option<string?> labelColumn, Option<string?> labels) =>
        parse.GetValue(data) is { } file ? EmbeddingFiles.Read(file, parse.GetValue(labelColumn), parse.GetValue(labels)) : null;

    /// <summary>--animate: the frames of <see cref="RunLayerEmbedding.Animate"/>, the last one written as the usual outputs, the frames beside them.</summary>
    private static int Animate(RunModel run, string layer, int frames, EmbeddingSource? data, int? max, int warmIterations, EmbedSettings settings, string dir)
    {
        var steps = RunLayerEmbedding.PickSteps(run, frames);
        AnsiConsole.MarkupLine($"Animating [bold]{Markup.Escape($"run {run.Name}, layer {layer}")}[/] over {steps.Length} snapshots (steps {steps[0]}…{steps[^1]})"
            + $"{(data is null ? " on the probe batch" : Markup.Escape($" over {data.Description}"))}, {settings.Method} to {settings.Dimensions}-D");
        RunLayerAnimation? animation = null;
        AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("frames", maxValue: steps.Length);
                var progress = new SyncProgress<EmbeddingAnimationProgress>(p =>
                {
                    task.Value = p.Frame;
                    task.Description = $"frame {p.Frame + 1}/{p.Frames} (step {p.Step}){(p.Tsne is { } t ? $" t-SNE {t.Iteration}/{t.Iterations} KL {t.KlDivergence:F3}" : "")}";
                });
                animation = RunLayerEmbedding.Animate(run, layer, steps, settings, data, max, warmIterations, progress);
                task.Value = task.MaxValue;
                var writing = ctx.AddTask("writing files", maxValue: 1);
                EmbeddingWriter.WriteAll(animation.Last, dir);
                EmbeddingFramesFiles.Write(animation, dir);
                writing.Value = 1;
            });
        var table = new Table().AddColumns("step", "KL", "iterations", "moved (RMS / radius)");
        foreach (var f in animation!.Animation.Frames)
            table.AddRow(f.Step.ToString(System.Globalization.CultureInfo.InvariantCulture), f.KlDivergence is { } kl ? kl.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) : "",
                f.Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture), f.Displacement.ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        PrintFigures(animation.Last);
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(dir))}[/] (the last frame as embedding.tsv/json/glb and Projector files; every frame in frames/, index frames/frames.json)");
        return 0;
    }

    private static void PrintFigures(EmbeddingView view)
    {
        var table = new Table().AddColumns("figure", "value");
        foreach (var (k, v) in view.Metrics) table.AddRow(k, v.ToString("G5", System.Globalization.CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
    }

    internal static string OneLine(string s) => string.Join(' ', s.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Reports on the calling thread at once (Progress&lt;T&gt; would post to the thread pool).</summary>
    internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
