using BenchmarkDotNet.Attributes;
using NeuroCore.NN;

namespace NeuroCore.Benchmarks;

/// <summary>
/// What fusing Linear→ReLU and Conv2d→ReLU buys in a training step: the same steps as
/// <see cref="TrainingStepBenchmarks"/> with fusion on and off (everything else, the pool included, as by default).
/// Run: dotnet run -c Release --project benchmarks/NeuroCore.Benchmarks -- --filter '*FusionBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
[Config(typeof(StepsPerSecondConfig))]
public class FusionBenchmarks
{
    private Step _mlpLarge = null!;
    private Step _cnn = null!;

    /// <summary>Whether Sequential runs unobserved layer→ReLU pairs as one op.</summary>
    [Params(true, false)]
    public bool Fuse { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        NeuroCore.NN.Fusion.Enabled = Fuse;
        var g = new Generator(0);
        _mlpLarge = Step.MlpLarge(g);
        _cnn = Step.Cnn(g);
    }

    [GlobalCleanup]
    public void Cleanup() => NeuroCore.NN.Fusion.Enabled = true;

    /// <summary>MLP 784-512-256-10, batch 256.</summary>
    [Benchmark(Description = "MLP 784-512-256-10, batch 256")]
    public float MlpLarge() => _mlpLarge.Run();

    /// <summary>The Fashion-MNIST sample's CNN, batch 64.</summary>
    [Benchmark(Description = "CNN (Fashion-MNIST sample), batch 64")]
    public float Cnn() => _cnn.Run();
}
