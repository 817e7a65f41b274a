using BenchmarkDotNet.Attributes;
using NeuroCore;
using NeuroCore.Data;
using NeuroCore.IO;

namespace NeuroCore.Benchmarks;

/// <summary>One shuffled pass over a Fashion-MNIST-sized dataset: block-copy fast path vs per-example gathering.</summary>
[MemoryDiagnoser]
public class DataLoaderBenchmarks
{
    private TensorDataset _data = null!;
    private IDataset _generic = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = new TensorDataset(Tensor.Rand([60000, 784], new Generator(0)), Tensor.FromArray(new long[60000]));
        _generic = new Wrapper(_data);
    }

    [Benchmark(Baseline = true)]
    public int TensorDatasetPass() => Pass(new DataLoader(_data, 128, shuffle: true, seed: 1));

    [Benchmark]
    public int GenericDatasetPass() => Pass(new DataLoader(_generic, 128, shuffle: true, seed: 1));

    private static int Pass(DataLoader loader)
    {
        int n = 0;
        foreach (var b in loader) n += b.Inputs.Size(0);
        return n;
    }

    private sealed class Wrapper(IDataset inner) : IDataset
    {
        public int Count => inner.Count;
        public (Tensor Input, Tensor Target) this[int index] => inner[index];
    }
}

/// <summary>Saving and loading 4 M parameters (16 MB as F32) in safetensors format.</summary>
[MemoryDiagnoser]
public class SafeTensorsBenchmarks
{
    private Dictionary<string, Tensor> _tensors = null!;
    private string _path = null!;
    private string _loadPath = null!;

    [Params(SafeTensorsDType.F32, SafeTensorsDType.F16)]
    public SafeTensorsDType StoreAs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var g = new Generator(0);
        _tensors = new() { ["w1"] = Tensor.Randn([1024, 2048], g), ["w2"] = Tensor.Randn([2048, 1024], g), ["b"] = Tensor.Randn([1024], g) };
        _path = Path.Combine(Path.GetTempPath(), $"neurocore-bench-{Guid.NewGuid():N}.safetensors");
        _loadPath = _path + ".load";
        SafeTensors.Save(_loadPath, _tensors, storeAs: StoreAs);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        File.Delete(_path);
        File.Delete(_loadPath);
    }

    [Benchmark]
    public void Save() => SafeTensors.Save(_path, _tensors, storeAs: StoreAs);

    [Benchmark]
    public int Load() => SafeTensors.Load(_loadPath).Tensors.Count;
}
