using BenchmarkDotNet.Attributes;
using NeuroCore.NN;
using NeuroCore.Optim;
using F = NeuroCore.NN.Functional;
using TS = TorchSharp;
using static TorchSharp.torch;

namespace NeuroCore.PeerBenchmarks;

/// <summary>One training step (zero-grad, forward, cross entropy, backward, Adam) per library.</summary>
[MemoryDiagnoser]
public class TrainingStepPeers
{
    /// <summary>The workload.</summary>
    [Params("mlp-784-256-10-b64", "mlp-784-512-256-10-b256", "cnn-b64")]
    public string Workload { get; set; } = "";

    /// <summary>Threads each library may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    private Action _neuro = null!;
    private Action? _torch;

    [GlobalSetup]
    public void Setup()
    {
        Parallelism.MaxThreads = Threads;
        var g = new Generator(0);
        (Module model, NeuroCore.Tensor x, int batch) = Workload switch
        {
            "mlp-784-256-10-b64" => ((Module)new Sequential(new Linear(784, 256, generator: g), new ReLU(), new Linear(256, 10, generator: g)),
                NeuroCore.Tensor.Randn([64, 784], g), 64),
            "mlp-784-512-256-10-b256" => (new Sequential(new Linear(784, 512, generator: g), new ReLU(), new Linear(512, 256, generator: g),
                new ReLU(), new Linear(256, 10, generator: g)), NeuroCore.Tensor.Randn([256, 784], g), 256),
            "cnn-b64" => (new Sequential(new Conv2d(1, 16, 3, generator: g), new ReLU(), new MaxPool2d(2),
                new Conv2d(16, 32, 3, generator: g), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(800, 10, generator: g)),
                NeuroCore.Tensor.Rand([64, 1, 28, 28], g), 64),
            _ => throw new ArgumentException(Workload),
        };
        var labels = Enumerable.Range(0, batch).Select(i => (long)(i % 10)).ToArray();
        var y = NeuroCore.Tensor.FromArray(labels);
        var opt = new Adam(model.Parameters(), learningRate: 1e-3f);
        _neuro = () =>
        {
            opt.ZeroGrad();
            F.CrossEntropy(model.Call(x), y).Backward();
            opt.Step();
        };

        if (Peers.TorchSharpProblem is null)
        {
            set_num_threads(Threads);
            var tm = Workload.StartsWith("cnn", StringComparison.Ordinal)
                ? TS.torch.nn.Sequential(TS.torch.nn.Conv2d(1, 16, 3), TS.torch.nn.ReLU(), TS.torch.nn.MaxPool2d(2),
                    TS.torch.nn.Conv2d(16, 32, 3), TS.torch.nn.ReLU(), TS.torch.nn.MaxPool2d(2), TS.torch.nn.Flatten(), TS.torch.nn.Linear(800, 10))
                : Workload.Contains("512", StringComparison.Ordinal)
                    ? TS.torch.nn.Sequential(TS.torch.nn.Linear(784, 512), TS.torch.nn.ReLU(), TS.torch.nn.Linear(512, 256), TS.torch.nn.ReLU(), TS.torch.nn.Linear(256, 10))
                    : TS.torch.nn.Sequential(TS.torch.nn.Linear(784, 256), TS.torch.nn.ReLU(), TS.torch.nn.Linear(256, 10));
            var tx = tensor(x.ToArray(), x.Shape.Select(d => (long)d).ToArray());
            var ty = tensor(labels);
            var topt = TS.torch.optim.Adam(tm.parameters(), 1e-3);
            _torch = () =>
            {
                using var scope = NewDisposeScope();
                topt.zero_grad();
                TS.torch.nn.functional.cross_entropy(tm.call(tx), ty).backward();
                topt.step();
            };
        }
    }

    /// <summary>NeuroCore.</summary>
    [Benchmark(Baseline = true)]
    public void NeuroCoreStep() => _neuro();

    /// <summary>TorchSharp (libtorch).</summary>
    [Benchmark]
    public void TorchSharp()
    {
        if (_torch is null) throw new NotSupportedException(Peers.TorchSharpProblem);
        _torch();
    }
}
