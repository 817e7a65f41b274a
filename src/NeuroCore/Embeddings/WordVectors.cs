using System.Numerics.Tensors;

namespace NeuroCore.Embeddings;

/// <summary>One vector per word, with nearest-neighbour and analogy queries by cosine similarity.</summary>
public sealed class WordVectors
{
    private readonly Dictionary<string, int> _index;
    private readonly float[] _unit;

    /// <summary>Wraps <paramref name="vectors"/> (words.Count × <paramref name="dimensions"/>, not copied).</summary>
    /// <exception cref="ArgumentException">Sizes disagree or a word repeats.</exception>
    public WordVectors(IReadOnlyList<string> words, float[] vectors, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(vectors);
        if (dimensions < 1 || (long)words.Count * dimensions != vectors.Length)
            throw new ArgumentException($"Word vectors: {words.Count} words × {dimensions} dimensions ≠ {vectors.Length} values.");
        Words = words;
        Vectors = vectors;
        Dimensions = dimensions;
        _index = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
        for (int i = 0; i < words.Count; i++)
            if (!_index.TryAdd(words[i], i)) throw new ArgumentException($"Word vectors: the word '{words[i]}' appears twice.");
        _unit = new float[vectors.Length];
        for (int i = 0; i < words.Count; i++)
        {
            var row = vectors.AsSpan(i * dimensions, dimensions);
            float norm = TensorPrimitives.Norm(row);
            if (norm > 0) TensorPrimitives.Divide(row, norm, _unit.AsSpan(i * dimensions, dimensions));
        }
    }

    /// <summary>The words, in vector order.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The vectors, row-major.</summary>
    public float[] Vectors { get; }

    /// <summary>Vector length.</summary>
    public int Dimensions { get; }

    /// <summary>Whether <paramref name="word"/> has a vector.</summary>
    public bool Contains(string word) => _index.ContainsKey(word);

    /// <summary>The vector of <paramref name="word"/>.</summary>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    public ReadOnlySpan<float> this[string word] => Vectors.AsSpan(Index(word) * Dimensions, Dimensions);

    private int Index(string word) =>
        _index.TryGetValue(word, out int i) ? i : throw new KeyNotFoundException($"Word vectors: '{word}' is not in the vocabulary ({Words.Count} words).");

    /// <summary>The <paramref name="count"/> words most similar (by cosine) to <paramref name="word"/>, itself excluded.</summary>
    public IReadOnlyList<(string Word, float Similarity)> Nearest(string word, int count = 10) =>
        Nearest(_unit.AsSpan(Index(word) * Dimensions, Dimensions), count, [Index(word)]);

    /// <summary>
    /// The answers to "<paramref name="a"/> is to <paramref name="b"/> as <paramref name="c"/> is to ?": the words
    /// nearest to b − a + c (unit vectors, 3CosAdd), the three query words excluded.
    /// </summary>
    public IReadOnlyList<(string Word, float Similarity)> Analogy(string a, string b, string c, int count = 5)
    {
        int ia = Index(a), ib = Index(b), ic = Index(c);
        var q = new float[Dimensions];
        for (int k = 0; k < Dimensions; k++) q[k] = _unit[ib * Dimensions + k] - _unit[ia * Dimensions + k] + _unit[ic * Dimensions + k];
        float norm = TensorPrimitives.Norm(q);
        if (norm > 0) TensorPrimitives.Divide(q, norm, q);
        return Nearest(q, count, [ia, ib, ic]);
    }

    /// <summary>The rank of <paramref name="other"/> among the neighbours of <paramref name="word"/> (1 = the nearest).</summary>
    public int Rank(string word, string other)
    {
        int i = Index(word), j = Index(other);
        var u = _unit.AsSpan(i * Dimensions, Dimensions);
        float target = TensorPrimitives.Dot(u, _unit.AsSpan(j * Dimensions, Dimensions));
        int rank = 1;
        for (int w = 0; w < Words.Count; w++)
        {
            if (w == i || w == j) continue;
            float s = TensorPrimitives.Dot(u, _unit.AsSpan(w * Dimensions, Dimensions));
            if (s > target || s == target && w < j) rank++;
        }
        return rank;
    }

    private List<(string, float)> Nearest(ReadOnlySpan<float> query, int count, int[] exclude)
    {
        var sims = new float[Words.Count];
        for (int w = 0; w < Words.Count; w++) sims[w] = TensorPrimitives.Dot(query, _unit.AsSpan(w * Dimensions, Dimensions));
        foreach (int e in exclude) sims[e] = float.NegativeInfinity;
        return Enumerable.Range(0, Words.Count).Where(w => !float.IsNegativeInfinity(sims[w]))
            .OrderByDescending(w => sims[w]).ThenBy(w => w).Take(count).Select(w => (Words[w], sims[w])).ToList();
    }

    /// <summary>Writes the vectors in word2vec's text format (<c>count dims</c>, then <c>word v1 v2 …</c> per line), atomically.</summary>
    public void SaveText(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var tmp = path + ".tmp";
        using (var w = new StreamWriter(tmp, false, new System.Text.UTF8Encoding(false)))
        {
            w.WriteLine($"{Words.Count} {Dimensions}");
            var sb = new System.Text.StringBuilder();
            for (int i = 0; i < Words.Count; i++)
            {
                sb.Clear().Append(Words[i]);
                for (int k = 0; k < Dimensions; k++) sb.Append(' ').Append(Vectors[i * Dimensions + k].ToString("G6", System.Globalization.CultureInfo.InvariantCulture));
                w.WriteLine(sb);
            }
        }
        File.Move(tmp, path, overwrite: true);
    }
}
