using System.Globalization;
using System.Text.Json;
using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Snapshots;
using NeuroCore.Training;

namespace NeuroCore.Cli.Commands;

/// <summary>
/// <c>neurocore train</c>: trains a multi-layer perceptron on a built-in dataset and records the run
/// (snapshots of weights, gradients and activations) for <c>inspect</c>, glTF export and video rendering.
/// </summary>
public sealed class TrainCommand : CliCommand
{
    /// <summary>Dataset names accepted by <c>--dataset</c>.</summary>
    public static readonly string[] DatasetNames = ["spiral", "moons", "circles", "xor", "blobs", "digits", "fashion-mnist"];

    /// <summary>Activation names accepted by <c>--activation</c>.</summary>
    public static readonly string[] ActivationNames = ["relu", "tanh", "sigmoid", "gelu", "leaky-relu"];

    /// <summary>Optimizer names accepted by <c>--optimizer</c>.</summary>
    public static readonly string[] OptimizerNames = ["sgd", "adam", "adamw"];

    // Spec-file field → option. The spec uses the same settings as the command line, in camelCase.
    private static readonly (string Field, string Option)[] SpecFields =
    [
        ("dataset", "--dataset"), ("samples", "--samples"), ("noise", "--noise"), ("dataDir", "--data-dir"),
        ("layers", "--layers"), ("activation", "--activation"), ("optimizer", "--optimizer"),
        ("learningRate", "--lr"), ("momentum", "--momentum"), ("weightDecay", "--weight-decay"),
        ("epochs", "--epochs"), ("batchSize", "--batch-size"), ("seed", "--seed"),
        ("snapshotEvery", "--snapshot-every"), ("snapshotSchedule", "--snapshot-schedule"),
        ("gradients", "--gradients"), ("float16", "--float16"), ("probe", "--probe"), ("output", "--output"),
    ];

    /// <inheritdoc />
    public override string Name => "train";

    /// <inheritdoc />
    public override string Summary => "Train a network on a built-in dataset and record its training run (snapshots).";

    /// <inheritdoc />
    public override IReadOnlyList<CliOption> Options =>
    [
        CliOption.Value("--dataset", "NAME", "spiral, moons, circles, xor, blobs, digits or fashion-mnist (default spiral)."),
        CliOption.Value("--samples", "N", "Examples to use (toy sets: generated count, default 300; digits/fashion-mnist: first N, default all)."),
        CliOption.Value("--noise", "X", "Noise of the toy 2-D datasets (default: the dataset's own)."),
        CliOption.Value("--data-dir", "DIR", "Folder with the digits CSV or Fashion-MNIST IDX files (default: the Debian package's)."),
        CliOption.Value("--layers", "SIZES", "Hidden layer sizes, comma-separated (default 16,16; 'none' for a linear model)."),
        CliOption.Value("--activation", "NAME", "relu, tanh, sigmoid, gelu or leaky-relu (default relu)."),
        CliOption.Value("--optimizer", "NAME", "sgd, adam or adamw (default adam)."),
        CliOption.Value("--lr", "X", "Learning rate (default 0.01; 0.1 for sgd).", alias: "--learning-rate"),
        CliOption.Value("--momentum", "X", "SGD momentum (default 0.9)."),
        CliOption.Value("--weight-decay", "X", "Weight decay (default 0; 0.01 for adamw)."),
        CliOption.Value("--epochs", "N", "Passes over the data (default 100 for toy sets, 20 for digits, 2 for fashion-mnist)."),
        CliOption.Value("--batch-size", "N", "Mini-batch size (default 32)."),
        CliOption.Value("--seed", "N", "Seed for data, initial weights and shuffling (default 0)."),
        CliOption.Value("--snapshot-every", "N", "Snapshot every N optimizer steps."),
        CliOption.Value("--snapshot-schedule", "SPEC", "dense-early[:K[:GROWTH]], every:N, on-demand or steps:A,B,C (default dense-early)."),
        CliOption.Value("--gradients", "MODE", "Gradients to store: none, norms or full (default norms)."),
        CliOption.Flag("--float16", "Store weights and activations as float16 (half the size)."),
        CliOption.Value("--probe", "N", "Probe inputs whose activations every snapshot records (default 16)."),
        CliOption.Value("--output", "DIR", "Run folder to write (default runs/<dataset>-<time>).", alias: "-o"),
        CliOption.Flag("--force", "Replace an existing run in the output folder."),
        CliOption.Value("--spec", "FILE", "Read settings from a JSON file (same fields in camelCase; options given here win)."),
    ];

    /// <inheritdoc />
    public override string Details =>
        """
        Examples:
          neurocore train --dataset spiral --layers 16,16 --activation tanh --epochs 200 -o runs/spiral
          neurocore train --dataset digits --layers 32 --optimizer sgd --lr 0.05 --snapshot-every 50
          neurocore train --spec spiral.json --seed 3

        Spec file (every field optional):
          { "dataset": "moons", "layers": [16, 16], "activation": "tanh", "optimizer": "adam",
            "learningRate": 0.01, "epochs": 100, "batchSize": 32, "seed": 0,
            "snapshotSchedule": "dense-early", "gradients": "norms", "float16": false, "probe": 16,
            "output": "runs/moons" }

        The network is an MLP: Linear → activation for each hidden size, then Linear to the classes,
        trained with cross entropy. Step 0 (the initial weights) and the last step are always recorded.
        Ctrl+C stops after the current step and still records the last snapshot.
        """;

    /// <inheritdoc />
    public override int Execute(CliContext context, CliArguments arguments)
    {
        if (arguments.GetString("--spec") is { } spec) ApplySpec(arguments, spec);
        arguments.ExclusiveOf("--snapshot-every", "--snapshot-schedule");

        string dataset = arguments.GetChoice("--dataset", "spiral", DatasetNames);
        int seed = arguments.GetInt("--seed", 0);
        var hidden = arguments.GetIntList("--layers", [16, 16]);
        string activation = arguments.GetChoice("--activation", "relu", ActivationNames);
        string optimizerName = arguments.GetChoice("--optimizer", "adam", OptimizerNames);
        double lr = arguments.GetDouble("--lr", optimizerName == "sgd" ? 0.1 : 0.01, 0, minExclusive: true);
        double momentum = arguments.GetDouble("--momentum", 0.9, 0, 1);
        double weightDecay = arguments.GetDouble("--weight-decay", optimizerName == "adamw" ? 0.01 : 0, 0);
        int epochs = arguments.GetInt("--epochs", dataset switch { "digits" => 20, "fashion-mnist" => 2, _ => 100 }, min: 1);
        int batchSize = arguments.GetInt("--batch-size", 32, min: 1);
        int probeCount = arguments.GetInt("--probe", 16, min: 1, max: 4096);
        var gradients = arguments.GetChoice("--gradients", "norms", "none", "norms", "full") switch
        {
            "none" => GradientRecording.None,
            "full" => GradientRecording.Full,
            _ => GradientRecording.Norms,
        };
        var schedule = arguments.Has("--snapshot-every")
            ? SnapshotSchedule.Every(arguments.GetInt("--snapshot-every", 1, min: 1))
            : ParseSchedule(arguments.GetString("--snapshot-schedule", "dense-early")!);
        bool half = arguments.Flag("--float16");
        string output = arguments.GetString("--output") ?? Path.Combine("runs", $"{dataset}-{DateTime.Now:yyyyMMdd-HHmmss}");

        if (File.Exists(Path.Combine(output, SnapshotFormat.ManifestFileName)) && !arguments.Flag("--force"))
            throw new CliException($"{output} already holds a training run; choose another --output or add --force to replace it");

        // Settings are all valid here: only now load the data.
        var (data, info) = LoadDataset(dataset, arguments, seed);
        int classes = info.Classes ?? throw new CliException($"dataset {dataset} has no classes");
        int inputs = info.InputShape.Aggregate(1, (a, b) => a * b);

        Generator.ManualSeed(seed); // the same seed gives the same initial weights
        var model = BuildModel(inputs, hidden, classes, activation);
        Optimizer optimizer = optimizerName switch
        {
            "sgd" => new SGD(model.Parameters(), (float)lr, momentum: (float)momentum, weightDecay: (float)weightDecay),
            "adamw" => new AdamW(model.Parameters(), (float)lr, weightDecay: (float)weightDecay),
            _ => new Adam(model.Parameters(), (float)lr, weightDecay: (float)weightDecay),
        };
        var loader = new DataLoader(data, batchSize, shuffle: true, seed: seed);

        var hyperParameters = new Dictionary<string, object?>
        {
            ["model"] = "mlp",
            ["hiddenLayers"] = hidden.ToArray(),
            ["activation"] = activation,
            ["loss"] = "cross_entropy",
            ["optimizer"] = optimizerName,
            ["learningRate"] = lr,
            ["weightDecay"] = weightDecay,
            ["epochs"] = epochs,
            ["batchSize"] = batchSize,
            ["seed"] = seed,
            ["snapshotSchedule"] = schedule.ToString(),
        };
        if (optimizerName == "sgd") hyperParameters["momentum"] = momentum;

        var recorder = new SnapshotRecorder(output, new SnapshotRecorderOptions
        {
            Schedule = schedule,
            Gradients = gradients,
            ParameterPrecision = half ? SnapshotPrecision.Float16 : SnapshotPrecision.Float32,
            ActivationPrecision = half ? SnapshotPrecision.Float16 : SnapshotPrecision.Float32,
            Probe = ProbeBatch.FromDataset(data, probeCount, seed),
            Dataset = info,
            Overwrite = arguments.Flag("--force"),
            HyperParameters = hyperParameters,
        });

        context.Error.WriteLine($"Training {Describe(model)} on {dataset} ({data.Count} examples, {classes} classes) " +
                                $"with {optimizerName} lr={lr.ToString(CultureInfo.InvariantCulture)}, {epochs} epochs of {loader.BatchCount} steps; recording to {recorder.Folder}");
        var progress = new ProgressCallback(context, context.CreateProgressBar((long)epochs * loader.BatchCount, "train"));
        var trainer = new Trainer(model, optimizer).With(recorder).With(progress);
        var history = trainer.Fit(loader, epochs);
        progress.Finish();

        var last = history.Last;
        string result = last is { } e
            ? $"final epoch loss {e.Loss.ToString("G4", CultureInfo.InvariantCulture)}" + (e.Accuracy is float acc ? $", accuracy {acc.ToString("P1", CultureInfo.InvariantCulture)}" : "")
            : "no epoch completed";
        if (history.Stopped) context.Error.WriteLine("Stopped early (Ctrl+C); the run ends at the last recorded step.");
        context.Out.WriteLine($"Run written to {recorder.Folder} ({recorder.Written.Count} snapshots, steps {recorder.Written[0].Step}–{recorder.Written[^1].Step}; {result}).");
        context.Out.WriteLine($"Inspect it with: neurocore inspect {Quote(output)}");
        return history.Stopped && context.Cancellation.IsCancellationRequested ? 130 : 0;
    }

    private static SnapshotSchedule ParseSchedule(string text)
    {
        try
        {
            return SnapshotSchedule.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CliUsageException($"--snapshot-schedule: {e.Message}");
        }
    }

    /// <summary>Feeds values of a spec file to <paramref name="arguments"/> (command-line values win).</summary>
    private static void ApplySpec(CliArguments arguments, string path)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException($"{path}: spec file not found");
        }
        catch (JsonException e)
        {
            throw new CliException($"{path}: the spec file is not valid JSON ({e.Message})");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new CliException($"{path}: the spec must be a JSON object");
            string name = Path.GetFileName(path);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                var field = SpecFields.FirstOrDefault(f => f.Field.Equals(p.Name, StringComparison.OrdinalIgnoreCase));
                if (field.Field is null)
                    throw new CliException($"{path}: unknown field \"{p.Name}\" (known: {string.Join(", ", SpecFields.Select(f => f.Field))})");
                string value = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString()!,
                    JsonValueKind.Array => string.Join(",", p.Value.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText())),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Null => "",
                    _ => p.Value.GetRawText(),
                };
                if (p.Value.ValueKind == JsonValueKind.Null) continue;
                arguments.AddDefault(field.Option, value, $"\"{p.Name}\" in {name}");
            }
        }
    }

    private static (TensorDataset Data, DatasetInfo Info) LoadDataset(string name, CliArguments arguments, int seed)
    {
        bool toy = name is not ("digits" or "fashion-mnist");
        int? samples = arguments.Has("--samples") ? arguments.GetInt("--samples", 0, min: toy ? 4 : 1) : null;
        var details = new Dictionary<string, JsonElement> { ["seed"] = JsonSerializer.SerializeToElement(seed) };
        if (toy)
        {
            int count = samples ?? 300;
            double? noise = arguments.Has("--noise") ? arguments.GetDouble("--noise", 0, 0) : null;
            if (noise is double n) details["noise"] = JsonSerializer.SerializeToElement(n);
            float Noise(float d) => noise is double v ? (float)v : d;
            var data = name switch
            {
                "spiral" => SyntheticData.Spiral(pointsPerClass: Math.Max(1, count / 3), classes: 3, noise: Noise(0.2f), seed: seed),
                "moons" => SyntheticData.Moons(count, Noise(0.1f), seed),
                "circles" => SyntheticData.Circles(count, Noise(0.05f), seed: seed),
                "xor" => SyntheticData.Xor(count, Noise(0.1f), seed),
                _ => SyntheticData.Blobs(count, centers: 3, std: noise is double s ? (float)s : 1f, seed: seed),
            };
            int classes = (int)data.Targets.ToLongArray().Max() + 1;
            return (data, new DatasetInfo { Name = name, Count = data.Count, InputShape = data.Inputs.Shape[1..], Classes = classes, Details = details });
        }
        if (arguments.Has("--noise")) throw new CliUsageException($"--noise only applies to the toy 2-D datasets, not {name}");
        string? dir = arguments.GetString("--data-dir");
        TensorDataset full;
        IReadOnlyList<string> classNames;
        if (name == "digits")
        {
            var digits = dir is null ? SklearnDatasets.LoadDigits() : SklearnDatasets.LoadDigits(dir);
            // Pixel intensities are 0..16; scale to [0, 1] so the default learning rates work.
            full = new TensorDataset(digits.Data.Inputs / 16f, digits.Data.Targets);
            classNames = digits.ClassNames;
        }
        else
        {
            var fashion = dir is null ? FashionMnist.Load(flat: true) : FashionMnist.Load(dir, flat: true);
            full = fashion.Train;
            classNames = fashion.ClassNames;
        }
        if (samples is int k && k < full.Count)
        {
            full = new TensorDataset(full.Inputs.Narrow(0, 0, k).Contiguous(), full.Targets.Narrow(0, 0, k).Contiguous());
            details["samples"] = JsonSerializer.SerializeToElement(k);
        }
        return (full, new DatasetInfo
        {
            Name = name, Count = full.Count, InputShape = full.Inputs.Shape[1..], Classes = classNames.Count, ClassNames = classNames, Details = details,
        });
    }

    private static Sequential BuildModel(int inputs, IReadOnlyList<int> hidden, int classes, string activation)
    {
        var model = new Sequential();
        int previous = inputs;
        foreach (int size in hidden)
        {
            model.Add(new Linear(previous, size));
            model.Add(activation switch
            {
                "tanh" => new Tanh(),
                "sigmoid" => new Sigmoid(),
                "gelu" => new GELU(),
                "leaky-relu" => new LeakyReLU(),
                _ => (Module)new ReLU(),
            });
            previous = size;
        }
        model.Add(new Linear(previous, classes));
        return model;
    }

    private static string Describe(Sequential model) =>
        "MLP " + string.Join("-", model.Layers.OfType<Linear>().Select(l => l.InFeatures).Append(model.Layers.OfType<Linear>().Last().OutFeatures));

    private static string Quote(string path) => path.Contains(' ') ? $"\"{path}\"" : path;

    /// <summary>Drives the progress bar and turns Ctrl+C into a clean stop.</summary>
    private sealed class ProgressCallback(CliContext context, ProgressBar bar) : ITrainingCallback
    {
        private int _epochs;

        public void OnTrainBegin(TrainingContext c) => _epochs = c.Epochs;

        public void OnStepEnd(TrainingContext c, StepMetrics step)
        {
            string acc = step.Accuracy is float a ? $" acc {a.ToString("P0", CultureInfo.InvariantCulture)}" : "";
            bar.Report(step.Step, $"epoch {step.Epoch + 1}/{_epochs} loss {step.Loss.ToString("F4", CultureInfo.InvariantCulture)}{acc}");
            if (context.Cancellation.IsCancellationRequested) c.StopRequested = true;
        }

        public void Finish() => bar.Finish();
    }
}
