using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;

namespace NeuroCore.Benchmarks;

/// <summary>One FMA-throughput measurement: vector width and thread count.</summary>
public sealed record FmaLoop(int Bits, int Threads) : IFlopCount
{
    /// <summary>Loop trips per thread per invocation.</summary>
    public const int Iterations = 1 << 20;

    /// <summary>Independent accumulators: enough to cover 4-cycle FMA latency on 2 pipes with margin.</summary>
    public const int Chains = 16;

    /// <inheritdoc />
    public double Flops => 2.0 * Threads * Iterations * Chains * (Bits / 32);

    /// <inheritdoc />
    public override string ToString() => $"{Bits}-bit, {Threads}T";
}

/// <summary>
/// The machine's fused multiply-add peak, measured rather than assumed: 16 independent FMA chains per
/// thread on registers only (no memory traffic), run on NeuroCore's own worker threads
/// (<see cref="Parallelism"/>) like the GEMM. "Percent of peak" in docs/performance.md divides a GEMM's
/// GFLOP/s by this benchmark's figure for the same width and thread count, from the same run.
/// Run: dotnet run -c Release --project benchmarks/NeuroCore.Benchmarks -- --filter '*FmaPeakBenchmarks*' --job short
/// </summary>
[Config(typeof(GflopsConfig))]
public class FmaPeakBenchmarks
{
    /// <summary>The widths this machine runs, on 1 and 2 threads.</summary>
    public static IEnumerable<FmaLoop> Loops()
    {
        foreach (int threads in new[] { 1, 2 })
        {
            if (Avx512F.IsSupported) yield return new FmaLoop(512, threads);
            if (Fma.IsSupported) yield return new FmaLoop(256, threads);
        }
    }

    /// <summary>The measurement.</summary>
    [ParamsSource(nameof(Loops))]
    public FmaLoop Loop { get; set; } = null!;

    private float _sink;

    /// <summary>Runs <see cref="FmaLoop.Iterations"/> trips of 16 FMAs on every thread.</summary>
    [Benchmark]
    public float Peak()
    {
        var loop = Loop;
        Parallelism.For(loop.Threads, _ => _sink = loop.Bits == 512 ? Chains512(FmaLoop.Iterations) : Chains256(FmaLoop.Iterations), loop.Threads);
        return _sink;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains512(int iterations)
    {
        var a = Vector512.Create(0.999f);
        var b = Vector512.Create(1e-3f);
        Vector512<float> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a;
        Vector512<float> c8 = a, c9 = a, c10 = a, c11 = a, c12 = a, c13 = a, c14 = a, c15 = a;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Avx512F.FusedMultiplyAdd(c0, a, b); c1 = Avx512F.FusedMultiplyAdd(c1, a, b);
            c2 = Avx512F.FusedMultiplyAdd(c2, a, b); c3 = Avx512F.FusedMultiplyAdd(c3, a, b);
            c4 = Avx512F.FusedMultiplyAdd(c4, a, b); c5 = Avx512F.FusedMultiplyAdd(c5, a, b);
            c6 = Avx512F.FusedMultiplyAdd(c6, a, b); c7 = Avx512F.FusedMultiplyAdd(c7, a, b);
            c8 = Avx512F.FusedMultiplyAdd(c8, a, b); c9 = Avx512F.FusedMultiplyAdd(c9, a, b);
            c10 = Avx512F.FusedMultiplyAdd(c10, a, b); c11 = Avx512F.FusedMultiplyAdd(c11, a, b);
            c12 = Avx512F.FusedMultiplyAdd(c12, a, b); c13 = Avx512F.FusedMultiplyAdd(c13, a, b);
            c14 = Avx512F.FusedMultiplyAdd(c14, a, b); c15 = Avx512F.FusedMultiplyAdd(c15, a, b);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains256(int iterations)
    {
        var a = Vector256.Create(0.999f);
        var b = Vector256.Create(1e-3f);
        Vector256<float> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a;
        Vector256<float> c8 = a, c9 = a, c10 = a, c11 = a, c12 = a, c13 = a, c14 = a, c15 = a;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Fma.MultiplyAdd(c0, a, b); c1 = Fma.MultiplyAdd(c1, a, b);
            c2 = Fma.MultiplyAdd(c2, a, b); c3 = Fma.MultiplyAdd(c3, a, b);
            c4 = Fma.MultiplyAdd(c4, a, b); c5 = Fma.MultiplyAdd(c5, a, b);
            c6 = Fma.MultiplyAdd(c6, a, b); c7 = Fma.MultiplyAdd(c7, a, b);
            c8 = Fma.MultiplyAdd(c8, a, b); c9 = Fma.MultiplyAdd(c9, a, b);
            c10 = Fma.MultiplyAdd(c10, a, b); c11 = Fma.MultiplyAdd(c11, a, b);
            c12 = Fma.MultiplyAdd(c12, a, b); c13 = Fma.MultiplyAdd(c13, a, b);
            c14 = Fma.MultiplyAdd(c14, a, b); c15 = Fma.MultiplyAdd(c15, a, b);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }
}
