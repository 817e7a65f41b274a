using System.Collections;
using NeuroCore.Kernels;
using NeuroCore.Layout;

namespace NeuroCore.Data;

/// <summary>Iterates a dataset in mini-batches (optionally shuffled with a seed), like <c>DataLoader</c>.</summary>
/// <remarks>
/// Each enumeration is one pass (epoch) over the data. With shuffling, pass k uses a permutation that
/// depends only on (seed, k), so a run is reproducible and can be resumed by setting <see cref="Epoch"/>.
/// Batches are fresh tensors: rows are copied from the dataset, straight from the storage of a
/// <see cref="TensorDataset"/> (or a <see cref="Subset"/> of one) without per-example tensors.
/// </remarks>
public sealed class DataLoader : IEnumerable<Batch>
{
    private readonly int _batchSize;
    private readonly bool _shuffle;
    private readonly bool _dropLast;
    private readonly int _seed;
    // Fast path: the TensorDataset under the dataset and, for a Subset chain, the index map into it.
    private readonly TensorDataset? _tensors;
    private readonly int[]? _indexMap;

    /// <summary>Creates a loader. With <paramref name="shuffle"/>, each pass uses a new permutation drawn from <paramref name="seed"/>.</summary>
    public DataLoader(IDataset dataset, int batchSize, bool shuffle = false, bool dropLast = false, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"DataLoader: batchSize must be positive, got {batchSize}.");
        Dataset = dataset;
        _batchSize = batchSize;
        _shuffle = shuffle;
        _dropLast = dropLast;
        _seed = seed;
        (_tensors, _indexMap) = Resolve(dataset);
    }

    /// <summary>Number of batches one pass yields.</summary>
    public int BatchCount => _dropLast ? Dataset.Count / _batchSize : (Dataset.Count + _batchSize - 1) / _batchSize;

    /// <summary>The dataset.</summary>
    public IDataset Dataset { get; }

    /// <summary>The batch size (the last batch may be smaller unless dropLast was set).</summary>
    public int BatchSize => _batchSize;

    /// <summary>
    /// The number of the next pass (0 before the first enumeration; each enumeration increments it).
    /// Set it to resume a shuffled run at a given epoch with the same permutations.
    /// </summary>
    public int Epoch { get; set; }

    /// <summary>The order in which pass <paramref name="epoch"/> visits the examples (identity without shuffling).</summary>
    public int[] Order(int epoch)
    {
        var order = Enumerable.Range(0, Dataset.Count).ToArray();
        if (_shuffle) new Generator(PassSeed(_seed, epoch)).Shuffle(order.AsSpan());
        return order;
    }

    /// <inheritdoc />
    public IEnumerator<Batch> GetEnumerator()
    {
        var order = Order(Epoch++);
        return Batches(order);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerator<Batch> Batches(int[] order)
    {
        int batches = _dropLast ? order.Length / _batchSize : (order.Length + _batchSize - 1) / _batchSize;
        for (int b = 0; b < batches; b++)
        {
            int start = b * _batchSize;
            var idx = order.AsSpan(start, Math.Min(_batchSize, order.Length - start)).ToArray();
            yield return _tensors is not null ? GatherRows(_tensors, _indexMap, idx) : Gather(Dataset, idx);
        }
    }

    /// <summary>
    /// Mixes the seed and the pass number into an independent seed (SplitMix64 finalizer), so passes do not
    /// share a random stream and pass k can be regenerated without replaying passes 0..k−1.
    /// </summary>
    internal static int PassSeed(int seed, int epoch)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)epoch) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }

    private static (TensorDataset?, int[]?) Resolve(IDataset dataset)
    {
        int[]? map = null;
        while (true)
        {
            switch (dataset)
            {
                case TensorDataset t:
                    return (t, map);
                case Subset s:
                    var inner = s.Indices;
                    map = map is null ? inner.ToArray() : Array.ConvertAll(map, i => inner[i]);
                    dataset = s.Dataset;
                    break;
                default:
                    return (null, null);
            }
        }
    }

    /// <summary>Stacks rows of a TensorDataset: consecutive indices are copied as one block.</summary>
    internal static Batch GatherRows(TensorDataset data, int[]? map, int[] idx)
    {
        if (map is not null)
            for (int i = 0; i < idx.Length; i++) idx[i] = map[idx[i]];
        return new Batch(GatherRows(data.Inputs, idx), GatherRows(data.Targets, idx));
    }

    private static Tensor GatherRows(Tensor source, int[] idx)
    {
        var shape = source.Shape;
        shape[0] = idx.Length;
        int row = source.ShapeRef[0] == 0 ? 0 : source.Numel / source.ShapeRef[0];
        return source.DType == DType.Float32
            ? new Tensor(CopyRows(source.Span, row, idx), shape)
            : new Tensor(CopyRows(source.LongSpan, row, idx), shape);
    }

    private static T[] CopyRows<T>(ReadOnlySpan<T> src, int row, int[] idx)
    {
        var dst = new T[idx.Length * row];
        int i = 0;
        while (i < idx.Length)
        {
            // Extend the run while indices are consecutive (always the whole batch without shuffling).
            int j = i + 1;
            while (j < idx.Length && idx[j] == idx[j - 1] + 1) j++;
            src.Slice(idx[i] * row, (j - i) * row).CopyTo(dst.AsSpan(i * row));
            i = j;
        }
        return dst;
    }

    /// <summary>Stacks examples of any dataset, checking they agree in shape and dtype.</summary>
    internal static Batch Gather(IDataset dataset, int[] idx)
    {
        Tensor inputs = null!, targets = null!, firstInput = null!, firstTarget = null!;
        for (int i = 0; i < idx.Length; i++)
        {
            var example = dataset[idx[i]];
            if (example.Input is null || example.Target is null)
                throw new InvalidOperationException($"DataLoader: example {idx[i]} of the dataset has a null input or target.");
            if (i == 0)
            {
                (firstInput, firstTarget) = example;
                inputs = NewBatch(example.Input, idx.Length);
                targets = NewBatch(example.Target, idx.Length);
            }
            else
            {
                Check(firstInput, example.Input, idx[0], idx[i], "input");
                Check(firstTarget, example.Target, idx[0], idx[i], "target");
            }
            CopyInto(example.Input, inputs, i);
            CopyInto(example.Target, targets, i);
        }
        return new Batch(inputs, targets);
    }

    private static Tensor NewBatch(Tensor example, int batch)
    {
        int[] shape = [batch, .. example.ShapeRef];
        return example.DType == DType.Float32
            ? new Tensor(new float[ShapeUtil.Numel(shape)], shape)
            : new Tensor(new long[ShapeUtil.Numel(shape)], shape);
    }

    private static void Check(Tensor first, Tensor other, int firstIndex, int index, string what)
    {
        if (other.DType != first.DType || !other.ShapeRef.AsSpan().SequenceEqual(first.ShapeRef))
            throw new InvalidOperationException(
                $"DataLoader: cannot stack a batch: example {index} has {what} {other.DType} {ShapeUtil.Format(other.ShapeRef)} " +
                $"but example {firstIndex} has {first.DType} {ShapeUtil.Format(first.ShapeRef)}; all examples in a batch must agree.");
    }

    private static void CopyInto(Tensor example, Tensor batch, int i)
    {
        int n = example.Numel;
        if (example.DType == DType.Float32)
            ElementwiseKernels.Copy(example.Storage, example.StridesRef, example.Offset, example.ShapeRef, batch.Storage.AsSpan(i * n, n));
        else
            ElementwiseKernels.Copy(example.LongStorage, example.StridesRef, example.Offset, example.ShapeRef, batch.LongStorage.AsSpan(i * n, n));
    }
}
