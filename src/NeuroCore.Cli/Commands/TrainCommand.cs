using NeuroCore.NN;
using System.CommandLine;
using System.Globalization;
using NeuroCore.Snapshots;
using NeuroCore.Training;

namespace NeuroCore.Cli.Commands;

/// <summary>
/// <c>neurocore train</c>: trains a multi-layer perceptron on a built-in dataset and records the run
/// (snapshots of weights, gradients and activations) for <c>inspect</c>, glTF export and video rendering.
/// </summary>
internal static class TrainCommand
{
    /// <summary>The options of one <c>train</c> command (each command tree gets its own: a System.CommandLine symbol has one parent).</summary>
    private sealed class Options
    {
        internal readonly Option<string?> Dataset = CliOptions.Choice("--dataset", "NAME", "spiral, moons, circles, xor, blobs, iris, wine, digits or fashion-mnist (default spiral).", [.. TrainingSpec.DatasetNames]);
        internal readonly Option<int?> Samples = CliOptions.Int("--samples", "N", $"Examples to use (toy sets: generated count, default 300; digits/fashion-mnist: first N, default all; at most {TrainingSpec.MaxSamples:N0}).", 1, TrainingSpec.MaxSamples);
        internal readonly Option<double?> Noise = CliOptions.Number("--noise", "X", "Noise of the toy 2-D datasets (default: the dataset's own).", 0, 100);
        internal readonly Option<string?> DataDir = CliOptions.Text("--data-dir", "DIR", "Folder with the scikit-learn CSV files (iris, wine, digits) or Fashion-MNIST IDX files (default: the Debian packages').");
        internal readonly Option<LayerSpec[]?> Layers = LayersOption();
        internal readonly Option<ActivationFunction?> Activation = CliOptions.Activation("--activation", "NAME",
            $"{string.Join(", ", TrainingSpec.ActivationNames)} (default {new TrainingSpec().Activation.Name()}; leaky-relu also works).", TrainingSpec.HiddenActivations);
        internal readonly Option<string?> Optimizer = CliOptions.Choice("--optimizer", "NAME", "sgd, adam or adamw (default adam).", [.. TrainingSpec.OptimizerNames]);
        internal readonly Option<double?> LearningRate = CliOptions.Number("--lr", "X", "Learning rate (default 0.01; 0.1 for sgd).", 0, 1e6, minExclusive: true, "--learning-rate");
        internal readonly Option<double?> Momentum = CliOptions.Number("--momentum", "X", "SGD momentum (default 0.9).", 0, 1);
        internal readonly Option<double?> WeightDecay = CliOptions.Number("--weight-decay", "X", "Weight decay (default 0; 0.01 for adamw).", 0, 1e6);
        internal readonly Option<int?> Epochs = CliOptions.Int("--epochs", "N", "Passes over the data (default 100 for toy sets, 20 for digits, 2 for fashion-mnist).", 1, TrainingSpec.MaxEpochs);
        internal readonly Option<int?> BatchSize = CliOptions.Int("--batch-size", "N", "Mini-batch size (default 32).", 1, TrainingSpec.MaxBatchSize);
        internal readonly Option<int?> Seed = CliOptions.Int("--seed", "N", "Seed for data, initial weights and shuffling (default 0).");
        internal readonly Option<int?> SnapshotEvery = CliOptions.Int("--snapshot-every", "N", "Snapshot every N optimizer steps.", 1);
        internal readonly Option<string?> SnapshotSchedule = CliOptions.Text("--snapshot-schedule", "SPEC", "dense-early[:K[:GROWTH]], every:N, on-demand or steps:A,B,C (default dense-early).");
        internal readonly Option<string?> Gradients = CliOptions.Choice("--gradients", "MODE", "Gradients to store: none, norms or full (default norms).", [.. TrainingSpec.GradientModes]);
        internal readonly Option<bool> Float16 = CliOptions.Flag("--float16", "Store weights and activations as float16 (half the size).");
        internal readonly Option<int?> Probe = CliOptions.Int("--probe", "N", "Probe inputs whose activations every snapshot records (default 16).", 1, TrainingSpec.MaxProbe);
        internal readonly Option<double?> Validation = CliOptions.Number("--validation", "FRACTION", "Held out and evaluated after every epoch: 0 to 0.9 (default 0.2 for iris, wine and digits, a seeded split; 0 for the toy sets; fashion-mnist uses its test set unless 0).", 0, 0.9);
        internal readonly Option<string?> Output = CliOptions.Text("--output", "DIR", "Run folder to write (default runs/<dataset>-<time>).", "-o");
        internal readonly Option<bool> Force = CliOptions.Flag("--force", "Replace a run already in the output folder (only the files a run writes are removed).");
        internal readonly Option<string?> Spec = CliOptions.Text("--spec", "FILE", "Read settings from a JSON file (same fields in camelCase; options given here win).");

        /// <summary>Field of <see cref="TrainingSpec"/> → the option that sets it, so errors name what the user typed.</summary>
        internal Dictionary<string, Option> OptionOf => new()
            {
            ["dataset"] = Dataset, ["samples"] = Samples, ["noise"] = Noise, ["dataDir"] = DataDir, ["layers"] = Layers,
            ["activation"] = Activation, ["optimizer"] = Optimizer, ["learningRate"] = LearningRate, ["momentum"] = Momentum,
            ["weightDecay"] = WeightDecay, ["epochs"] = Epochs, ["batchSize"] = BatchSize, ["seed"] = Seed,
            ["snapshotEvery"] = SnapshotEvery, ["snapshotSchedule"] = SnapshotSchedule, ["gradients"] = Gradients,
            ["float16"] = Float16, ["probe"] = Probe, ["validation"] = Validation, ["output"] = Output,
        };
    }

    private static Option<LayerSpec[]?> LayersOption()
    {
        var option = new Option<LayerSpec[]?>("--layers")
        {
            Description = "Hidden layers, comma-separated: sizes (default 16,16; 'none' for a linear model), and on digits/fashion-mnist also convN kK and poolN (e.g. conv16k3,pool2,dense64).",
            HelpName = "LAYERS",
        };
        option.CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
            if (LayerSpec.TryParseList(text, out var layers)) return layers;
            r.AddError($"--layers expects comma-separated layers such as 16,16 or conv16k3,pool2,dense64, got '{text}'");
            return null;
        };
        return option;
    }

    /// <summary>The <c>train</c> command.</summary>
    internal static Command Create()
    {
        var o = new Options();
        var command = new Command("train", "Train a network on a built-in dataset and record its training run (snapshots).")
        {
            o.Dataset, o.Samples, o.Noise, o.DataDir, o.Layers, o.Activation, o.Optimizer, o.LearningRate, o.Momentum, o.WeightDecay, o.Epochs,
            o.BatchSize, o.Seed, o.SnapshotEvery, o.SnapshotSchedule, o.Gradients, o.Float16, o.Probe, o.Validation, o.Output, o.Force, o.Spec,
        };
        command.SetDetails(
            """
            Examples:
              neurocore train --dataset spiral --layers 16,16 --activation tanh --epochs 200 -o runs/spiral
              neurocore train --dataset digits --layers 32 --optimizer sgd --lr 0.05 --snapshot-every 50
              neurocore train --spec spiral.json --seed 3
              neurocore train --dataset fashion-mnist --layers conv16k3,pool2,conv32k3,pool2,dense64 --epochs 1 -o runs/fashion-cnn

            Spec file (every field optional):
              { "dataset": "moons", "layers": [16, 16], "activation": "tanh", "optimizer": "adam",
                "learningRate": 0.01, "epochs": 100, "batchSize": 32, "seed": 0,
                "snapshotSchedule": "dense-early", "gradients": "norms", "float16": false, "probe": 16,
                "output": "runs/moons" }

            The network is Linear → activation for each dense size (Conv2d with same padding → activation for
            convK kN, MaxPool2d for poolN, then Flatten), then Linear to the classes, trained with cross entropy. Step 0 (the initial weights) and the last step are always recorded.
            Ctrl+C stops after the current step and still records the last snapshot.
            """);
        command.SetAction(parseResult =>
        {
            var context = CliContext.For(parseResult);
            var spec = ReadSpec(parseResult, o);
            string output = spec.Output ?? Path.Combine("runs", $"{spec.Dataset}-{DateTime.Now:yyyyMMdd-HHmmss}");
            var run = Run(context, spec with { Output = output }, parseResult.GetValue(o.Force));
            context.Out.WriteLine($"Inspect it with: {Invocation.Command("inspect", output)}");
            return run.ExitCode;
        });
        return command;
    }

    /// <summary>The spec: the file's (if any), then every option the user typed; validated, errors naming the option or the file's field.</summary>
    private static TrainingSpec ReadSpec(ParseResult p, Options o)
    {
        string? file = p.GetValue(o.Spec);
        TrainingSpec spec;
        try { spec = file is null ? new TrainingSpec() : TrainingSpec.Load(file); }
        catch (TrainingSpecException e) when (e.Field is not null) { throw new CliUsageException(e.Message); }
        catch (TrainingSpecException e) { throw new CliException(e.Message); }

        if (p.Given(o.SnapshotEvery) && p.Given(o.SnapshotSchedule))
            throw new CliUsageException("--snapshot-every and --snapshot-schedule cannot be used together");
        // A schedule given here replaces the file's, whichever way the file spelled it.
        if (p.Given(o.SnapshotEvery)) spec = spec with { SnapshotEvery = p.GetValue(o.SnapshotEvery), SnapshotSchedule = null };
        if (p.Given(o.SnapshotSchedule)) spec = spec with { SnapshotSchedule = p.GetValue(o.SnapshotSchedule), SnapshotEvery = null };
        if (p.Given(o.Dataset)) spec = spec with { Dataset = p.GetValue(o.Dataset)! };
        if (p.Given(o.Samples)) spec = spec with { Samples = p.GetValue(o.Samples) };
        if (p.Given(o.Noise)) spec = spec with { Noise = p.GetValue(o.Noise) };
        if (p.Given(o.DataDir)) spec = spec with { DataDir = p.GetValue(o.DataDir) };
        if (p.Given(o.Layers)) spec = spec with { Layers = p.GetValue(o.Layers)! };
        if (p.Given(o.Activation)) spec = spec with { Activation = p.GetValue(o.Activation)!.Value };
        if (p.Given(o.Optimizer)) spec = spec with { Optimizer = p.GetValue(o.Optimizer)! };
        if (p.Given(o.LearningRate)) spec = spec with { LearningRate = p.GetValue(o.LearningRate) };
        if (p.Given(o.Momentum)) spec = spec with { Momentum = p.GetValue(o.Momentum)!.Value };
        if (p.Given(o.WeightDecay)) spec = spec with { WeightDecay = p.GetValue(o.WeightDecay) };
        if (p.Given(o.Epochs)) spec = spec with { Epochs = p.GetValue(o.Epochs) };
        if (p.Given(o.BatchSize)) spec = spec with { BatchSize = p.GetValue(o.BatchSize)!.Value };
        if (p.Given(o.Seed)) spec = spec with { Seed = p.GetValue(o.Seed)!.Value };
        if (p.Given(o.Gradients)) spec = spec with { Gradients = p.GetValue(o.Gradients)! };
        if (p.Given(o.Float16)) spec = spec with { Float16 = true };
        if (p.Given(o.Probe)) spec = spec with { Probe = p.GetValue(o.Probe)!.Value };
        if (p.Given(o.Validation)) spec = spec with { Validation = p.GetValue(o.Validation) };
        if (p.Given(o.Output)) spec = spec with { Output = p.GetValue(o.Output) };

        try { return spec.Validate(); }
        catch (TrainingSpecException e)
        {
            string where = e.Field is not null && o.OptionOf.TryGetValue(e.Field, out var option) && p.Given(option)
                ? option.Name
                : e.Field is null ? "" : $"\"{e.Field}\"" + (file is null ? "" : $" in {Path.GetFileName(file)}");
            throw new CliUsageException(where.Length == 0 ? e.Problem : char.IsUpper(e.Problem[0]) ? $"{where}: {e.Problem}" : $"{where} {e.Problem}");
        }
    }

    /// <summary>What <see cref="Run"/> wrote.</summary>
    internal sealed record Result(int ExitCode, TrainingRun Run, TrainingHistory History);

    /// <summary>
    /// Trains <paramref name="spec"/> into <c>spec.Output</c> with a progress bar on stderr, prints where the run
    /// went and warns when the loss diverged. Shared by <c>train</c> and <c>demo</c>.
    /// </summary>
    internal static Result Run(CliContext context, TrainingSpec spec, bool force)
    {
        string output = spec.Output ?? throw new ArgumentException("spec.Output is required here");
        if (File.Exists(output)) throw new CliException($"{output} is a file; --output needs a folder for the run");
        if (File.Exists(Path.Combine(output, SnapshotFormat.ManifestFileName)) && !force)
            throw new CliException($"{output} already holds a training run; choose another -o/--output or add --force to replace it");

        // Settings are all valid here: only now load the data.
        var session = TrainingSession.Create(spec);
        var recorder = new SnapshotRecorder(output, session.RecorderOptions(overwrite: force));
        string heldOut = session.HeldOut is { } h ? $", {h.Count} held out" : "";
        context.Error.WriteLine($"Training {session.Describe()} on {spec.Dataset} ({session.Data.Count} examples{heldOut}, {session.Dataset.Classes} classes) " +
                                $"with {spec.Optimizer} lr={spec.EffectiveLearningRate.ToString(CultureInfo.InvariantCulture)}, {spec.EffectiveEpochs} epochs of {session.Loader.BatchCount} steps; recording to {recorder.Folder}");
        var history = context.WithProgress(session.TotalSteps, "train", bar => session.Train(recorder, new ProgressCallback(context, bar)));

        var last = history.Last;
        string result = last is { } e
            ? $"final epoch loss {e.Loss.ToString("G4", CultureInfo.InvariantCulture)}" + (e.Accuracy is float acc ? $", accuracy {acc.ToString("P1", CultureInfo.InvariantCulture)}" : "")
              + (e.ValidationLoss is float vl ? $"; held-out loss {vl.ToString("G4", CultureInfo.InvariantCulture)}" : "")
              + (e.ValidationAccuracy is float va ? $", held-out accuracy {va.ToString("P1", CultureInfo.InvariantCulture)}" : "")
            : "no epoch completed";
        if (session.HeldOut is not null)
            foreach (var epoch in history.Epochs) context.Out.WriteLine(EpochLine(epoch, spec.EffectiveEpochs));
        if (history.Stopped) context.Error.WriteLine("Stopped early (Ctrl+C); the run ends at the last recorded step.");
        if (Divergence(history) is { } warning) context.Error.WriteLine($"warning: {warning}");
        context.Out.WriteLine($"Run written to {recorder.Folder} ({recorder.Written.Count} snapshots, steps {recorder.Written[0].Step}–{recorder.Written[^1].Step}; {result}).");
        int code = history.Stopped && context.Cancellation.IsCancellationRequested ? 130 : 0;
        return new Result(code, TrainingRun.Open(recorder.Folder), history);
    }

    /// <summary>One epoch's figures: <c>epoch 3/20  loss 0.1234  acc 96.1%  held-out loss 0.1021  acc 97.2%</c>.</summary>
    internal static string EpochLine(EpochMetrics e, int epochs)
    {
        var c = CultureInfo.InvariantCulture;
        string line = $"epoch {e.Epoch + 1}/{epochs}  loss {e.Loss.ToString("F4", c)}";
        if (e.Accuracy is float a) line += $"  acc {(a * 100).ToString("F1", c)}%";
        if (e.ValidationLoss is float vl) line += $"  held-out loss {vl.ToString("F4", c)}";
        if (e.ValidationAccuracy is float va) line += $"  acc {(va * 100).ToString("F1", c)}%";
        return line;
    }

    /// <summary>A warning when the loss became non-finite or ended well above where it started; null when training looks sane.</summary>
    internal static string? Divergence(TrainingHistory history)
    {
        var steps = history.Steps;
        if (steps.Count == 0) return null;
        int firstBad = -1;
        for (int i = 0; i < steps.Count; i++)
            if (!float.IsFinite(steps[i].Loss)) { firstBad = i; break; }
        if (firstBad >= 0)
            return $"training diverged: the loss became {steps[firstBad].Loss.ToString(CultureInfo.InvariantCulture)} at step {steps[firstBad].Step}; try a smaller --lr.";
        // The first step's loss is the untrained network's (about ln(classes)); a sane run ends well below it.
        int window = Math.Max(1, Math.Min(10, steps.Count / 10));
        double start = steps[0].Loss, end = steps.TakeLast(window).Average(s => s.Loss);
        return end > 2 * start && end - start > 0.1
            ? $"training diverged: the loss rose from {start.ToString("G4", CultureInfo.InvariantCulture)} to {end.ToString("G4", CultureInfo.InvariantCulture)}; try a smaller --lr."
            : null;
    }

    /// <summary>Drives the progress bar and turns Ctrl+C into a clean stop.</summary>
    private sealed class ProgressCallback(CliContext context, CliProgress bar) : ITrainingCallback
    {
        private int _epochs;

        private string _heldOut = "";

        public void OnTrainBegin(TrainingContext c) => _epochs = c.Epochs;

        public void OnEpochEnd(TrainingContext c, EpochMetrics e)
        {
            if (e.ValidationAccuracy is float va) _heldOut = $" held-out {va.ToString("P1", CultureInfo.InvariantCulture)}";
        }

        public void OnStepEnd(TrainingContext c, StepMetrics step)
        {
            string acc = step.Accuracy is float a ? $" acc {a.ToString("P0", CultureInfo.InvariantCulture)}" : "";
            bar.Report(step.Step, $"epoch {step.Epoch + 1}/{_epochs} loss {step.Loss.ToString("F4", CultureInfo.InvariantCulture)}{acc}{_heldOut}");
            if (context.Cancellation.IsCancellationRequested) c.StopRequested = true;
        }
    }
}
