using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text;
using NeuroCore.Autograd;
using NeuroCore.IO;
using NeuroCore.NN;
using NeuroCore.Training;

namespace NeuroCore.Snapshots;

/// <summary>Settings of a <see cref="SnapshotRecorder"/>.</summary>
public sealed class SnapshotRecorderOptions
{
    /// <summary>
    /// When to take snapshots (default: <see cref="SnapshotSchedule.DenseEarly"/>, every step up to step 20 and then
    /// intervals growing by 1.25×, the same default as <c>neurocore train</c>). Step 0 and the last step are always recorded.
    /// </summary>
    public SnapshotSchedule Schedule { get; init; } = SnapshotSchedule.DenseEarly();

    /// <summary>What to store of the gradients (default: one norm per parameter).</summary>
    public GradientRecording Gradients { get; init; } = GradientRecording.Norms;

    /// <summary>Precision of stored parameters, buffers and full gradients (default float32).</summary>
    public SnapshotPrecision ParameterPrecision { get; init; } = SnapshotPrecision.Float32;

    /// <summary>Precision of stored probe activations (default float32).</summary>
    public SnapshotPrecision ActivationPrecision { get; init; } = SnapshotPrecision.Float32;

    /// <summary>The fixed probe batch whose activations every snapshot records; null records no activations.</summary>
    public ProbeBatch? Probe { get; init; }

    /// <summary>The dataset description stored in the manifest.</summary>
    public DatasetInfo? Dataset { get; init; }

    /// <summary>Hyper-parameters stored in the manifest (values are serialized to JSON).</summary>
    public IReadOnlyDictionary<string, object?>? HyperParameters { get; init; }

    /// <summary>Replace the run files of an existing run in the folder instead of refusing to (default false).</summary>
    public bool Overwrite { get; init; }
}

/// <summary>
/// Records a training run to a folder (see <c>docs/snapshot-format.md</c>): the manifest once, then one
/// snapshot file per scheduled step (parameters, gradients or their norms, per-layer activations on a fixed
/// probe batch) plus a line in the append-only index. Plug it into a <see cref="Trainer"/> as an
/// <see cref="ITrainingCallback"/>, or call <see cref="Capture"/> from your own loop.
/// </summary>
/// <remarks>
/// Every file is written to a temporary name, flushed to disk and renamed, and an index line is appended
/// only once its snapshot file is in place, so a run killed at any moment stays readable up to its last
/// complete snapshot. Not thread-safe; call from the training thread.
/// From <see cref="Begin"/> until <see cref="Complete"/> or <see cref="Dispose"/> the recorder holds the folder
/// exclusively (a lock file the operating system releases if the process dies), so a second recorder on the
/// same folder fails with an <see cref="IOException"/> naming the folder and the holder instead of mixing runs.
/// </remarks>
public sealed class SnapshotRecorder : ITrainingCallback, IDisposable
{
    private readonly SnapshotRecorderOptions _options;
    private readonly List<SnapshotEntry> _written = [];
    private readonly HashSet<int> _steps = [];
    private readonly Stopwatch _clock = new();
    private bool _requested;
    private StepMetrics? _lastStep;
    private EpochMetrics? _lastEpoch;
    private (StepMetrics Step, string Reason, Module Model)? _pending;
    private Module? _model;
    private RunFolderLock? _lock;

    /// <summary>Creates a recorder writing to <paramref name="folder"/> (created if needed).</summary>
    public SnapshotRecorder(string folder, SnapshotRecorderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Folder = Path.GetFullPath(folder);
        _options = options ?? new SnapshotRecorderOptions();
    }

    /// <summary>The run folder (full path).</summary>
    public string Folder { get; }

    /// <summary>The snapshots written so far.</summary>
    public IReadOnlyList<SnapshotEntry> Written => _written;

    /// <summary>The manifest written by <see cref="Begin"/>, or null before.</summary>
    public RunManifest? Manifest { get; private set; }

    /// <summary>
    /// Starts the run: creates the folder and writes the manifest and probe file (atomically).
    /// Called by <see cref="OnTrainBegin"/> and by the first <see cref="Capture"/>; later calls do nothing.
    /// </summary>
    /// <exception cref="IOException">The folder already holds a run and <see cref="SnapshotRecorderOptions.Overwrite"/> is false.</exception>
    public void Begin(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_model is not null)
        {
            if (!ReferenceEquals(_model, model)) throw new InvalidOperationException("SnapshotRecorder: a recorder records one model; this run was started with a different one.");
            return;
        }
        Directory.CreateDirectory(Folder);
        // Take the folder before checking it: the check and the first write are then one step for other recorders.
        _lock ??= RunFolderLock.Acquire(Folder);
        try
        {
            BeginLocked(model);
        }
        catch
        {
            ReleaseFolder();
            throw;
        }
    }

    private void BeginLocked(Module model)
    {
        string manifestPath = Path.Combine(Folder, SnapshotFormat.ManifestFileName);
        if (File.Exists(manifestPath))
        {
            if (!_options.Overwrite)
                throw new IOException($"{Folder}: the folder already holds a training run; choose another folder or allow overwriting.");
            RunFiles.DeleteLocked(Folder);
        }
        Directory.CreateDirectory(Path.Combine(Folder, SnapshotFormat.SnapshotFolder));

        var probe = _options.Probe;
        Dictionary<string, Tensor>? probeOutputs = null;
        if (probe is not null)
        {
            SafeTensors.Save(Path.Combine(Folder, SnapshotFormat.ProbeFileName),
                probe.Labels is null
                    ? [SafeTensorsEntry.Of("inputs", probe.Inputs, SafeTensorsDType.F32)]
                    : [SafeTensorsEntry.Of("inputs", probe.Inputs, SafeTensorsDType.F32), SafeTensorsEntry.Of("labels", probe.Labels, SafeTensorsDType.F32)],
                new Dictionary<string, string> { ["format"] = SnapshotFormat.Name });
            probeOutputs = RunProbe(model, probe);
        }

        Manifest = new RunManifest
        {
            CreatedUtc = DateTimeOffset.UtcNow,
            Producer = "NeuroCore " + typeof(SnapshotRecorder).Assembly.GetName().Version?.ToString(3),
            Architecture = DescribeArchitecture(model, probe, _options.Dataset, probeOutputs),
            Dataset = _options.Dataset,
            HyperParameters = (_options.HyperParameters ?? new Dictionary<string, object?>())
                .ToDictionary(kv => kv.Key, kv => RunSerializer.ToElement(kv.Value)),
            Probe = probe is null ? null : new ProbeInfo
            {
                Count = probe.Count,
                InputShape = probe.Inputs.Shape[1..],
                Labels = probe.Labels is { DType: DType.Int64 } l ? l.ToLongArray() : null,
            },
            Storage = new SnapshotStorage
            {
                Parameters = _options.ParameterPrecision,
                Activations = _options.ActivationPrecision,
                Gradients = _options.Gradients,
            },
        };
        WriteAllAtomic(manifestPath, RunSerializer.WriteManifest(Manifest));
        _model = model;
        _clock.Start();
    }

    /// <summary>Asks for a snapshot after the next optimizer step, whatever the schedule says.</summary>
    public void RequestSnapshot() => _requested = true;

    /// <summary>
    /// Takes a snapshot of <paramref name="model"/> now (call after <c>optimizer.Step()</c> and before
    /// <c>ZeroGrad</c> to record the step's gradients). Returns the entry, or null when <paramref name="step"/>
    /// was already recorded.
    /// </summary>
    public SnapshotEntry? Capture(Module model, int step, int epoch, double? loss = null,
        IReadOnlyDictionary<string, double>? metrics = null, double? learningRate = null) =>
        CaptureCore(model, step, epoch, loss, metrics, learningRate, "manual");

    private SnapshotEntry? CaptureCore(Module model, int step, int epoch, double? loss,
        IReadOnlyDictionary<string, double>? metrics, double? learningRate, string reason)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        Begin(model);
        if (_steps.Contains(step)) return null;
        // Captures after Complete (a loop that goes on) take the folder again.
        _lock ??= RunFolderLock.Acquire(Folder);
        _steps.Add(step);

        // Entries keep the model's order (parameters, buffers, gradients, layers): the file preserves it for readers.
        var paramsAs = StorageType(_options.ParameterPrecision);
        var entries = new List<SafeTensorsEntry>();
        foreach (var (name, p) in model.NamedParameters())
            entries.Add(SafeTensorsEntry.Of(SnapshotFormat.ParameterPrefix + name, p, paramsAs));
        foreach (var (name, b) in model.NamedBuffers())
            entries.Add(SafeTensorsEntry.Of(SnapshotFormat.BufferPrefix + name, b, paramsAs));
        if (_options.Gradients != GradientRecording.None)
        {
            foreach (var (name, p) in model.NamedParameters())
            {
                if (p.Grad is not { } g) continue;
                // The norm comes from the float32 gradient, whatever precision the full gradient is stored in.
                entries.Add(new(SnapshotFormat.GradientNormPrefix + name, Tensor.Scalar(TensorPrimitives.Norm<float>(g.ToArray())), SafeTensorsDType.F32));
                if (_options.Gradients == GradientRecording.Full)
                    entries.Add(SafeTensorsEntry.Of(SnapshotFormat.GradientPrefix + name, g, paramsAs));
            }
        }
        if (_options.Probe is { } probe)
        {
            var actsAs = StorageType(_options.ActivationPrecision);
            foreach (var (name, t) in RunProbe(model, probe))
                entries.Add(SafeTensorsEntry.Of(SnapshotFormat.ActivationPrefix + name, t, actsAs));
        }

        string relative = SnapshotFormat.SnapshotFileName(step);
        long bytes = SafeTensors.Save(Path.Combine(Folder, relative), entries, new Dictionary<string, string>
        {
            ["format"] = SnapshotFormat.Name,
            ["version"] = SnapshotFormat.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["step"] = step.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var entry = new SnapshotEntry
        {
            Step = step,
            Epoch = epoch,
            Time = DateTimeOffset.UtcNow,
            ElapsedSeconds = _clock.Elapsed.TotalSeconds,
            Loss = loss,
            LearningRate = learningRate,
            Metrics = metrics is null ? new Dictionary<string, double>() : new Dictionary<string, double>(metrics),
            File = relative,
            Bytes = bytes,
            Reason = reason,
        };
        AppendIndexLine(RunSerializer.WriteEntry(entry));
        _written.Add(entry);
        return entry;
    }

    /// <summary>Marks the run finished by writing <c>summary.json</c> (called by <see cref="OnTrainEnd"/>).</summary>
    public void Complete()
    {
        if (_model is null) return;
        var e = _lastEpoch;
        var summary = new RunSummary
        {
            Snapshots = _written.Count,
            LastStep = _written.Count > 0 ? _written[^1].Step : null,
            ElapsedSeconds = _clock.Elapsed.TotalSeconds,
            Epochs = e is { } last ? last.Epoch + 1 : null,
            FinalEpochLoss = e is { } l && float.IsFinite(l.Loss) ? l.Loss : null,
            FinalEpochAccuracy = e?.Accuracy,
            FinalValidationLoss = e?.ValidationLoss is float vl && float.IsFinite(vl) ? vl : null,
            FinalValidationAccuracy = e?.ValidationAccuracy,
        };
        WriteAllAtomic(Path.Combine(Folder, SnapshotFormat.SummaryFileName), RunSerializer.WriteSummary(summary));
        ReleaseFolder();
    }

    /// <summary>Releases the run folder without writing the summary (an unfinished run stays readable). Safe to call twice.</summary>
    public void Dispose() => ReleaseFolder();

    private void ReleaseFolder()
    {
        _lock?.Dispose();
        _lock = null;
    }

    /// <inheritdoc />
    public void OnTrainBegin(TrainingContext context)
    {
        Begin(context.Model);
        CaptureCore(context.Model, context.Step, context.Epoch, null, null, context.Optimizer.LearningRate, "first");
    }

    /// <inheritdoc />
    public void OnStepEnd(TrainingContext context, StepMetrics step)
    {
        FlushPending(); // a loop that ends epochs without OnEpochEnd
        _lastStep = step;
        bool requested = _requested;
        if (!requested && !_options.Schedule.ShouldCapture(step.Step)) return;
        _requested = false;
        string reason = requested ? "request" : "schedule";
        // The last step of an epoch is captured at the epoch's end, so it carries the held-out figures measured
        // right after it (the weights, gradients and probe are the same: evaluation changes none of them).
        if (context.StepsPerEpoch > 0 && step.Step > 0 && step.Step % context.StepsPerEpoch == 0)
        {
            _pending = (step, reason, context.Model);
            return;
        }
        CaptureCore(context.Model, step.Step, step.Epoch, step.Loss, StepMetricsOf(step), step.LearningRate, reason);
    }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext context, EpochMetrics epoch)
    {
        _lastEpoch = epoch;
        FlushPending();
    }

    private void FlushPending()
    {
        if (_pending is not var (step, reason, model)) return;
        _pending = null;
        CaptureCore(model, step.Step, step.Epoch, step.Loss, StepMetricsOf(step), step.LearningRate, reason);
    }

    /// <summary>Metric name of the held-out loss of the last completed epoch, added to every later snapshot.</summary>
    public const string ValidationLossMetric = "val_loss";

    /// <summary>Metric name of the held-out accuracy of the last completed epoch, added to every later snapshot.</summary>
    public const string ValidationAccuracyMetric = "val_accuracy";

    /// <inheritdoc />
    public void OnTrainEnd(TrainingContext context)
    {
        FlushPending();
        if (_lastStep is { } s && !_steps.Contains(s.Step))
            CaptureCore(context.Model, s.Step, s.Epoch, s.Loss, StepMetricsOf(s), s.LearningRate, "last");
        Complete();
    }

    private static SafeTensorsDType StorageType(SnapshotPrecision precision) =>
        precision == SnapshotPrecision.Float16 ? SafeTensorsDType.F16 : SafeTensorsDType.F32;

    // A snapshot carries the held-out figures of the last completed epoch (validation runs after an epoch's steps).
    private Dictionary<string, double> StepMetricsOf(StepMetrics s)
    {
        var m = new Dictionary<string, double>();
        if (s.Accuracy is float a) m["accuracy"] = a;
        if (_lastEpoch is { } e)
        {
            if (e.ValidationLoss is float vl && float.IsFinite(vl)) m[ValidationLossMetric] = vl;
            if (e.ValidationAccuracy is float va) m[ValidationAccuracyMetric] = va;
        }
        return m;
    }

    /// <summary>The modules whose outputs are recorded: the root's direct children, or the root itself.</summary>
    private static List<(string Name, Module Module)> Layers(Module model)
    {
        var children = model.NamedChildren().ToList();
        return children.Count > 0 ? children : [("", model)];
    }

    /// <summary>Runs the probe in eval mode under no-grad and returns each layer's output; restores every module's mode.</summary>
    private static Dictionary<string, Tensor> RunProbe(Module model, ProbeBatch probe)
    {
        var outputs = new Dictionary<string, Tensor>();
        var modes = model.NamedModules().Select(m => (m.Module, m.Module.IsTraining)).ToList();
        var handles = Layers(model).Select(l => l.Module.RegisterForwardHook((_, _, output) => outputs[l.Name] = output.Detach())).ToList();
        try
        {
            model.Eval();
            using (GradMode.NoGrad()) model.Call(probe.Inputs);
        }
        finally
        {
            foreach (var h in handles) h.Dispose();
            // Parents first: Train(mode) recurses, so later (deeper) entries restore mixed modes correctly.
            foreach (var (m, training) in modes) m.Train(training);
        }
        return outputs;
    }

    private static ModelArchitecture DescribeArchitecture(Module model, ProbeBatch? probe, DatasetInfo? dataset, Dictionary<string, Tensor>? outputs)
    {
        var layers = Layers(model);
        var infos = new List<LayerInfo>(layers.Count);
        for (int i = 0; i < layers.Count; i++)
        {
            var (name, m) = layers[i];
            var own = ActivationFunctions.FromTypeName(m.TypeName);
            var next = i + 1 < layers.Count ? ActivationFunctions.FromTypeName(layers[i + 1].Module.TypeName) : null;
            infos.Add(new LayerInfo
            {
                Index = i,
                Name = name,
                TypeName = m.TypeName,
                Config = m.Config.ToDictionary(kv => kv.Key, kv => RunSerializer.ToElement(kv.Value)),
                Parameters = m.NamedParameters(name).Select(p => new TensorInfo(p.Name, p.Parameter.Shape)).ToArray(),
                Buffers = m.NamedBuffers(name).Select(b => new TensorInfo(b.Name, b.Buffer.Shape)).ToArray(),
                IsActivation = own is not null,
                Activation = own is { } self ? new LayerActivation(self, name) : next is { } after ? new LayerActivation(after, layers[i + 1].Name) : null,
                OutputShape = outputs is not null && outputs.TryGetValue(name, out var o) ? o.Shape[1..] : null,
            });
        }
        return new ModelArchitecture
        {
            TypeName = model.TypeName,
            ParameterCount = model.Parameters().Sum(p => (long)p.Numel),
            InputShape = probe?.Inputs.Shape[1..] ?? (dataset?.InputShape is { Count: > 0 } d ? d : InferInputShape(layers)),
            Layers = infos,
        };
    }

    /// <summary>
    /// Without a probe or dataset shape, the input shape a flat first layer implies: a leading
    /// <see cref="Linear"/>'s <c>in_features</c> (after activations, dropout or flatten, which keep it).
    /// A convolution's height and width cannot be inferred; readers then ask for a probe.
    /// </summary>
    private static int[]? InferInputShape(List<(string Name, Module Module)> layers)
    {
        foreach (var (_, m) in layers)
        {
            if (m is Linear linear) return [linear.InFeatures];
            if (ActivationFunctions.FromTypeName(m.TypeName) is null && m is not Dropout) return null;
        }
        return null;
    }

    private void AppendIndexLine(string line)
    {
        // One write of the whole line, then fsync: a crash leaves at most one incomplete last line.
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        using var fs = new FileStream(Path.Combine(Folder, SnapshotFormat.IndexFileName), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        fs.Write(bytes);
        fs.Flush(flushToDisk: true);
    }

    private static void WriteAllAtomic(string path, byte[] bytes) => AtomicFile.Write(path, fs => fs.Write(bytes));
}
