namespace NeuroCore.Data;

/// <summary>A view of selected examples of another dataset, like <c>torch.utils.data.Subset</c>.</summary>
public sealed class Subset : IDataset
{
    private readonly int[] _indices;

    /// <summary>Creates a subset of <paramref name="dataset"/> holding the examples at <paramref name="indices"/> (in that order).</summary>
    public Subset(IDataset dataset, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        _indices = indices.ToArray();
        foreach (var i in _indices)
            if ((uint)i >= (uint)dataset.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"Subset: index {i} is out of range for a dataset of {dataset.Count} examples.");
        Dataset = dataset;
    }

    /// <summary>The underlying dataset.</summary>
    public IDataset Dataset { get; }

    /// <summary>The underlying dataset's indices of this subset's examples.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <inheritdoc />
    public int Count => _indices.Length;

    /// <inheritdoc />
    public (Tensor Input, Tensor Target) this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_indices.Length)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"Subset: index {index} is out of range for {_indices.Length} examples.");
            return Dataset[_indices[index]];
        }
    }

    /// <summary>
    /// Splits <paramref name="dataset"/> into disjoint random subsets with the given <paramref name="fractions"/>
    /// (which must sum to 1), like <c>torch.utils.data.random_split</c>: each part gets floor(fraction·N)
    /// examples and the remainder is handed out one by one from the first part on.
    /// </summary>
    /// <example><c>var parts = Subset.RandomSplit(data, [0.8, 0.2], seed: 1); // parts[0]: training, parts[1]: validation</c></example>
    public static Subset[] RandomSplit(IDataset dataset, IReadOnlyList<double> fractions, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(fractions);
        if (fractions.Count == 0) throw new ArgumentException("RandomSplit: give at least one fraction.", nameof(fractions));
        double sum = 0;
        foreach (var f in fractions)
        {
            if (!(f >= 0 && f <= 1)) throw new ArgumentException($"RandomSplit: fraction {f} is not in [0, 1].", nameof(fractions));
            sum += f;
        }
        // A tolerance for decimal fractions such as 0.7 + 0.2 + 0.1 that do not add to exactly 1 in binary.
        if (Math.Abs(sum - 1) > 1e-6)
            throw new ArgumentException($"RandomSplit: fractions [{string.Join(", ", fractions)}] sum to {sum}, not 1.", nameof(fractions));
        int n = dataset.Count;
        var lengths = fractions.Select(f => (int)Math.Floor(n * f)).ToArray();
        int remainder = n - lengths.Sum();
        for (int i = 0; remainder > 0; i = (i + 1) % lengths.Length, remainder--) lengths[i]++;
        return RandomSplit(dataset, lengths, seed);
    }

    /// <summary>Splits <paramref name="dataset"/> into disjoint random subsets of the given <paramref name="lengths"/> (which must sum to its count).</summary>
    public static Subset[] RandomSplit(IDataset dataset, IReadOnlyList<int> lengths, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(lengths);
        if (lengths.Any(l => l < 0) || lengths.Sum() != dataset.Count)
            throw new ArgumentException($"RandomSplit: lengths [{string.Join(", ", lengths)}] must be non-negative and sum to the dataset's {dataset.Count} examples.", nameof(lengths));
        var perm = Enumerable.Range(0, dataset.Count).ToArray();
        new Generator(seed).Shuffle(perm.AsSpan());
        var parts = new Subset[lengths.Count];
        int start = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = new Subset(dataset, perm[start..(start + lengths[i])]);
            start += lengths[i];
        }
        return parts;
    }
}
