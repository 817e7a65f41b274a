using BenchmarkDotNet.Attributes;
using static TorchSharp.torch;

namespace NeuroCore.PeerBenchmarks;

/// <summary>Square and training-shaped float32 matrix products, 1 and 2 threads, on each library.</summary>
[MemoryDiagnoser]
[Config(typeof(GflopsConfig))]
public class MatMulPeers
{
    /// <summary>The product's shape as M×K·K×N.</summary>
    [Params("512x512x512", "1024x1024x1024", "2048x2048x2048", "64x784x256", "256x784x512")]
    public string Shape { get; set; } = "";

    /// <summary>Threads each library may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    private int _m, _k, _n;
    private NeuroCore.Tensor _a = null!, _b = null!;
    private float[] _fa = [], _fb = [], _fc = [];
    private TorchSharp.torch.Tensor? _ta, _tb;

    [GlobalSetup]
    public void Setup()
    {
        var dims = Shape.Split('x').Select(int.Parse).ToArray();
        (_m, _k, _n) = (dims[0], dims[1], dims[2]);
        var g = new Generator(0);
        _a = NeuroCore.Tensor.Randn([_m, _k], g);
        _b = NeuroCore.Tensor.Randn([_k, _n], g);
        _fa = _a.ToArray();
        _fb = _b.ToArray();
        _fc = new float[_m * _n];
        Parallelism.MaxThreads = Threads;
        if (Peers.OpenBlasProblem is null) OpenBlas.SetThreads(Threads);
        if (Peers.TorchSharpProblem is null)
        {
            set_num_threads(Threads);
            _ta = tensor(_fa, [_m, _k]);
            _tb = tensor(_fb, [_k, _n]);
        }
    }

    /// <summary>NeuroCore's managed GEMM.</summary>
    [Benchmark(Baseline = true)]
    public float NeuroCoreGemm() => _a.MatMul(_b)[0, 0];

    /// <summary>NeuroCore's GEMM kernel into a preallocated output, as cblas_sgemm is called below (MatMul above also
    /// allocates its result, which for outputs of 85 KB and more comes from the GC's large-object heap).</summary>
    [Benchmark]
    public float NeuroCoreGemmInto()
    {
        NeuroCore.Kernels.Gemm.Multiply(false, false, _m, _n, _k, 1f, _fa, _k, _fb, _n, 0f, _fc, _n, Threads);
        return _fc[0];
    }

    /// <summary>OpenBLAS cblas_sgemm into a preallocated output.</summary>
    [Benchmark]
    public float OpenBLAS()
    {
        if (Peers.OpenBlasProblem is not null) throw new NotSupportedException(Peers.OpenBlasProblem);
        OpenBlas.Sgemm(_m, _n, _k, _fa, _fb, _fc);
        return _fc[0];
    }

    /// <summary>TorchSharp (libtorch) matmul.</summary>
    [Benchmark]
    public float TorchSharp()
    {
        if (Peers.TorchSharpProblem is not null) throw new NotSupportedException(Peers.TorchSharpProblem);
        using var c = matmul(_ta!, _tb!);
        return c[0, 0].item<float>();
    }

    /// <summary>Floating-point operations of one product (2·M·N·K), for the GFLOP/s column.</summary>
    public double Flops => 2.0 * _m * _n * _k;
}
