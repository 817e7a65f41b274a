using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NeuroCore.Snapshots;

namespace NeuroCore.Cli.Commands;

/// <summary><c>neurocore inspect RUN</c>: what a training run holds.</summary>
internal static class InspectCommand
{
    /// <summary>The <c>inspect</c> command.</summary>
    internal static Command Create()
    {
        var runArgument = RunArgument.Create();
        var steps = CliOptions.Flag("--steps", "List every snapshot (step, epoch, loss, learning rate, size).");
        var step = StepChoice.StepOption("Load the snapshot of training step N and summarize its tensors.");
        var nearest = StepChoice.NearestOption();
        var command = new Command("inspect", "Show what a training run holds: architecture, snapshots, losses, file sizes, warnings.")
        {
            runArgument, steps, step, nearest,
        };
        command.SetDetails(
            """
            Examples:
              neurocore inspect runs/spiral
              neurocore inspect runs/spiral --steps
              neurocore inspect runs/spiral --step 20

            A run that is still being written, or whose writer was killed, can be inspected: incomplete
            snapshots are skipped and listed under Warnings.
            """);
        command.SetAction(parseResult =>
        {
            var context = CliContext.For(parseResult);
            return Execute(context, parseResult.GetValue(runArgument)!, parseResult.GetValue(steps), parseResult.GetValue(step), parseResult.GetValue(nearest));
        });
        return command;
    }

    private static int Execute(CliContext context, string folder, bool listSteps, int? step, bool nearest)
    {
        if (nearest && step is null) throw new CliUsageException("--nearest needs --step N");
        var run = TrainingRun.Open(RunArgument.Folder(folder));
        var snaps = run.Snapshots;
        // The step is checked before anything is printed: an unknown step is one line, as in 'export gltf'.
        SnapshotEntry? chosen = step is int st ? snaps[StepChoice.Resolve(snaps.Select(s => (long)s.Step).ToList(), st, nearest, context.Error)] : null;
        var w = context.Out;
        var m = run.Manifest;

        w.WriteLine($"Run:          {run.Folder}");
        w.WriteLine($"Format:       {m.Format} v{m.Version}{(m.Producer is null ? "" : $", written by {m.Producer}")}, started {m.CreatedUtc.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        w.WriteLine($"Status:       {(run.IsFinished ? "finished" : "not finished (still recording, or interrupted)")}");
        if (m.Dataset is { } d)
            w.WriteLine($"Dataset:      {d.Name}, {d.Count} examples, input {Shape(d.InputShape)}{(d.Classes is int c ? $", {c} classes" : "")}");
        if (m.HyperParameters.Count > 0)
            w.WriteLine($"Training:     {string.Join(", ", m.HyperParameters.Select(kv => $"{kv.Key}={Json(kv.Value)}"))}");
        w.WriteLine($"Storage:      parameters {PrecisionName(m.Storage.Parameters)}, activations {PrecisionName(m.Storage.Activations)}, gradients {m.Storage.Gradients.ToString().ToLowerInvariant()}");
        if (m.Probe is { } p)
            w.WriteLine($"Probe:        {p.Count} inputs of shape {Shape(p.InputShape)}{(p.Labels is null ? "" : $", labels {string.Join(",", p.Labels)}")}");
        w.WriteLine();

        var a = m.Architecture;
        w.WriteLine($"Architecture: {a.TypeName}, {a.Layers.Count} layers, {a.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)} parameters");
        var layers = new CliTable("#", "name", "type", "config", "parameters", "output", "activation");
        foreach (var l in a.Layers)
            layers.Add(l.Index.ToString(CultureInfo.InvariantCulture), l.Name.Length == 0 ? "(root)" : l.Name, l.TypeName,
                string.Join(", ", l.Config.Select(kv => $"{kv.Key}={Json(kv.Value)}")),
                string.Join(" ", l.Parameters.Select(t => $"{t.Name.Split('.')[^1]}{Shape(t.Shape)}")),
                l.OutputShape is null ? "" : Shape(l.OutputShape),
                l.Activation?.Name ?? "");
        layers.Write(w);
        w.WriteLine();

        if (snaps.Count == 0) w.WriteLine("Snapshots:    none yet");
        else
        {
            w.WriteLine($"Snapshots:    {snaps.Count}, steps {snaps[0].Step}–{snaps[^1].Step}, epochs {snaps[0].Epoch}–{snaps[^1].Epoch}, {CliProgress.FormatDuration(TimeSpan.FromSeconds(snaps[^1].ElapsedSeconds))} of training recorded");
            var withLoss = snaps.Where(s => s.Loss is not null).ToList();
            if (withLoss.Count > 0)
                w.WriteLine($"Loss:         {Num(withLoss[0].Loss)} at step {withLoss[0].Step} → {Num(withLoss[^1].Loss)} at step {withLoss[^1].Step}" +
                            (withLoss[^1].Metrics.TryGetValue("accuracy", out var acc) ? $" (batch accuracy {acc.ToString("P1", CultureInfo.InvariantCulture)})" : ""));
        }
        long snapshotBytes = snaps.Sum(s => Math.Max(0, s.Bytes));
        w.WriteLine($"Files:        {CliTable.Bytes(run.TotalBytes())} in total; {snaps.Count} snapshot files {CliTable.Bytes(snapshotBytes)}" +
                    (snaps.Count > 0 ? $" ({CliTable.Bytes(snapshotBytes / snaps.Count)} each on average)" : ""));

        if (listSteps && snaps.Count > 0)
        {
            w.WriteLine();
            var table = new CliTable("step", "epoch", "loss", "lr", "accuracy", "size", "reason");
            foreach (var s in snaps)
                table.Add(s.Step.ToString(CultureInfo.InvariantCulture), s.Epoch.ToString(CultureInfo.InvariantCulture), Num(s.Loss), Num(s.LearningRate),
                    s.Metrics.TryGetValue("accuracy", out var acc) ? Num(acc) : "", CliTable.Bytes(s.Bytes), s.Reason);
            table.Write(w);
        }

        if (chosen is not null)
        {
            var snap = run.LoadSnapshot(chosen);
            w.WriteLine();
            w.WriteLine($"Step {snap.Step}: epoch {snap.Entry.Epoch}, loss {Num(snap.Entry.Loss)}, lr {Num(snap.Entry.LearningRate)}, {snap.Entry.File}");
            var table = new CliTable("tensor", "shape", "mean", "std", "min", "max", "grad norm");
            foreach (var (name, t) in snap.Parameters)
                AddStats(table, "param " + name, t, snap.GradientNorms.TryGetValue(name, out var gn) ? Num(gn) : "");
            foreach (var (name, t) in snap.Buffers) AddStats(table, "buffer " + name, t, "");
            foreach (var (name, t) in snap.Activations) AddStats(table, "act " + name, t, "");
            table.Write(w);
        }

        if (run.Warnings.Count > 0 || run.HasIncompleteIndexLine)
        {
            w.WriteLine();
            w.WriteLine($"Warnings ({run.Warnings.Count + (run.HasIncompleteIndexLine ? 1 : 0)}):");
            foreach (var warning in run.Warnings) w.WriteLine("  - " + warning);
            if (run.HasIncompleteIndexLine)
                w.WriteLine($"  - {Path.Combine(run.Folder, SnapshotFormat.IndexFileName)}: ends with an incomplete line (a snapshot being written, or the writer was interrupted); ignored.");
        }
        return 0;
    }

    private static void AddStats(CliTable table, string name, Tensor t, string gradNorm)
    {
        var v = t.ToArray();
        double mean = v.Length == 0 ? 0 : v.Average(x => (double)x);
        double std = v.Length == 0 ? 0 : Math.Sqrt(v.Average(x => (x - mean) * (x - mean)));
        table.Add(name, Shape(t.Shape), Num(mean), Num(std), Num(v.Length == 0 ? null : v.Min()), Num(v.Length == 0 ? null : v.Max()), gradNorm);
    }

    private static string Shape(IEnumerable<int> shape) => "[" + string.Join(",", shape) + "]";

    private static string PrecisionName(SnapshotPrecision p) => p == SnapshotPrecision.Float16 ? "float16" : "float32";

    private static string Num(double? v) => v is double d ? d.ToString("G4", CultureInfo.InvariantCulture) : "-";

    private static string Json(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : JsonSerializer.Serialize(e);
}
