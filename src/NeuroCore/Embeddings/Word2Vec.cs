using System.Diagnostics;
using System.Numerics.Tensors;

namespace NeuroCore.Embeddings;

/// <summary>
/// word2vec skip-gram with negative sampling and frequent-word subsampling (Mikolov et al. 2013),
/// following the original C tool: for every (word, context) pair the context word's input vector is
/// moved towards the word's output vector and away from <see cref="Word2VecOptions.Negative"/> sampled
/// words', with σ from a lookup table; threads share the vectors without locks (Hogwild).
/// </summary>
public static class Word2Vec
{
    private const int ExpTableSize = 1000;
    private const float MaxExp = 6;
    private static readonly float[] SigmoidTable = BuildSigmoid();

    /// <summary>Trains vectors on <paramref name="sentences"/> (lists of words).</summary>
    /// <exception cref="ArgumentException">The corpus has too few frequent words, or bad options.</exception>
    public static Word2VecResult Train(IReadOnlyList<IReadOnlyList<string>> sentences, Word2VecOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        options ??= new Word2VecOptions();
        options.Validate();
        var vocab = Vocabulary.Build(sentences, options.MinCount);
        // The corpus as word indices (unknown words dropped), with sentence boundaries.
        var tokens = new List<int>();
        var starts = new List<int> { 0 };
        foreach (var s in sentences)
        {
            foreach (var w in s)
            {
                int id = vocab.IndexOf(w);
                if (id >= 0) tokens.Add(id);
            }
            if (tokens.Count > starts[^1]) starts.Add(tokens.Count);
        }
        return Train(vocab, [.. tokens], [.. starts], options);
    }

    private static Word2VecResult Train(Vocabulary vocab, int[] tokens, int[] sentenceStarts, Word2VecOptions o)
    {
        int v = vocab.Count, dim = o.Dimensions;
        var input = new float[(long)v * dim];
        var output = new float[(long)v * dim];
        // The C tool's initialization: input vectors uniform in ±0.5/dim, output vectors zero.
        ulong seedState = (ulong)o.Seed;
        for (long i = 0; i < input.Length; i++)
        {
            seedState = seedState * 25214903917UL + 11;
            input[i] = (((seedState & 0xFFFF) / 65536f) - 0.5f) / dim;
        }
        var table = UnigramTable(vocab);
        var keep = KeepProbabilities(vocab, o.Sample);
        int threads = o.Threads > 0 ? o.Threads : Parallelism.MaxThreads;
        int sentences = sentenceStarts.Length - 1;
        threads = Math.Max(1, Math.Min(threads, sentences));
        long total = (long)tokens.Length * o.Epochs;
        long processed = 0;
        var clock = Stopwatch.StartNew();
        var threadSeconds = new double[threads];
        var workers = new Thread[threads];
        Exception? failure = null;
        for (int t = 0; t < threads; t++)
        {
            int id = t;
            workers[t] = new Thread(() =>
            {
                var threadClock = Stopwatch.StartNew();
                try
                {
                    // Each thread trains on its own contiguous share of the sentences, every epoch.
                    int s0 = (int)((long)sentences * id / threads), s1 = (int)((long)sentences * (id + 1) / threads);
                    var worker = new Worker(input, output, dim, table, keep, o, (ulong)(o.Seed + 1) * 0x9E3779B97F4A7C15UL + (ulong)id);
                    for (int epoch = 0; epoch < o.Epochs; epoch++)
                        for (int s = s0; s < s1; s++)
                        {
                            o.Cancellation.ThrowIfCancellationRequested();
                            var sentence = tokens.AsSpan(sentenceStarts[s], sentenceStarts[s + 1] - sentenceStarts[s]);
                            long done = Interlocked.Add(ref processed, sentence.Length);
                            double alpha = Math.Max(o.LearningRate * 1e-4, o.LearningRate * (1 - done / (double)(total + 1)));
                            worker.Sentence(sentence, (float)alpha);
                            if (id == 0 && o.Progress is not null && worker.Reported(done))
                                o.Progress.Report(new Word2VecProgress(done, total, alpha, done / Math.Max(1e-9, clock.Elapsed.TotalSeconds)));
                        }
                }
                catch (Exception e) { Interlocked.CompareExchange(ref failure, e, null); }
                threadSeconds[id] = threadClock.Elapsed.TotalSeconds;
            }) { IsBackground = true, Name = $"word2vec {id}" };
            workers[t].Start();
        }
        foreach (var w in workers) w.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        double seconds = clock.Elapsed.TotalSeconds;
        o.Progress?.Report(new Word2VecProgress(total, total, o.LearningRate * 1e-4, total / Math.Max(1e-9, seconds)));
        return new Word2VecResult(new WordVectors(vocab.Words.ToArray(), input, dim), vocab, tokens.Length, threads, seconds, total / seconds / threads);
    }

    private sealed class Worker(float[] input, float[] output, int dim, int[] table, float[] keep, Word2VecOptions o, ulong random)
    {
        private readonly float[] _gradient = new float[dim];
        private readonly int[] _kept = new int[1024];
        private long _lastReport;
        private ulong _random = random;

        private uint Next()
        {
            _random = _random * 25214903917UL + 11;
            return (uint)(_random >> 16);
        }

        public bool Reported(long done)
        {
            if (done - _lastReport < 100_000) return false;
            _lastReport = done;
            return true;
        }

        public void Sentence(ReadOnlySpan<int> sentence, float alpha)
        {
            // Subsampling drops frequent words before the windows are formed, so it also widens the context.
            var kept = sentence.Length <= _kept.Length ? _kept.AsSpan(0, sentence.Length) : new int[sentence.Length];
            int n = 0;
            foreach (int w in sentence)
                if (keep[w] >= 1 || keep[w] > (Next() & 0xFFFF) / 65536f) kept[n++] = w;
            for (int pos = 0; pos < n; pos++)
            {
                int word = kept[pos];
                int b = (int)(Next() % (uint)o.Window);
                for (int c = pos - o.Window + b; c <= pos + o.Window - b; c++)
                {
                    if (c < 0 || c >= n || c == pos) continue;
                    Pair(kept[c], word, alpha);
                }
            }
        }

        // One skip-gram pair: the context word's input vector learns to predict `word` against negatives.
        private void Pair(int context, int word, float alpha)
        {
            var l1 = input.AsSpan(context * dim, dim);
            var g = _gradient.AsSpan();
            g.Clear();
            for (int d = 0; d <= o.Negative; d++)
            {
                int target;
                float label;
                if (d == 0) { target = word; label = 1; }
                else
                {
                    target = table[Next() % (uint)table.Length];
                    if (target == word) continue;
                    label = 0;
                }
                var l2 = output.AsSpan(target * dim, dim);
                float f = TensorPrimitives.Dot(l1, l2);
                float step = (label - Sigmoid(f)) * alpha;
                // g += step·l2, then l2 += step·l1 (the C tool's order).
                TensorPrimitives.MultiplyAdd(l2, step, g, g);
                TensorPrimitives.MultiplyAdd(l1, step, l2, l2);
            }
            TensorPrimitives.Add(l1, g, l1);
        }
    }

    private static float Sigmoid(float f)
    {
        if (f >= MaxExp) return 1;
        if (f <= -MaxExp) return 0;
        return SigmoidTable[(int)((f + MaxExp) * (ExpTableSize / MaxExp / 2))];
    }

    private static float[] BuildSigmoid()
    {
        var t = new float[ExpTableSize + 1];
        for (int i = 0; i <= ExpTableSize; i++)
        {
            double e = Math.Exp((i / (double)ExpTableSize * 2 - 1) * MaxExp);
            t[i] = (float)(e / (e + 1));
        }
        return t;
    }

    // Word indices in proportion to count^0.75, so a uniform index into the table samples that distribution.
    private static int[] UnigramTable(Vocabulary vocab)
    {
        int size = (int)Math.Clamp(100L * vocab.Count, 1_000_000, 10_000_000);
        var table = new int[size];
        double norm = 0;
        for (int i = 0; i < vocab.Count; i++) norm += Math.Pow(vocab.Counts[i], 0.75);
        int w = 0;
        double cumulative = Math.Pow(vocab.Counts[0], 0.75) / norm;
        for (int a = 0; a < size; a++)
        {
            table[a] = w;
            if (a / (double)size > cumulative && w < vocab.Count - 1)
            {
                w++;
                cumulative += Math.Pow(vocab.Counts[w], 0.75) / norm;
            }
        }
        return table;
    }

    private static float[] KeepProbabilities(Vocabulary vocab, double sample)
    {
        var keep = new float[vocab.Count];
        double threshold = sample * vocab.TotalCount;
        for (int i = 0; i < vocab.Count; i++)
        {
            double c = vocab.Counts[i];
            keep[i] = sample <= 0 ? 1f : (float)((Math.Sqrt(c / threshold) + 1) * threshold / c);
        }
        return keep;
    }
}

/// <summary>Trained word vectors and how the training went.</summary>
/// <param name="Vectors">The vectors (the input embeddings, as the C tool saves).</param>
/// <param name="Vocabulary">The words and their counts.</param>
/// <param name="CorpusWords">Corpus words in the vocabulary (one epoch).</param>
/// <param name="Threads">Threads used.</param>
/// <param name="Seconds">Training time.</param>
/// <param name="WordsPerSecondPerThread">Corpus words per second per thread (the C tool's figure, before subsampling).</param>
public sealed record Word2VecResult(WordVectors Vectors, Vocabulary Vocabulary, long CorpusWords, int Threads, double Seconds, double WordsPerSecondPerThread);
