using System.Text.Json;
using NeuroCore.Autograd;
using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Snapshots;
using NeuroCore.Viewer.Runs;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Viewer.Playground;

/// <summary>
/// All of the playground's training in one place: the data, the model (a real NeuroCore
/// <see cref="Sequential"/> MLP), the optimizer, one mini-batch step, the recording into an ordinary
/// run (<see cref="SnapshotRecorder"/>), and the live frame (weights, activations, decision regions).
/// </summary>
/// <remarks>Not thread-safe: <see cref="PlaygroundSession"/> calls it from its training thread only.</remarks>
internal sealed class PlaygroundTraining
{
    /// <summary>Side of the decision-region grid (cells per axis).</summary>
    public const int GridSize = 48;

    private readonly PlaygroundConfig _config;
    private readonly Sequential _model;
    private readonly Optimizer _optimizer;
    private readonly SnapshotRecorder _recorder;
    private readonly Tensor _inputs;
    private readonly long[] _labels;
    private readonly float[] _inputData;
    private readonly int _features;
    private readonly int _snapshotEvery;
    private readonly Generator _shuffle;
    private readonly float[] _bounds; // x0, x1, y0, y1 of the 2-D data (padded)
    private readonly Tensor? _gridInputs;
    private int[] _order;
    private int _cursor;
    private double _lossEma = double.NaN;

    /// <summary>Builds data, model and optimizer from <paramref name="config"/> and starts recording into <paramref name="runFolder"/> (step 0 is written at once).</summary>
    /// <exception cref="ArgumentException">The model would exceed <paramref name="maxParameters"/>.</exception>
    public PlaygroundTraining(PlaygroundConfig config, string runFolder, int maxSteps, int maxSnapshots, int maxParameters)
    {
        _config = config;
        var (data, info) = LoadData(config);
        _inputs = data.Inputs;
        _inputData = _inputs.ToArray();
        _labels = data.Targets.ToLongArray();
        _features = _inputs.Shape[1];
        var classes = info.Classes!.Value;

        var widths = new List<int> { _features };
        widths.AddRange(config.Layers);
        widths.Add(classes);
        long parameters = 0;
        for (var i = 1; i < widths.Count; i++) parameters += (long)widths[i - 1] * widths[i] + widths[i];
        if (parameters > maxParameters)
            throw new ArgumentException($"layers: the model would have {parameters:N0} parameters; the playground allows {maxParameters:N0}.");

        // A private generator: sessions on other threads never disturb each other's initial weights.
        var init = new Generator(config.Seed);
        _model = new Sequential();
        for (var i = 1; i < widths.Count; i++)
        {
            _model.Add(new Linear(widths[i - 1], widths[i], generator: init));
            if (i < widths.Count - 1) _model.Add(ActivationModule(config.Activation));
        }
        var lr = (float)config.LearningRate;
        var wd = (float)config.WeightDecay;
        _optimizer = config.Optimizer switch
        {
            "sgd" => new SGD(_model.Parameters(), lr, momentum: 0.9f, weightDecay: wd),
            "adamw" => new AdamW(_model.Parameters(), lr, weightDecay: wd),
            _ => new Adam(_model.Parameters(), lr, weightDecay: wd),
        };
        _shuffle = new Generator(config.Seed + 1);
        _order = Enumerable.Range(0, _labels.Length).ToArray();
        _shuffle.Shuffle(_order.AsSpan());

        _snapshotEvery = Math.Max(1, (int)Math.Ceiling(maxSteps / (double)(maxSnapshots - 1)));
        _recorder = new SnapshotRecorder(runFolder, new SnapshotRecorderOptions
        {
            Schedule = SnapshotSchedule.Every(_snapshotEvery),
            Gradients = GradientRecording.Full, // small models: the viewer can show each connection's gradient
            Probe = ProbeBatch.FromDataset(data, Math.Min(16, data.Count), config.Seed),
            Dataset = info,
            HyperParameters = new Dictionary<string, object?>
            {
                ["source"] = "playground",
                ["dataset"] = config.Dataset,
                ["noise"] = config.Noise,
                ["hiddenLayers"] = config.Layers.ToArray(),
                ["activation"] = config.Activation,
                ["optimizer"] = config.Optimizer,
                ["learningRate"] = config.LearningRate,
                ["batchSize"] = config.BatchSize,
                ["weightDecay"] = config.WeightDecay,
                ["seed"] = config.Seed,
            },
        });
        _recorder.Capture(_model, 0, 0, learningRate: lr);

        if (_features == 2)
        {
            float x0 = float.MaxValue, x1 = float.MinValue, y0 = float.MaxValue, y1 = float.MinValue;
            for (var i = 0; i < _labels.Length; i++)
            {
                x0 = Math.Min(x0, _inputData[2 * i]); x1 = Math.Max(x1, _inputData[2 * i]);
                y0 = Math.Min(y0, _inputData[2 * i + 1]); y1 = Math.Max(y1, _inputData[2 * i + 1]);
            }
            var px = 0.1f * (x1 - x0) + 1e-3f; var py = 0.1f * (y1 - y0) + 1e-3f;
            _bounds = [x0 - px, x1 + px, y0 - py, y1 + py];
            var grid = new float[GridSize * GridSize * 2];
            for (var r = 0; r < GridSize; r++)
                for (var c = 0; c < GridSize; c++)
                {
                    var k = r * GridSize + c;
                    grid[2 * k] = _bounds[0] + (c + 0.5f) / GridSize * (_bounds[1] - _bounds[0]);
                    grid[2 * k + 1] = _bounds[3] - (r + 0.5f) / GridSize * (_bounds[3] - _bounds[2]); // row 0 at the top
                }
            _gridInputs = Tensor.FromArray(grid, GridSize * GridSize, 2);
        }
        else _bounds = [];
    }

    /// <summary>Optimizer steps taken.</summary>
    public int Step { get; private set; }

    /// <summary>Completed passes over the data.</summary>
    public int Epoch { get; private set; }

    /// <summary>The recorded run's folder.</summary>
    public string RunFolder => _recorder.Folder;

    /// <summary>Snapshots recorded so far.</summary>
    public int SnapshotCount => _recorder.Written.Count;

    /// <summary>Exponential moving average of the mini-batch loss.</summary>
    public double SmoothedLoss => _lossEma;

    /// <summary>One optimizer step on the next mini-batch; records a snapshot on the schedule (or when <paramref name="snapshot"/>).</summary>
    public void TrainStep(bool snapshot = false)
    {
        var b = Math.Min(_config.BatchSize, _labels.Length);
        var x = new float[b * _features];
        var y = new long[b];
        for (var i = 0; i < b; i++)
        {
            if (_cursor == _order.Length)
            {
                _cursor = 0;
                Epoch++;
                _shuffle.Shuffle(_order.AsSpan());
            }
            var k = _order[_cursor++];
            Array.Copy(_inputData, k * _features, x, i * _features, _features);
            y[i] = _labels[k];
        }
        _model.Train();
        _optimizer.ZeroGrad();
        var logits = _model.Call(Tensor.FromArray(x, b, _features));
        var loss = F.CrossEntropy(logits, Tensor.FromArray(y, b));
        loss.Backward();
        _optimizer.Step();
        Step++;
        var value = loss.Item();
        _lossEma = double.IsNaN(_lossEma) ? value : 0.95 * _lossEma + 0.05 * value;
        // Captured after Step() and before the next ZeroGrad: the snapshot holds this step's gradients.
        if (snapshot || Step % _snapshotEvery == 0)
            _recorder.Capture(_model, Step, Epoch, value, Accuracy(logits, y), _optimizer.LearningRate);
    }

    /// <summary>Records the current state as a snapshot (when pausing, so the run ends where the person stopped).</summary>
    public void Snapshot()
    {
        if (_recorder.Written.Count > 0 && _recorder.Written[^1].Step == Step) return;
        var (loss, accuracy) = Evaluate(out _);
        _recorder.Capture(_model, Step, Epoch, loss, new Dictionary<string, double> { ["accuracy"] = accuracy }, _optimizer.LearningRate);
    }

    /// <summary>Writes the run's summary (the run is complete).</summary>
    public void Complete() => _recorder.Complete();

    /// <summary>
    /// The live frame: loss and accuracy on the whole dataset, per drawn layer the weights, biases and
    /// the activations of probe example <paramref name="probe"/> (the same layout as the viewer's step
    /// payload), and for 2-D sets the decision regions on a <see cref="GridSize"/>² grid.
    /// </summary>
    public Dictionary<string, object?> Frame(int probe)
    {
        var (loss, accuracy) = Evaluate(out _);
        var probeInput = Tensor.FromArray(_inputData.AsSpan(Math.Clamp(probe, 0, _labels.Length - 1) * _features, _features).ToArray(), 1, _features);
        var layers = new List<object?> { new { layer = 0, activations = RunReader.Base64(probeInput.ToArray()) } };
        using (GradMode.NoGrad())
        {
            _model.Eval();
            var h = probeInput;
            var children = _model.NamedChildren().Select(c => c.Module).ToList();
            for (var i = 0; i < children.Count; i++)
            {
                h = children[i].Call(h);
                if (children[i] is not Linear linear) continue;
                var drawn = h;
                if (i + 1 < children.Count && children[i + 1] is not Linear) { h = children[++i].Call(h); drawn = h; }
                layers.Add(new
                {
                    layer = layers.Count,
                    connections = RunReader.Base64(linear.Weight.ToArray()),
                    bias = linear.Bias is { } bias ? RunReader.Base64(bias.ToArray()) : null,
                    activations = RunReader.Base64(drawn.ToArray()),
                    gradients = linear.Weight.Grad is { } g ? RunReader.Base64(g.ToArray()) : null,
                });
            }
        }
        return new Dictionary<string, object?>
        {
            ["step"] = Step,
            ["epoch"] = Epoch,
            ["loss"] = double.IsFinite(loss) ? loss : null,
            ["accuracy"] = accuracy,
            ["batchLoss"] = double.IsFinite(_lossEma) ? _lossEma : null,
            ["snapshots"] = _recorder.Written.Count,
            ["probe"] = probe,
            ["layers"] = layers,
            ["grid"] = Grid(),
        };
    }

    /// <summary>The 2-D data points (x, y, label) for the decision panel, or null for other datasets.</summary>
    public object? Points() => _features != 2 ? null : new
    {
        xy = RunReader.Base64(_inputData),
        labels = _labels.Select(l => (int)l).ToArray(),
        bounds = _bounds,
    };

    private object? Grid()
    {
        if (_gridInputs is null) return null;
        float[] probs;
        using (GradMode.NoGrad())
        {
            _model.Eval();
            probs = _model.Call(_gridInputs).Softmax(1).ToArray();
        }
        var classes = probs.Length / (GridSize * GridSize);
        var cls = new byte[GridSize * GridSize];
        var conf = new byte[GridSize * GridSize];
        for (var k = 0; k < cls.Length; k++)
        {
            var best = 0;
            for (var c = 1; c < classes; c++) if (probs[k * classes + c] > probs[k * classes + best]) best = c;
            cls[k] = (byte)best;
            conf[k] = (byte)Math.Clamp(MathF.Round(probs[k * classes + best] * 255f), 0, 255);
        }
        return new { size = GridSize, bounds = _bounds, classes = Convert.ToBase64String(cls), confidence = Convert.ToBase64String(conf) };
    }

    private (double Loss, double Accuracy) Evaluate(out float[] logits)
    {
        float loss;
        using (GradMode.NoGrad())
        {
            _model.Eval();
            var output = _model.Call(_inputs);
            loss = F.CrossEntropy(output, Tensor.FromArray(_labels, _labels.Length)).Item();
            logits = output.ToArray();
        }
        var classes = logits.Length / _labels.Length;
        var correct = 0;
        for (var i = 0; i < _labels.Length; i++)
        {
            var best = 0;
            for (var c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
            if (best == _labels[i]) correct++;
        }
        return (loss, correct / (double)_labels.Length);
    }

    private static Dictionary<string, double> Accuracy(Tensor logits, long[] labels)
    {
        var v = logits.ToArray();
        var classes = v.Length / labels.Length;
        var correct = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var best = 0;
            for (var c = 1; c < classes; c++) if (v[i * classes + c] > v[i * classes + best]) best = c;
            if (best == labels[i]) correct++;
        }
        return new Dictionary<string, double> { ["accuracy"] = correct / (double)labels.Length };
    }

    // The config's web-facing name (validated against PlaygroundConfig.Activations) → the core's one activation table.
    private static Module ActivationModule(string name) => PlaygroundConfig.ActivationOf(name).CreateModule();

    private static (TensorDataset Data, DatasetInfo Info) LoadData(PlaygroundConfig c)
    {
        var noise = (float)c.Noise;
        TensorDataset data;
        IReadOnlyList<string> names;
        switch (c.Dataset)
        {
            case "digits":
                var digits = SklearnDatasets.LoadDigits();
                // Pixel intensities 0..16 scaled to 0..1: the same picture, a friendlier range for the optimizer.
                var scaled = digits.Data.Inputs.ToArray().Select(v => v / 16f).ToArray();
                data = new TensorDataset(Tensor.FromArray(scaled, digits.Data.Inputs.Shape), digits.Data.Targets);
                names = digits.ClassNames;
                break;
            case "moons": data = SyntheticData.Moons(300, noise, c.Seed); names = ["upper", "lower"]; break;
            case "circles": data = SyntheticData.Circles(300, noise * 0.5f, 0.5f, c.Seed); names = ["outer", "inner"]; break;
            case "xor": data = SyntheticData.Xor(300, noise, c.Seed); names = ["0", "1"]; break;
            case "blobs": data = SyntheticData.Blobs(300, 3, 1f + 2f * noise, c.Seed); names = ["blob 0", "blob 1", "blob 2"]; break;
            default: data = SyntheticData.Spiral(100, 3, noise, c.Seed); names = ["arm 0", "arm 1", "arm 2"]; break;
        }
        var info = new DatasetInfo
        {
            Name = c.Dataset,
            Count = data.Count,
            InputShape = data.Inputs.Shape[1..],
            Classes = names.Count,
            ClassNames = names,
            Details = new Dictionary<string, JsonElement> { ["noise"] = JsonSerializer.SerializeToElement(c.Noise) },
        };
        return (data, info);
    }
}
