using BenchmarkDotNet.Attributes;
using NeuroCore;
using NeuroCore.Kernels;

namespace NeuroCore.Benchmarks;

/// <summary>
/// Element-wise activations and softmax on a [256, 1024] batch: forward alone, and forward + backward
/// (which runs the fused backward kernels). The sigmoid pair compares a fused backward kernel with
/// the same gradient composed from separate tensor ops, the baseline the fused kernels are meant to beat.
/// Run: dotnet run -c Release --project benchmarks/NeuroCore.Benchmarks -- --filter '*ActivationBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class ActivationBenchmarks
{
    private Tensor _x = null!;
    private Tensor _g = null!;
    private Tensor _y = null!;

    [GlobalSetup]
    public void Setup()
    {
        var gen = new Generator(0);
        _x = Tensor.Randn([256, 1024], gen);
        _g = Tensor.Randn([256, 1024], gen);
        _y = _x.Sigmoid();
    }

    private Tensor Leaf()
    {
        var x = _x.Detach();
        x.RequiresGrad = true;
        x.Grad = null;
        return x;
    }

    /// <summary>Exact GELU forward (erf evaluated in double, 4 lanes at a time).</summary>
    [Benchmark] public Tensor GeluExactForward() => _x.Gelu();

    /// <summary>tanh-approximated GELU forward (float, 8/16 lanes).</summary>
    [Benchmark] public Tensor GeluTanhForward() => _x.Gelu(GeluApproximation.Tanh);

    /// <summary>Sigmoid's backward as one fused pass over y and g: g·y·(1 − y).</summary>
    [Benchmark]
    public Tensor SigmoidBackwardFused() => Tensor.Zip(_y, _g, "sigmoid_backward", ActivationKernels.SigmoidBackward);

    /// <summary>The same gradient from three separate tensor ops (the composed baseline).</summary>
    [Benchmark(Baseline = true)]
    public Tensor SigmoidBackwardComposed() => _g * _y * (1f - _y);

    /// <summary>Softmax over the last (contiguous) dimension, forward + backward.</summary>
    [Benchmark]
    public Tensor? SoftmaxLastDimForwardBackward()
    {
        var x = Leaf();
        x.Softmax(-1).Backward(_g);
        return x.Grad;
    }

    /// <summary>Softmax over dimension 0 (strided slices, vectorized across columns), forward + backward.</summary>
    [Benchmark]
    public Tensor? SoftmaxDim0ForwardBackward()
    {
        var x = Leaf();
        x.Softmax(0).Backward(_g);
        return x.Grad;
    }
}
