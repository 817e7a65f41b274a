using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using static TorchSharp.torch;

namespace NeuroCore.PeerBenchmarks;

/// <summary>
/// Memory-bound element-wise work side by side: c = a + b into a new 16M-float tensor (the output is
/// dropped, as a temporary in user code is), a += b in place on 16M floats, ReLU in place on 1M floats.
/// The GB/s column counts every operand read and written (4 bytes a float) over the mean time.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ElementwiseConfig))]
public class ElementwisePeers
{
    private const int Large = 16 << 20;
    private const int Small = 1 << 20;

    /// <summary>Bytes one invocation of each workload reads and writes.</summary>
    public static readonly Dictionary<string, double> Bytes = new()
    {
        ["add-new-16M"] = 3.0 * Large * 4,
        ["add-inplace-16M"] = 3.0 * Large * 4,
        ["relu-inplace-1M"] = 2.0 * Small * 4,
    };

    /// <summary>The workload.</summary>
    [Params("add-new-16M", "add-inplace-16M", "relu-inplace-1M")]
    public string Work { get; set; } = "";

    /// <summary>Threads each library may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    private NeuroCore.Tensor _a = null!, _b = null!;
    private TorchSharp.torch.Tensor? _ta, _tb;

    [GlobalSetup]
    public void Setup()
    {
        int n = Work.EndsWith("1M", StringComparison.Ordinal) ? Small : Large;
        var g = new Generator(0);
        _a = NeuroCore.Tensor.Randn([n], g);
        _b = NeuroCore.Tensor.Randn([n], g);
        Parallelism.MaxThreads = Threads;
        if (Peers.TorchSharpProblem is null)
        {
            set_num_threads(Threads);
            _ta = tensor(_a.ToArray(), [n]);
            _tb = tensor(_b.ToArray(), [n]);
        }
    }

    /// <summary>NeuroCore.</summary>
    [Benchmark(Baseline = true)]
    public object NeuroCoreOp() => Work switch
    {
        "add-new-16M" => _a + _b,
        "add-inplace-16M" => _a.AddInPlace(_b),
        _ => _a.ReluInPlace(),
    };

    /// <summary>TorchSharp (libtorch).</summary>
    [Benchmark]
    public object TorchSharp()
    {
        if (_ta is null) throw new NotSupportedException(Peers.TorchSharpProblem);
        switch (Work)
        {
            case "add-new-16M":
                using (var c = _ta + _tb!) return c.shape;
            case "add-inplace-16M":
                return _ta.add_(_tb!).shape;
            default:
                return _ta.relu_().shape;
        }
    }
}

/// <summary>Adds the GB/s column of <see cref="ElementwisePeers"/>.</summary>
public sealed class ElementwiseConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public ElementwiseConfig() => AddColumn(new RateColumn("GB/s", "Bytes of every operand read and written / Mean, in 10^9 bytes per second",
        c => c.Parameters["Work"] is string work && ElementwisePeers.Bytes.TryGetValue(work, out var bytes) ? bytes : null));
}
