namespace NeuroCore.Embeddings;

/// <summary>Settings of <see cref="Word2Vec"/>; defaults follow the original word2vec tool's skip-gram mode.</summary>
public sealed record Word2VecOptions
{
    /// <summary>Vector length.</summary>
    public int Dimensions { get; init; } = 100;

    /// <summary>Largest distance between a word and a context word (the actual window is drawn in [1, Window] per word).</summary>
    public int Window { get; init; } = 5;

    /// <summary>Negative samples per positive pair, drawn from the unigram distribution raised to 3/4.</summary>
    public int Negative { get; init; } = 5;

    /// <summary>Frequent-word subsampling threshold t: a word of frequency f is kept with probability (√(f/t) + 1)·t/f.</summary>
    public double Sample { get; init; } = 1e-3;

    /// <summary>Words seen fewer times are dropped.</summary>
    public int MinCount { get; init; } = 5;

    /// <summary>Passes over the corpus.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Starting learning rate, decayed linearly to 0.0001 of it.</summary>
    public double LearningRate { get; init; } = 0.025;

    /// <summary>Training threads (Hogwild: lock-free shared updates); 0 = <see cref="Parallelism.MaxThreads"/>. With 1 thread the result is reproducible bit for bit.</summary>
    public int Threads { get; init; }

    /// <summary>Seed of the initialization and of every thread's sampling.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Receives progress about every 100,000 words.</summary>
    public IProgress<Word2VecProgress>? Progress { get; init; }

    /// <summary>Stops training between words.</summary>
    public CancellationToken Cancellation { get; init; }

    internal void Validate()
    {
        if (Dimensions < 1 || Window < 1 || Negative < 1 || Epochs < 1 || MinCount < 1 || Threads < 0)
            throw new ArgumentOutOfRangeException(nameof(Dimensions), "word2vec: Dimensions, Window, Negative, Epochs and MinCount must be positive, Threads not negative.");
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "word2vec: LearningRate must be positive.");
        if (!(Sample >= 0)) throw new ArgumentOutOfRangeException(nameof(Sample), Sample, "word2vec: Sample must be ≥ 0 (0 turns subsampling off).");
    }
}

/// <summary>word2vec training progress.</summary>
/// <param name="WordsProcessed">Corpus words gone through (before subsampling), all epochs.</param>
/// <param name="WordsTotal">Words to go through in all epochs.</param>
/// <param name="LearningRate">The current learning rate.</param>
/// <param name="WordsPerSecond">Words per second over all threads so far.</param>
public readonly record struct Word2VecProgress(long WordsProcessed, long WordsTotal, double LearningRate, double WordsPerSecond);
