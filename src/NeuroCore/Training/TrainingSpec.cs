using System.Globalization;
using System.Text.Json;
using NeuroCore.NN;
using NeuroCore.Snapshots;

namespace NeuroCore.Training;

/// <summary>
/// Everything that defines a recorded training run of a built-in dataset: data, network, optimizer, schedule
/// and output. <c>neurocore train</c>, <c>neurocore demo</c>, tests and the playground all describe a run with
/// this record and run it with <see cref="TrainingSession"/>; a JSON spec file holds the same fields in camelCase
/// (<see cref="Load"/>). Null means "the default", which may depend on other fields (see each property).
/// </summary>
public sealed record TrainingSpec
{
    /// <summary>Built-in dataset names: seeded 2-D toy sets, scikit-learn's iris and wine (standardized features), then the image sets (scikit-learn digits 8×8, Fashion-MNIST 28×28).</summary>
    public static IReadOnlyList<string> DatasetNames { get; } = ["spiral", "moons", "circles", "xor", "blobs", "iris", "wine", "digits", "fashion-mnist"];

    /// <summary>The activations a spec may put after each hidden layer (<see cref="Activation"/>); names and modules come from <see cref="ActivationFunctions"/>.</summary>
    public static IReadOnlyList<ActivationFunction> HiddenActivations { get; } =
        [ActivationFunction.Relu, ActivationFunction.Tanh, ActivationFunction.Sigmoid, ActivationFunction.Gelu, ActivationFunction.LeakyRelu];

    /// <summary>The names of <see cref="HiddenActivations"/> (snake case, as <see cref="ActivationFunctions.Name"/> spells them).</summary>
    public static IReadOnlyList<string> ActivationNames { get; } = [.. HiddenActivations.Select(f => f.Name())];

    /// <summary>Optimizer names (<see cref="Optimizer"/>).</summary>
    public static IReadOnlyList<string> OptimizerNames { get; } = ["sgd", "adam", "adamw"];

    /// <summary>Gradient recording modes (<see cref="Gradients"/>).</summary>
    public static IReadOnlyList<string> GradientModes { get; } = ["none", "norms", "full"];

    /// <summary>Most examples (<see cref="Samples"/>).</summary>
    public const int MaxSamples = 1_000_000;

    /// <summary>Largest mini-batch (<see cref="BatchSize"/>).</summary>
    public const int MaxBatchSize = 1 << 20;

    /// <summary>Most epochs (<see cref="Epochs"/>).</summary>
    public const int MaxEpochs = 1_000_000;

    /// <summary>Widest hidden layer (<see cref="Layers"/>).</summary>
    public const int MaxLayerSize = 65_536;

    /// <summary>
    /// Most parameters of the whole network: every snapshot stores every parameter, and one tensor of a
    /// snapshot file must stay under 2 GiB.
    /// </summary>
    public const long MaxParameters = 100_000_000;

    /// <summary>Most probe inputs (<see cref="Probe"/>).</summary>
    public const int MaxProbe = 4096;

    /// <summary>The dataset (one of <see cref="DatasetNames"/>; default <c>spiral</c>).</summary>
    public string Dataset { get; init; } = "spiral";

    /// <summary>Toy sets: examples generated (default 300); the other sets: use the first N (default all).</summary>
    public int? Samples { get; init; }

    /// <summary>Noise of the toy sets (<c>blobs</c>: the cluster standard deviation); default the dataset's own.</summary>
    public double? Noise { get; init; }

    /// <summary>Folder with the scikit-learn CSV files (iris, wine, digits) or the Fashion-MNIST IDX files (default: the Debian package's folder).</summary>
    public string? DataDir { get; init; }

    /// <summary>
    /// Hidden layers (default 16, 16; empty for a linear model): dense sizes, and on the image datasets also
    /// convolutions and pooling (<c>conv16k3,pool2,dense64</c>, see <see cref="LayerSpec"/>).
    /// </summary>
    public IReadOnlyList<LayerSpec> Layers { get; init; } = [16, 16];

    /// <summary>Activation after each hidden layer (one of <see cref="HiddenActivations"/>; default <see cref="ActivationFunction.Relu"/>).</summary>
    public ActivationFunction Activation { get; init; } = ActivationFunction.Relu;

    /// <summary>Optimizer (one of <see cref="OptimizerNames"/>; default <c>adam</c>).</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>Learning rate (default 0.01; 0.1 for sgd).</summary>
    public double? LearningRate { get; init; }

    /// <summary>SGD momentum (default 0.9).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Weight decay (default 0; 0.01 for adamw, where it is decoupled).</summary>
    public double? WeightDecay { get; init; }

    /// <summary>Passes over the data (default 100 for toy sets, 20 for digits, 2 for fashion-mnist).</summary>
    public int? Epochs { get; init; }

    /// <summary>Mini-batch size (default 32); the data is reshuffled each epoch.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Seeds the data, the initial weights, the shuffling and the probe choice (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Snapshot every N optimizer steps; excludes <see cref="SnapshotSchedule"/>.</summary>
    public int? SnapshotEvery { get; init; }

    /// <summary>Snapshot schedule text (<see cref="Snapshots.SnapshotSchedule.Parse"/>; default <c>dense-early</c>).</summary>
    public string? SnapshotSchedule { get; init; }

    /// <summary>Gradients to store: <c>none</c>, <c>norms</c> (default) or <c>full</c>.</summary>
    public string Gradients { get; init; } = "norms";

    /// <summary>Store weights and activations as float16 (half the size, about 3 significant digits).</summary>
    public bool Float16 { get; init; }

    /// <summary>Probe inputs (cycling through the classes) whose activations every snapshot records (default 16).</summary>
    public int Probe { get; init; } = 16;

    /// <summary>
    /// Held-out fraction of the examples (0 to 0.9): iris, wine and digits default to a seeded 0.2 split; the toy
    /// sets default to none; Fashion-MNIST uses its own 10,000-image test set (any fraction above 0; 0 turns
    /// evaluation off). The held-out loss and accuracy are measured after every epoch and recorded in the run.
    /// </summary>
    public double? Validation { get; init; }

    /// <summary>The run folder (null: the caller chooses, e.g. <c>runs/&lt;dataset&gt;-&lt;time&gt;</c>).</summary>
    public string? Output { get; init; }

    /// <summary>True for the generated 2-D sets.</summary>
    public bool IsToyDataset => Dataset is "spiral" or "moons" or "circles" or "xor" or "blobs";

    /// <summary>True when a layer is a convolution or pooling: the inputs then keep their image shape.</summary>
    public bool IsConvolutional => Layers.Any(l => l.Kind != LayerKind.Dense);

    /// <summary>The learning rate used: <see cref="LearningRate"/> or the optimizer's default.</summary>
    public double EffectiveLearningRate => LearningRate ?? (Optimizer == "sgd" ? 0.1 : 0.01);

    /// <summary>The weight decay used.</summary>
    public double EffectiveWeightDecay => WeightDecay ?? (Optimizer == "adamw" ? 0.01 : 0);

    /// <summary>The epochs used.</summary>
    public int EffectiveEpochs => Epochs ?? Dataset switch { "digits" => 20, "fashion-mnist" => 2, _ => 100 };

    /// <summary>The held-out fraction used (see <see cref="Validation"/>).</summary>
    public double EffectiveValidation => Validation ?? (IsToyDataset ? 0 : 0.2);

    /// <summary>The snapshot schedule used.</summary>
    public SnapshotSchedule EffectiveSchedule => SnapshotEvery is int n
        ? Snapshots.SnapshotSchedule.Every(n)
        : Snapshots.SnapshotSchedule.Parse(SnapshotSchedule ?? "dense-early");

    /// <summary>Input features and classes of a built-in dataset, known without loading it.</summary>
    public static (int Inputs, int Classes) Shape(string dataset) => dataset switch
    {
        "spiral" or "blobs" => (2, 3),
        "moons" or "circles" or "xor" => (2, 2),
        "iris" => (4, 3),
        "wine" => (13, 3),
        "digits" => (64, 10),
        "fashion-mnist" => (784, 10),
        _ => throw new TrainingSpecException("dataset", $"expects one of {string.Join(", ", DatasetNames)}, got '{dataset}'"),
    };

    /// <summary>The image shape [channels, height, width] of an image dataset, or null.</summary>
    public static int[]? ImageShape(string dataset) => dataset switch
    {
        "digits" => [1, 8, 8],
        "fashion-mnist" => [1, 28, 28],
        _ => null,
    };

    /// <summary>Parameters of the network this spec builds (weights and biases of every Linear and Conv2d).</summary>
    public long ParameterCount()
    {
        var (inputs, classes) = Shape(Dataset);
        long total = 0;
        if (IsConvolutional && ImageShape(Dataset) is [int c, int h, int w])
        {
            bool flat = false;
            long features = 0;
            foreach (var l in Layers)
            {
                switch (l.Kind)
                {
                    case LayerKind.Conv:
                        total += (long)l.Size * c * l.Kernel * l.Kernel + l.Size;
                        c = l.Size;
                        break;
                    case LayerKind.Pool:
                        h /= l.Size;
                        w /= l.Size;
                        break;
                    default:
                        if (!flat) { features = (long)c * h * w; flat = true; }
                        total += features * l.Size + l.Size;
                        features = l.Size;
                        break;
                }
            }
            if (!flat) features = (long)c * h * w;
            return total + features * classes + classes;
        }
        long previous = inputs;
        foreach (var l in Layers)
        {
            total += previous * l.Size + l.Size;
            previous = l.Size;
        }
        return total + previous * classes + classes;
    }

    /// <summary>Checks every field and their combinations.</summary>
    /// <exception cref="TrainingSpecException">A field is out of range; <see cref="TrainingSpecException.Field"/> names it.</exception>
    public TrainingSpec Validate()
    {
        Choice("dataset", Dataset, DatasetNames);
        if (!HiddenActivations.Contains(Activation))
            throw new TrainingSpecException("activation", $"expects one of {string.Join(", ", ActivationNames)}, got '{(Enum.IsDefined(Activation) ? Activation.Name() : Activation.ToString())}'");
        Choice("optimizer", Optimizer, OptimizerNames);
        Choice("gradients", Gradients, GradientModes);
        if (Samples is int s) Whole("samples", s, IsToyDataset ? 4 : 1, MaxSamples);
        if (Noise is double noise)
        {
            if (!IsToyDataset) throw new TrainingSpecException("noise", $"only applies to the toy 2-D datasets, not {Dataset}");
            Real("noise", noise, 0, 100);
        }
        if (DataDir is not null && IsToyDataset) throw new TrainingSpecException("dataDir", $"only applies to iris, wine, digits and fashion-mnist, not {Dataset}");
        // A file where the folder is expected would otherwise read as "digits.csv.gz was not found in <file>".
        if (DataDir is not null && File.Exists(DataDir)) throw new TrainingSpecException("dataDir", $"names a file ({DataDir}), not a folder; give the folder holding the dataset files");
        ValidateLayers();
        long parameters = ParameterCount();
        if (parameters > MaxParameters)
        {
            var (inputs, classes) = Shape(Dataset);
            throw new TrainingSpecException("layers", string.Create(CultureInfo.InvariantCulture,
                $"{LayerSpec.Format(Layers)} gives a network of {parameters:N0} parameters on {Dataset} ({inputs} inputs, {classes} classes); at most {MaxParameters:N0} are supported (every snapshot stores every parameter)"));
        }
        if (LearningRate is double lr && !(double.IsFinite(lr) && lr > 0 && lr <= 1e6)) throw new TrainingSpecException("learningRate", $"expects a number > 0 and ≤ 1,000,000, got {Fmt(lr)}");
        Real("momentum", Momentum, 0, 1);
        if (WeightDecay is double wd) Real("weightDecay", wd, 0, 1e6);
        if (Epochs is int e) Whole("epochs", e, 1, MaxEpochs);
        Whole("batchSize", BatchSize, 1, MaxBatchSize);
        Whole("probe", Probe, 1, MaxProbe);
        if (Validation is double v) Real("validation", v, 0, 0.9);
        if (SnapshotEvery is int every)
        {
            Whole("snapshotEvery", every, 1, int.MaxValue);
            if (SnapshotSchedule is not null) throw new TrainingSpecException("snapshotEvery", "and snapshotSchedule cannot be used together");
        }
        if (SnapshotSchedule is { } schedule)
        {
            try { Snapshots.SnapshotSchedule.Parse(schedule); }
            catch (FormatException ex) { throw new TrainingSpecException("snapshotSchedule", ex.Message); }
        }
        return this;
    }

    private void ValidateLayers()
    {
        string text = LayerSpec.Format(Layers);
        var image = ImageShape(Dataset);
        if (IsConvolutional && image is null)
            throw new TrainingSpecException("layers", $"{text}: convolution and pooling need an image dataset (digits or fashion-mnist), not {Dataset}");
        int h = image?[1] ?? 0, w = image?[2] ?? 0;
        bool dense = false;
        foreach (var l in Layers)
        {
            switch (l.Kind)
            {
                case LayerKind.Dense when l.Size < 1 || l.Size > MaxLayerSize:
                    throw new TrainingSpecException("layers", $"{text}: dense sizes must be between 1 and {MaxLayerSize:N0}, got {l.Size}");
                case LayerKind.Dense:
                    dense = true;
                    break;
                case LayerKind.Conv or LayerKind.Pool when dense:
                    throw new TrainingSpecException("layers", $"{text}: {l} comes after a dense layer; convolutions and pooling come first");
                case LayerKind.Conv when l.Size < 1 || l.Size > LayerSpec.MaxChannels:
                    throw new TrainingSpecException("layers", $"{text}: {l} needs 1 to {LayerSpec.MaxChannels:N0} channels");
                case LayerKind.Conv when l.Kernel < 1 || l.Kernel > LayerSpec.MaxKernel || l.Kernel % 2 == 0:
                    throw new TrainingSpecException("layers", $"{text}: {l} needs an odd kernel between 1 and {LayerSpec.MaxKernel} (the image keeps its size)");
                case LayerKind.Pool when l.Size < 2 || h / l.Size < 1 || w / l.Size < 1:
                    throw new TrainingSpecException("layers", $"{text}: {l} needs a window between 2 and the image's size ({h}×{w} at that point)");
                case LayerKind.Pool:
                    h /= l.Size;
                    w /= l.Size;
                    break;
            }
        }
    }

    /// <summary>Reads a JSON spec file (camelCase fields, all optional; comments and trailing commas allowed; unknown fields are an error).</summary>
    /// <exception cref="TrainingSpecException">The file is missing, not JSON, or a field is unknown or of the wrong type; the message names the file and the field.</exception>
    public static TrainingSpec Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { throw new TrainingSpecException(null, $"{path}: spec file not found"); }
        catch (UnauthorizedAccessException) when (Directory.Exists(path)) { throw new TrainingSpecException(null, $"{path}: is a folder, not a spec file"); }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new TrainingSpecException(null, $"{path}: the spec file is not valid JSON ({e.Message})"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new TrainingSpecException(null, $"{path}: the spec must be a JSON object");
            var spec = new TrainingSpec();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Null) continue;
                string field = p.Name;
                TrainingSpecException Wrong(string expected) => new(field, $"{path}: \"{field}\" expects {expected}, got {p.Value.GetRawText()}");
                string Str() => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw Wrong("a string");
                int Int() => p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out int v) ? v : throw Wrong("a whole number");
                double Dbl() => p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : throw Wrong("a number");
                spec = field switch
                {
                    "dataset" => spec with { Dataset = Str() },
                    "samples" => spec with { Samples = Int() },
                    "noise" => spec with { Noise = Dbl() },
                    "dataDir" => spec with { DataDir = Str() },
                    "layers" => spec with { Layers = ParseLayers(p.Value, Wrong) },
                    "activation" => spec with { Activation = ActivationFunctions.TryParse(Str(), out var f) ? f : throw Wrong($"one of {string.Join(", ", ActivationNames)}") },
                    "optimizer" => spec with { Optimizer = Str() },
                    "learningRate" => spec with { LearningRate = Dbl() },
                    "momentum" => spec with { Momentum = Dbl() },
                    "weightDecay" => spec with { WeightDecay = Dbl() },
                    "epochs" => spec with { Epochs = Int() },
                    "batchSize" => spec with { BatchSize = Int() },
                    "seed" => spec with { Seed = Int() },
                    "snapshotEvery" => spec with { SnapshotEvery = Int() },
                    "snapshotSchedule" => spec with { SnapshotSchedule = Str() },
                    "gradients" => spec with { Gradients = Str() },
                    "float16" => spec with { Float16 = p.Value.ValueKind is JsonValueKind.True or JsonValueKind.False ? p.Value.GetBoolean() : throw Wrong("true or false") },
                    "probe" => spec with { Probe = Int() },
                    "validation" => spec with { Validation = Dbl() },
                    "output" => spec with { Output = Str() },
                    _ => throw new TrainingSpecException(null, $"{path}: unknown field \"{field}\" (known: {string.Join(", ", FieldNames)})"),
                };
            }
            return spec;
        }
    }

    /// <summary>The JSON field names, in the order of the documentation.</summary>
    public static IReadOnlyList<string> FieldNames { get; } =
    [
        "dataset", "samples", "noise", "dataDir", "layers", "activation", "optimizer", "learningRate", "momentum",
        "weightDecay", "epochs", "batchSize", "seed", "snapshotEvery", "snapshotSchedule", "gradients", "float16", "probe", "validation", "output",
    ];

    private static LayerSpec[] ParseLayers(JsonElement value, Func<string, TrainingSpecException> wrong)
    {
        const string expected = "a list of layers such as [16, 16] or \"conv16k3,pool2,dense64\"";
        if (value.ValueKind == JsonValueKind.String)
            return LayerSpec.TryParseList(value.GetString()!, out var parsed) ? parsed : throw wrong(expected);
        if (value.ValueKind != JsonValueKind.Array) throw wrong(expected);
        return value.EnumerateArray().Select(x =>
            x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out int units) ? LayerSpec.Dense(units)
            : x.ValueKind == JsonValueKind.String && LayerSpec.TryParse(x.GetString()!, out var layer) ? layer
            : throw wrong(expected)).ToArray();
    }

    private static void Choice(string field, string value, IReadOnlyList<string> choices)
    {
        if (!choices.Contains(value)) throw new TrainingSpecException(field, $"expects one of {string.Join(", ", choices)}, got '{value}'");
    }

    private static void Whole(string field, int value, int min, int max)
    {
        if (value < min || value > max)
            throw new TrainingSpecException(field, string.Create(CultureInfo.InvariantCulture, $"expects a whole number between {min:N0} and {max:N0}, got {value}"));
    }

    private static void Real(string field, double value, double min, double max)
    {
        if (!(double.IsFinite(value) && value >= min && value <= max))
            throw new TrainingSpecException(field, $"expects a number between {Fmt(min)} and {Fmt(max)}, got {Fmt(value)}");
    }

    private static string Fmt(double d) => d.ToString("G", CultureInfo.InvariantCulture);
}

/// <summary>A <see cref="TrainingSpec"/> field that is wrong; <see cref="Field"/> names it (camelCase, as in a spec file).</summary>
public sealed class TrainingSpecException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="field">The field (null when the whole file is wrong).</param>
    /// <param name="problem">What is wrong, e.g. <c>expects a whole number between 1 and 1,048,576, got 0</c>.</param>
    public TrainingSpecException(string? field, string problem) : base(field is null || problem.Contains('"' + field + '"') ? problem : $"{field} {problem}")
    {
        Field = field;
        Problem = problem;
    }

    /// <summary>The wrong field, or null.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the field name.</summary>
    public string Problem { get; }
}
