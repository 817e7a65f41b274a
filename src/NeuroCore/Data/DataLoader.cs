using System.Collections;

namespace NeuroCore.Data;

/// <summary>Iterates a dataset in mini-batches (optionally shuffled with a seed), like <c>DataLoader</c>.</summary>
public sealed class DataLoader : IEnumerable<Batch>
{
    /// <summary>Creates a loader. With <paramref name="shuffle"/>, each pass uses a new permutation drawn from <paramref name="seed"/>.</summary>
    public DataLoader(IDataset dataset, int batchSize, bool shuffle = false, bool dropLast = false, int seed = 0) =>
        throw new NotImplementedException("DataLoader");

    /// <summary>Number of batches one pass yields.</summary>
    public int BatchCount => throw new NotImplementedException();

    /// <summary>The dataset.</summary>
    public IDataset Dataset => throw new NotImplementedException();

    /// <inheritdoc />
    public IEnumerator<Batch> GetEnumerator() => throw new NotImplementedException();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
