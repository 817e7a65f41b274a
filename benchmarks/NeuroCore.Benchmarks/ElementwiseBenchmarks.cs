using System.Numerics.Tensors;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NeuroCore;

namespace NeuroCore.Benchmarks;

/// <summary>
/// Memory-bound element-wise work from the performance issue: c = a + b into a new 16M-float tensor,
/// a += b in place on 16M floats, ReLU in place on 1M floats (cache resident), each next to the same
/// work done by a raw <see cref="TensorPrimitives"/> call on one thread for reference. The GB/s column
/// counts the bytes of every operand read and written (4 bytes per float) divided by the mean time.
/// Run: dotnet run -c Release --project benchmarks/NeuroCore.Benchmarks -- --filter '*ElementwiseBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GigabytesPerSecondConfig))]
public class ElementwiseBenchmarks
{
    private const int Large = 16 << 20; // 16M floats = 64 MiB per operand: well beyond the 32 MiB L3
    private const int Small = 1 << 20;  // 1M floats = 4 MiB: resident in L3

    private Tensor _a = null!, _b = null!, _x = null!, _r = null!;
    private float[] _aArr = null!, _bArr = null!, _xArr = null!, _rArr = null!, _cArr = null!;

    /// <summary>Threads NeuroCore may use (<see cref="Parallelism.MaxThreads"/>); the TensorPrimitives rows always use one.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Random operands; the TensorPrimitives rows get their own arrays.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Parallelism.MaxThreads = Threads;
        var g = new Generator(0);
        _a = Tensor.Randn([Large], g);
        _b = Tensor.Randn([Large], g);
        _x = Tensor.Randn([Large], g);
        _r = Tensor.Randn([Small], g);
        _aArr = _a.ToArray();
        _bArr = _b.ToArray();
        _xArr = _x.ToArray();
        _rArr = _r.ToArray();
        _cArr = new float[Large];
    }

    /// <summary>c = a + b, 16M floats, new output tensor (reads 2, writes 1).</summary>
    [Benchmark(Description = "c = a + b, 16M, new output")]
    [BytesMoved(3L * Large * sizeof(float))]
    public Tensor AddNew16M() => _a + _b;

    /// <summary>The same with a fresh array per call and one TensorPrimitives.Add.</summary>
    [Benchmark(Description = "c = a + b, 16M, new array, TensorPrimitives")]
    [BytesMoved(3L * Large * sizeof(float))]
    public float[] AddNew16MTensorPrimitives()
    {
        var c = new float[Large];
        TensorPrimitives.Add(_aArr, _bArr, c);
        return c;
    }

    /// <summary>c = a + b into a reused array: what a storage pool would make of the new-output case.</summary>
    [Benchmark(Description = "c = a + b, 16M, reused array, TensorPrimitives")]
    [BytesMoved(3L * Large * sizeof(float))]
    public float[] AddReused16MTensorPrimitives()
    {
        TensorPrimitives.Add(_aArr, _bArr, _cArr);
        return _cArr;
    }

    /// <summary>a += b in place, 16M floats (reads 2, writes 1).</summary>
    [Benchmark(Description = "a += b, 16M, in place")]
    [BytesMoved(3L * Large * sizeof(float))]
    public Tensor AddInPlace16M() => _x.AddInPlace(_b);

    /// <summary>The same with one TensorPrimitives.Add(x, b, x).</summary>
    [Benchmark(Description = "a += b, 16M, in place, TensorPrimitives")]
    [BytesMoved(3L * Large * sizeof(float))]
    public float[] AddInPlace16MTensorPrimitives()
    {
        TensorPrimitives.Add(_xArr, _bArr, _xArr);
        return _xArr;
    }

    /// <summary>ReLU in place, 1M floats (reads 1, writes 1).</summary>
    [Benchmark(Description = "ReLU in place, 1M")]
    [BytesMoved(2L * Small * sizeof(float))]
    public Tensor ReluInPlace1M() => _r.ReluInPlace();

    /// <summary>The same with one TensorPrimitives.Max(x, 0, x).</summary>
    [Benchmark(Description = "ReLU in place, 1M, TensorPrimitives")]
    [BytesMoved(2L * Small * sizeof(float))]
    public float[] ReluInPlace1MTensorPrimitives()
    {
        TensorPrimitives.Max(_rArr, 0f, _rArr);
        return _rArr;
    }
}

/// <summary>The bytes one invocation of a benchmark method reads and writes, for the GB/s column.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BytesMovedAttribute(long bytes) : Attribute
{
    /// <summary>Bytes read plus bytes written per invocation.</summary>
    public long Bytes { get; } = bytes;
}
