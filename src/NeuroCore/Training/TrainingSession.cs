using System.Text.Json;
using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Snapshots;

namespace NeuroCore.Training;

/// <summary>
/// A <see cref="TrainingSpec"/> made real: the dataset loaded, the MLP built from the seed, the optimizer and
/// the data loader, ready to train with a <see cref="SnapshotRecorder"/> attached (<see cref="Train"/>).
/// </summary>
public sealed class TrainingSession
{
    private TrainingSession(TrainingSpec spec, TensorDataset data, TensorDataset? heldOut, DatasetInfo info, Sequential model, Optimizer optimizer, DataLoader loader)
    {
        Spec = spec;
        Data = data;
        HeldOut = heldOut;
        Dataset = info;
        Model = model;
        Optimizer = optimizer;
        Loader = loader;
    }

    /// <summary>The validated spec.</summary>
    public TrainingSpec Spec { get; }

    /// <summary>The training data.</summary>
    public TensorDataset Data { get; }

    /// <summary>
    /// The held-out examples evaluated after every epoch (a seeded split of the small sets, Fashion-MNIST's test
    /// set), or null when <see cref="TrainingSpec.EffectiveValidation"/> is 0.
    /// </summary>
    public TensorDataset? HeldOut { get; }

    /// <summary>What the run records about the data.</summary>
    public DatasetInfo Dataset { get; }

    /// <summary>The network: <c>Linear → activation</c> per hidden size, then <c>Linear</c> to the classes.</summary>
    public Sequential Model { get; }

    /// <summary>The optimizer over <see cref="Model"/>'s parameters.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Shuffling mini-batches of <see cref="Data"/>.</summary>
    public DataLoader Loader { get; }

    /// <summary>Optimizer steps of the whole run.</summary>
    public long TotalSteps => (long)Spec.EffectiveEpochs * Loader.BatchCount;

    /// <summary>Validates <paramref name="spec"/>, loads its dataset and builds the model (the seed fixes the initial weights).</summary>
    /// <exception cref="TrainingSpecException">A field is out of range.</exception>
    /// <exception cref="IOException">The dataset's files are missing or unreadable.</exception>
    public static TrainingSession Create(TrainingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var (data, heldOut, info) = LoadDataset(spec);
        int classes = info.Classes ?? throw new InvalidDataException($"dataset {spec.Dataset} has no classes");
        int inputs = info.InputShape.Aggregate(1, (a, b) => a * b);
        Generator.ManualSeed(spec.Seed); // the same seed gives the same initial weights
        var model = spec.IsConvolutional
            ? BuildConvNet(TrainingSpec.ImageShape(spec.Dataset)!, spec.Layers, classes, spec.Activation)
            : BuildModel(inputs, spec.Layers.Select(l => l.Size).ToList(), classes, spec.Activation);
        float lr = (float)spec.EffectiveLearningRate, wd = (float)spec.EffectiveWeightDecay;
        Optimizer optimizer = spec.Optimizer switch
        {
            "sgd" => new SGD(model.Parameters(), lr, momentum: (float)spec.Momentum, weightDecay: wd),
            "adamw" => new AdamW(model.Parameters(), lr, weightDecay: wd),
            _ => new Adam(model.Parameters(), lr, weightDecay: wd),
        };
        return new TrainingSession(spec, data, heldOut, info, model, optimizer, new DataLoader(data, spec.BatchSize, shuffle: true, seed: spec.Seed));
    }

    /// <summary>The recorder options of this run: schedule, storage, probe, dataset and hyper-parameters.</summary>
    public SnapshotRecorderOptions RecorderOptions(bool overwrite = false)
    {
        var s = Spec;
        var hyperParameters = new Dictionary<string, object?>
        {
            ["model"] = s.IsConvolutional ? "cnn" : "mlp",
            ["layers"] = LayerSpec.Format(s.Layers),
            ["activation"] = s.Activation.Name(),
            ["loss"] = "cross_entropy",
            ["optimizer"] = s.Optimizer,
            ["learningRate"] = s.EffectiveLearningRate,
            ["weightDecay"] = s.EffectiveWeightDecay,
            ["epochs"] = s.EffectiveEpochs,
            ["batchSize"] = s.BatchSize,
            ["seed"] = s.Seed,
            ["snapshotSchedule"] = s.EffectiveSchedule.ToString(),
        };
        if (!s.IsConvolutional) hyperParameters["hiddenLayers"] = s.Layers.Select(l => l.Size).ToArray();
        if (s.Optimizer == "sgd") hyperParameters["momentum"] = s.Momentum;
        return new SnapshotRecorderOptions
        {
            Schedule = s.EffectiveSchedule,
            Gradients = s.Gradients switch { "none" => GradientRecording.None, "full" => GradientRecording.Full, _ => GradientRecording.Norms },
            ParameterPrecision = s.Float16 ? SnapshotPrecision.Float16 : SnapshotPrecision.Float32,
            ActivationPrecision = s.Float16 ? SnapshotPrecision.Float16 : SnapshotPrecision.Float32,
            Probe = ProbeBatch.FromDataset(Data, s.Probe, s.Seed),
            Dataset = Dataset,
            Overwrite = overwrite,
            HyperParameters = hyperParameters,
        };
    }

    /// <summary>Trains for the spec's epochs with <paramref name="recorder"/> (may be null) and any further callbacks.</summary>
    public TrainingHistory Train(SnapshotRecorder? recorder, params ITrainingCallback[] callbacks)
    {
        var trainer = new Trainer(Model, Optimizer);
        if (recorder is not null) trainer = trainer.With(recorder);
        foreach (var c in callbacks) trainer = trainer.With(c);
        var validation = HeldOut is null ? null : new DataLoader(HeldOut, Math.Max(Spec.BatchSize, 256));
        return trainer.Fit(Loader, Spec.EffectiveEpochs, validation);
    }

    /// <summary>A short name of the network, e.g. <c>MLP 2-16-16-3</c> or <c>CNN conv16k3,pool2,dense64 → 10</c>.</summary>
    public string Describe()
    {
        if (Spec.IsConvolutional) return $"CNN {LayerSpec.Format(Spec.Layers)} → {Dataset.Classes}";
        var linear = Model.Layers.OfType<Linear>().ToList();
        return "MLP " + string.Join("-", linear.Select(l => l.InFeatures).Append(linear[^1].OutFeatures));
    }

    private static (TensorDataset Data, TensorDataset? HeldOut, DatasetInfo Info) LoadDataset(TrainingSpec spec)
    {
        string name = spec.Dataset;
        int seed = spec.Seed;
        var details = new Dictionary<string, JsonElement> { ["seed"] = JsonSerializer.SerializeToElement(seed) };
        if (spec.IsToyDataset)
        {
            int count = spec.Samples ?? 300;
            double? noise = spec.Noise;
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
            var (train, held) = Split(data, spec.EffectiveValidation, seed, details);
            return (train, held, new DatasetInfo { Name = name, Count = train.Count, InputShape = data.Inputs.Shape[1..], Classes = classes, Details = details });
        }
        string? dir = spec.DataDir;
        TensorDataset full;
        TensorDataset? test = null;
        IReadOnlyList<string> classNames;
        if (name is "iris" or "wine")
        {
            var table = name == "iris"
                ? dir is null ? SklearnDatasets.LoadIris() : SklearnDatasets.LoadIris(dir)
                : dir is null ? SklearnDatasets.LoadWine() : SklearnDatasets.LoadWine(dir);
            // Features in centimetres or milligrams differ by orders of magnitude: standardize them.
            full = new TensorDataset(Standardizer.Fit(table.Data).Transform(table.Data.Inputs), table.Data.Targets);
            classNames = table.ClassNames;
        }
        else if (name == "digits")
        {
            var digits = dir is null ? SklearnDatasets.LoadDigits() : SklearnDatasets.LoadDigits(dir);
            // Pixel intensities are 0..16; scale to [0, 1] so the default learning rates work.
            var pixels = digits.Data.Inputs / 16f;
            full = new TensorDataset(spec.IsConvolutional ? pixels.Reshape(-1, 1, 8, 8).Contiguous() : pixels, digits.Data.Targets);
            classNames = digits.ClassNames;
        }
        else
        {
            bool flat = !spec.IsConvolutional; // a convnet sees [1, 28, 28] images
            var fashion = dir is null ? FashionMnist.Load(flat: flat) : FashionMnist.Load(dir, flat: flat);
            full = fashion.Train;
            test = fashion.Test;
            classNames = fashion.ClassNames;
        }
        if (spec.Samples is int k && k < full.Count)
        {
            full = new TensorDataset(full.Inputs.Narrow(0, 0, k).Contiguous(), full.Targets.Narrow(0, 0, k).Contiguous());
            details["samples"] = JsonSerializer.SerializeToElement(k);
        }
        TensorDataset? heldOut;
        if (test is not null)
        {
            heldOut = spec.EffectiveValidation > 0 ? test : null;
            if (heldOut is not null)
            {
                details["validation"] = JsonSerializer.SerializeToElement("test set");
                details["validationCount"] = JsonSerializer.SerializeToElement(heldOut.Count);
            }
        }
        else (full, heldOut) = Split(full, spec.EffectiveValidation, seed, details);
        return (full, heldOut, new DatasetInfo
        {
            Name = name, Count = full.Count, InputShape = full.Inputs.Shape[1..], Classes = classNames.Count, ClassNames = classNames, Details = details,
        });
    }

    /// <summary>A seeded split: <paramref name="fraction"/> of the examples held out (at least one, one kept for training).</summary>
    private static (TensorDataset Train, TensorDataset? HeldOut) Split(TensorDataset data, double fraction, int seed, Dictionary<string, JsonElement> details)
    {
        int n = data.Count;
        int held = fraction <= 0 || n < 2 ? 0 : Math.Clamp((int)Math.Round(n * fraction), 1, n - 1);
        if (held == 0) return (data, null);
        var order = Enumerable.Range(0, n).ToArray();
        new Generator(unchecked(seed * 31 + 17)).Shuffle(order.AsSpan()); // its own stream: the split does not move with the shuffling
        var keep = order[held..];
        Array.Sort(keep); // training examples keep their dataset order (the probe picks from it)
        var test = order[..held];
        Array.Sort(test);
        details["validation"] = JsonSerializer.SerializeToElement(fraction);
        details["validationCount"] = JsonSerializer.SerializeToElement(held);
        return (Take(data, keep), Take(data, test));
    }

    private static TensorDataset Take(TensorDataset data, int[] rows)
    {
        int rowSize = (int)(data.Inputs.Numel / Math.Max(1, data.Count));
        var inputs = data.Inputs.Contiguous().ToArray();
        var targets = data.Targets.Contiguous();
        var picked = new float[rows.Length * rowSize];
        for (int i = 0; i < rows.Length; i++) Array.Copy(inputs, (long)rows[i] * rowSize, picked, (long)i * rowSize, rowSize);
        int[] shape = [rows.Length, .. data.Inputs.Shape[1..]];
        Tensor pickedTargets;
        if (targets.DType == DType.Int64)
        {
            var t = targets.ToLongArray();
            pickedTargets = Tensor.FromArray(rows.Select(r => t[r]).ToArray(), rows.Length);
        }
        else
        {
            var t = targets.ToArray();
            int tSize = t.Length / Math.Max(1, data.Count);
            var pt = new float[rows.Length * tSize];
            for (int i = 0; i < rows.Length; i++) Array.Copy(t, (long)rows[i] * tSize, pt, (long)i * tSize, tSize);
            pickedTargets = Tensor.FromArray(pt, [rows.Length, .. targets.Shape[1..]]);
        }
        return new TensorDataset(Tensor.FromArray(picked, shape), pickedTargets);
    }

    private static Sequential BuildConvNet(int[] image, IReadOnlyList<LayerSpec> layers, int classes, ActivationFunction activation)
    {
        var model = new Sequential();
        int channels = image[0], h = image[1], w = image[2];
        int features = 0;
        bool flat = false;
        foreach (var l in layers)
        {
            switch (l.Kind)
            {
                case LayerKind.Conv:
                    model.Add(new Conv2d(channels, l.Size, l.Kernel, padding: l.Kernel / 2));
                    model.Add(Activation(activation));
                    channels = l.Size;
                    break;
                case LayerKind.Pool:
                    model.Add(new MaxPool2d(l.Size));
                    h /= l.Size;
                    w /= l.Size;
                    break;
                default:
                    if (!flat) { model.Add(new Flatten()); features = channels * h * w; flat = true; }
                    model.Add(new Linear(features, l.Size));
                    model.Add(Activation(activation));
                    features = l.Size;
                    break;
            }
        }
        if (!flat) { model.Add(new Flatten()); features = channels * h * w; }
        model.Add(new Linear(features, classes));
        return model;
    }

    private static Module Activation(ActivationFunction function) => function.CreateModule();

    private static Sequential BuildModel(int inputs, IReadOnlyList<int> hidden, int classes, ActivationFunction activation)
    {
        var model = new Sequential();
        int previous = inputs;
        foreach (int size in hidden)
        {
            model.Add(new Linear(previous, size));
            model.Add(Activation(activation));
            previous = size;
        }
        model.Add(new Linear(previous, classes));
        return model;
    }
}
