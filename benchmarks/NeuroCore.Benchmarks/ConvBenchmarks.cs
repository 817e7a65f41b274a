using BenchmarkDotNet.Attributes;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Benchmarks;

/// <summary>One convolution layer of the small MNIST CNN, batch 64.</summary>
public sealed record ConvShape(string Name, int N, int C, int H, int W, int O, int K) : IFlopCount
{
    public int Oh => H - K + 1;
    public int Ow => W - K + 1;
    /// <summary>Forward multiply-adds ×2 (backward is about twice this again).</summary>
    public double Flops => 2.0 * N * O * Oh * Ow * C * K * K;
    public override string ToString() => Name;
}

/// <summary>
/// Conv2d forward and forward+backward for the small CNN's layers (conv 1→16 3×3 on 28×28, conv 16→32 3×3
/// on 13×13, batch 64), on 1 and 2 threads. GFLOP/s counts the forward's operations only.
/// </summary>
[Config(typeof(GflopsConfig))]
[MemoryDiagnoser]
public class ConvBenchmarks
{
    public static IEnumerable<ConvShape> Shapes() =>
    [
        new("conv1 64x1x28x28 k3 o16", 64, 1, 28, 28, 16, 3),
        new("conv2 64x16x13x13 k3 o32", 64, 16, 13, 13, 32, 3),
    ];

    [ParamsSource(nameof(Shapes))]
    public ConvShape Layer { get; set; } = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    private Tensor _x = null!, _w = null!, _b = null!, _g = null!;
    private int _savedThreads;

    [GlobalSetup]
    public void Setup()
    {
        _savedThreads = Parallelism.MaxThreads;
        Parallelism.MaxThreads = Threads;
        var gen = new Generator(1);
        var l = Layer;
        _x = Tensor.Randn([l.N, l.C, l.H, l.W], gen);
        _w = Tensor.Randn([l.O, l.C, l.K, l.K], gen);
        _b = Tensor.Randn([l.O], gen);
        _g = Tensor.Randn([l.N, l.O, l.Oh, l.Ow], gen);
        _w.RequiresGrad = true;
        _b.RequiresGrad = true;
    }

    [GlobalCleanup]
    public void Cleanup() => Parallelism.MaxThreads = _savedThreads;

    [Benchmark]
    public Tensor Forward()
    {
        using var _ = Autograd.GradMode.NoGrad();
        return F.Conv2d(_x, _w, _b);
    }

    [Benchmark]
    public Tensor ForwardBackward()
    {
        _x.Grad = null;
        _w.Grad = null;
        _b.Grad = null;
        // x requires grad too, as for a conv layer in the middle of a network.
        var x = _x.Detach();
        x.RequiresGrad = true;
        F.Conv2d(x, _w, _b).Backward(_g);
        return _w.Grad!;
    }
}
