using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NeuroCore;
using NeuroCore.NN;
using NeuroCore.Optim;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Benchmarks;

/// <summary>
/// One full training step — zero-grad, forward, cross-entropy loss, backward, Adam update — on fixed random
/// data, for the models users train first. The Steps/s column is 1 / mean time.
/// Run: dotnet run -c Release --project benchmarks/NeuroCore.Benchmarks -- --filter '*TrainingStep*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(StepsPerSecondConfig))]
public class TrainingStepBenchmarks
{
    private Step _mlpSmall = null!;
    private Step _mlpLarge = null!;
    private Step _cnn = null!;

    /// <summary>
    /// Whether <see cref="TensorMemory"/> recycles activations and gradients (false: MaxPooledBytes = 0, every
    /// step allocates them anew, as before the pool existed).
    /// </summary>
    [Params(true, false)]
    public bool Pool { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        TensorMemory.MaxPooledBytes = Pool ? TensorMemory.DefaultMaxPooledBytes : 0;
        var g = new Generator(0);
        _mlpSmall = Step.MlpSmall(g);
        _mlpLarge = Step.MlpLarge(g);
        _cnn = Step.Cnn(g);
    }

    /// <summary>MLP 784-256-10, batch 64.</summary>
    [Benchmark(Description = "MLP 784-256-10, batch 64")]
    public float Mlp784x256x10Batch64() => _mlpSmall.Run();

    /// <summary>MLP 784-512-256-10, batch 256.</summary>
    [Benchmark(Description = "MLP 784-512-256-10, batch 256")]
    public float Mlp784x512x256x10Batch256() => _mlpLarge.Run();

    /// <summary>CNN conv16-pool-conv32-pool-linear on 28×28, batch 64.</summary>
    [Benchmark(Description = "CNN (Fashion-MNIST sample), batch 64")]
    public float CnnBatch64() => _cnn.Run();

    /// <summary>The same CNN's forward pass alone under no-grad (evaluation / inference), batch 64.</summary>
    [Benchmark(Description = "CNN forward only, no grad, batch 64")]
    public Tensor CnnInferenceBatch64() => _cnn.Infer();

}

/// <summary>The three benchmark models with their input batch.</summary>
internal static class Models
{
    /// <summary>MLP 784-256-10, batch 64.</summary>
    public static (Module, Tensor, int) MlpSmall(Generator g) =>
        (new Sequential(new Linear(784, 256, generator: g), new ReLU(), new Linear(256, 10, generator: g)), Tensor.Randn([64, 784], g), 64);

    /// <summary>MLP 784-512-256-10, batch 256.</summary>
    public static (Module, Tensor, int) MlpLarge(Generator g) =>
        (new Sequential(new Linear(784, 512, generator: g), new ReLU(), new Linear(512, 256, generator: g), new ReLU(),
            new Linear(256, 10, generator: g)), Tensor.Randn([256, 784], g), 256);

    /// <summary>The Fashion-MNIST sample's CNN, batch 64.</summary>
    public static (Module, Tensor, int) Cnn(Generator g) =>
        (new Sequential(
            new Conv2d(1, 16, 3, generator: g), new ReLU(), new MaxPool2d(2),
            new Conv2d(16, 32, 3, generator: g), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Linear(32 * 5 * 5, 10, generator: g)), Tensor.Rand([64, 1, 28, 28], g), 64);
}

/// <summary>One training step of a fixed model on fixed random data (shared by the step benchmarks).</summary>
internal sealed class Step
{
    private readonly Module _model;
    private readonly Adam _optimizer;
    private readonly Tensor _inputs;
    private readonly Tensor _targets;

    /// <summary>MLP 784-256-10, batch 64.</summary>
    public static Step MlpSmall(Generator g) => From(Models.MlpSmall(g));

    /// <summary>MLP 784-512-256-10, batch 256.</summary>
    public static Step MlpLarge(Generator g) => From(Models.MlpLarge(g));

    /// <summary>The Fashion-MNIST sample's CNN, batch 64.</summary>
    public static Step Cnn(Generator g) => From(Models.Cnn(g));

    private static Step From((Module Model, Tensor Inputs, int Batch) m) => new(m.Model, m.Inputs, m.Batch);

    public Step(Module model, Tensor inputs, int batch)
    {
        _model = model;
        _optimizer = new Adam(model.Parameters(), learningRate: 1e-3f);
        _inputs = inputs;
        var g = new Generator(1);
        var labels = new long[batch];
        for (int i = 0; i < batch; i++) labels[i] = g.NextInt(10);
        _targets = Tensor.FromArray(labels);
    }

    public Tensor Infer()
    {
        using var _ = Autograd.GradMode.NoGrad();
        return _model.Call(_inputs);
    }

    public float Run()
    {
        _optimizer.ZeroGrad(setToNone: false); // reuse the gradient buffers, as a training loop would
        var loss = F.CrossEntropy(_model.Call(_inputs), _targets);
        loss.Backward();
        _optimizer.Step();
        return loss.Item();
    }
}
