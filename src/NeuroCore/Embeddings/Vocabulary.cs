namespace NeuroCore.Embeddings;

/// <summary>The words kept for training (at least a minimum count), most frequent first, with their counts.</summary>
public sealed class Vocabulary
{
    private readonly Dictionary<string, int> _index;

    private Vocabulary(string[] words, long[] counts)
    {
        Words = words;
        Counts = counts;
        _index = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++) _index[words[i]] = i;
        TotalCount = counts.Sum();
    }

    /// <summary>The words, most frequent first (ties in ordinal order).</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>How often each word occurs.</summary>
    public IReadOnlyList<long> Counts { get; }

    /// <summary>Occurrences of all kept words.</summary>
    public long TotalCount { get; }

    /// <summary>Number of words.</summary>
    public int Count => Words.Count;

    /// <summary>The index of <paramref name="word"/>, or −1.</summary>
    public int IndexOf(string word) => _index.TryGetValue(word, out int i) ? i : -1;

    /// <summary>Counts the words of <paramref name="sentences"/> and keeps those seen at least <paramref name="minCount"/> times.</summary>
    /// <exception cref="ArgumentException">No word is frequent enough.</exception>
    public static Vocabulary Build(IEnumerable<IReadOnlyList<string>> sentences, int minCount = 5)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var s in sentences)
            foreach (var w in s) counts[w] = counts.GetValueOrDefault(w) + 1;
        var kept = counts.Where(kv => kv.Value >= minCount).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        if (kept.Length < 2) throw new ArgumentException($"word2vec: only {kept.Length} distinct words occur at least {minCount} times; use a larger corpus or a smaller minimum count.");
        return new Vocabulary(kept.Select(kv => kv.Key).ToArray(), kept.Select(kv => kv.Value).ToArray());
    }
}
