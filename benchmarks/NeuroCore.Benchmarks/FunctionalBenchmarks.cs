using BenchmarkDotNet.Attributes;
using NeuroCore;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Benchmarks;

/// <summary>
/// Forward + backward of the fused nn.functional ops (losses, normalization, embedding, dropout) at
/// typical training sizes, and the fused MSE against the same loss composed from element-wise ops.
/// Run: dotnet run -c Release --project benchmarks/NeuroCore.Benchmarks -- --filter '*FunctionalBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class FunctionalBenchmarks
{
    private Tensor _logits = null!, _classes = null!;
    private Tensor _a = null!, _b = null!;
    private Tensor _tokens = null!, _table = null!;
    private Tensor _rows = null!, _gamma = null!, _beta = null!;
    private Tensor _maps = null!, _channelWeight = null!, _channelBias = null!;
    private Tensor _activations = null!;

    [GlobalSetup]
    public void Setup()
    {
        var g = new Generator(0);
        _logits = Leaf(Tensor.Randn([256, 1000], g));
        var t = new long[256];
        for (int i = 0; i < t.Length; i++) t[i] = g.NextInt(1000);
        _classes = Tensor.FromArray(t, 256);
        _a = Leaf(Tensor.Randn([256, 1024], g));
        _b = Tensor.Randn([256, 1024], g);
        var tokens = new long[64 * 128];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = g.NextInt(10_000);
        _tokens = Tensor.FromArray(tokens, 64, 128);
        _table = Leaf(Tensor.Randn([10_000, 128], g));
        _rows = Leaf(Tensor.Randn([512, 768], g));
        _gamma = Leaf(Tensor.Ones(768));
        _beta = Leaf(Tensor.Zeros(768));
        _maps = Leaf(Tensor.Randn([32, 64, 16, 16], g));
        _channelWeight = Leaf(Tensor.Ones(64));
        _channelBias = Leaf(Tensor.Zeros(64));
        _activations = Leaf(Tensor.Randn([256, 1024], g));
    }

    private static Tensor Leaf(Tensor t)
    {
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>Cross entropy, 256 × 1000 classes.</summary>
    [Benchmark(Description = "CrossEntropy [256, 1000] fwd+bwd")]
    public Tensor CrossEntropy()
    {
        _logits.Grad = null;
        var loss = F.CrossEntropy(_logits, _classes);
        loss.Backward();
        return loss;
    }

    /// <summary>Fused MSE, 256 × 1024.</summary>
    [Benchmark(Description = "MseLoss fused [256, 1024] fwd+bwd")]
    public Tensor MseFused()
    {
        _a.Grad = null;
        var loss = F.MseLoss(_a, _b);
        loss.Backward();
        return loss;
    }

    /// <summary>The same MSE as ((a − b)·(a − b)).Mean(): three graph nodes and their temporaries.</summary>
    [Benchmark(Description = "MseLoss composed [256, 1024] fwd+bwd", Baseline = true)]
    public Tensor MseComposed()
    {
        _a.Grad = null;
        var d = _a - _b;
        var loss = (d * d).Mean();
        loss.Backward();
        return loss;
    }

    /// <summary>Embedding lookup of 64 × 128 tokens in a 10 000 × 128 table.</summary>
    [Benchmark(Description = "Embedding [64, 128] from [10000, 128] fwd+bwd")]
    public Tensor Embedding()
    {
        _table.Grad = null;
        var y = F.Embedding(_tokens, _table).Sum();
        y.Backward();
        return y;
    }

    /// <summary>Layer norm over 768 features, 512 rows.</summary>
    [Benchmark(Description = "LayerNorm [512, 768] fwd+bwd")]
    public Tensor LayerNorm()
    {
        _rows.Grad = _gamma.Grad = _beta.Grad = null;
        var y = F.LayerNorm(_rows, _gamma, _beta).Sum();
        y.Backward();
        return y;
    }

    /// <summary>Training-mode batch norm of 32 × 64 × 16 × 16 feature maps.</summary>
    [Benchmark(Description = "BatchNorm train [32, 64, 16, 16] fwd+bwd")]
    public Tensor BatchNorm2d()
    {
        _maps.Grad = _channelWeight.Grad = _channelBias.Grad = null;
        var y = F.BatchNorm(_maps, null, null, _channelWeight, _channelBias, training: true).Sum();
        y.Backward();
        return y;
    }

    /// <summary>Dropout p = 0.5 on 256 × 1024 activations.</summary>
    [Benchmark(Description = "Dropout p=0.5 [256, 1024] fwd+bwd")]
    public Tensor Dropout()
    {
        _activations.Grad = null;
        var y = F.Dropout(_activations, 0.5f, training: true, new Generator(1)).Sum();
        y.Backward();
        return y;
    }
}
