using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NeuroCore.Kernels;

namespace NeuroCore.Benchmarks;

/// <summary>One GEMM shape: C[M×N] = op(A)[M×K] · op(B)[K×N].</summary>
public sealed record GemmShape(string Name, int M, int N, int K, bool TransA, bool TransB)
{
    public double Flops => 2.0 * M * N * K;
    public override string ToString() => Name;
}

/// <summary>
/// The packed GEMM on square sizes and on the shapes of training a 784→256 linear layer with batch 64 and a
/// 784→512 one with batch 256 (forward x·Wᵀ, dx = g·W, dW = gᵀ·x), on 1 and 2 threads. The GFLOP/s column is
/// 2·M·N·K / mean time; divide by <see cref="FmaPeakBenchmarks"/>' 512-bit figure of the same run for the percent of peak.
/// </summary>
[Config(typeof(GflopsConfig))]
[MemoryDiagnoser]
public class MatMulBenchmarks
{
    public static IEnumerable<GemmShape> Shapes() =>
    [
        new("square 128", 128, 128, 128, false, false),
        new("square 256", 256, 256, 256, false, false),
        new("square 512", 512, 512, 512, false, false),
        new("square 1024", 1024, 1024, 1024, false, false),
        new("square 2048", 2048, 2048, 2048, false, false),
        new("fwd 64x784·(256x784)T", 64, 256, 784, false, true),
        new("dx 64x256·256x784", 64, 784, 256, false, false),
        new("dW (64x256)T·64x784", 256, 784, 64, true, false),
        new("fwd 256x784·(512x784)T", 256, 512, 784, false, true),
        new("dx 256x512·512x784", 256, 784, 512, false, false),
        new("dW (256x512)T·256x784", 512, 784, 256, true, false),
    ];

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    private float[] _a = [], _b = [], _c = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _a = Enumerable.Range(0, Shape.M * Shape.K).Select(_ => (float)rng.NextDouble()).ToArray();
        _b = Enumerable.Range(0, Shape.K * Shape.N).Select(_ => (float)rng.NextDouble()).ToArray();
        _c = new float[Shape.M * Shape.N];
    }

    [Benchmark]
    public void Gemm()
    {
        var s = Shape;
        Kernels.Gemm.Multiply(s.TransA, s.TransB, s.M, s.N, s.K, 1f, _a, s.TransA ? s.M : s.K, _b, s.TransB ? s.K : s.N, 0f, _c, s.N, Threads);
    }
}
