namespace NeuroCore.Embeddings;

/// <summary>How t-SNE computes the gradient.</summary>
public enum TsneGradientMethod
{
    /// <summary>Barnes-Hut: repulsion through a quadtree (2-D) or octree (3-D), O(N log N) per iteration.</summary>
    BarnesHut,

    /// <summary>
    /// All N² pairs, O(N²) time and O(N) memory per iteration. In <see cref="Tsne.Fit(EmbeddingInput, TsneOptions?)"/>
    /// the float32 SIMD kernel (faster than Barnes-Hut for small N, exact up to float rounding); in
    /// <see cref="Tsne.Gradient"/> the double-precision reference the tests check the others against.
    /// </summary>
    Exact,

    /// <summary>
    /// <see cref="Exact"/> for at most <see cref="TsneOptions.ExactCrossover"/> points, <see cref="BarnesHut"/> above
    /// (the crossover is where the two cost the same per iteration on an AVX-512 machine, measured by the embeddings benchmark).
    /// </summary>
    Auto,
}

/// <summary>How t-SNE places the points before optimizing.</summary>
public enum TsneInitialization
{
    /// <summary>The first principal components, scaled to standard deviation 1e-4 along the first (scikit-learn's "pca").</summary>
    Pca,

    /// <summary>Gaussian noise of standard deviation 1e-4 from the seed.</summary>
    Random,
}

/// <summary>Settings of <see cref="Tsne"/>; the defaults are scikit-learn 1.2's.</summary>
public sealed record TsneOptions
{
    /// <summary>Output dimensions: 2 or 3.</summary>
    public int Dimensions { get; init; } = 2;

    /// <summary>Effective number of neighbours; the affinities use the 3·perplexity nearest (at least N must exceed that).</summary>
    public double Perplexity { get; init; } = 30;

    /// <summary>Factor on P during the first <see cref="ExaggerationIterations"/> iterations.</summary>
    public double EarlyExaggeration { get; init; } = 12;

    /// <summary>Iterations of early exaggeration (with momentum <see cref="InitialMomentum"/>).</summary>
    public int ExaggerationIterations { get; init; } = 250;

    /// <summary>Total iterations, early exaggeration included.</summary>
    public int Iterations { get; init; } = 1000;

    /// <summary>Step size; null for "auto" = max(N / <see cref="EarlyExaggeration"/> / 4, 50), as scikit-learn.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Momentum during early exaggeration.</summary>
    public double InitialMomentum { get; init; } = 0.5;

    /// <summary>Momentum afterwards.</summary>
    public double FinalMomentum { get; init; } = 0.8;

    /// <summary>Barnes-Hut accuracy: a cell of side w at distance r is summarized when w / r &lt; θ (0 = exact sums).</summary>
    public double Theta { get; init; } = 0.5;

    /// <summary>Gradient method; <see cref="TsneGradientMethod.Auto"/> unless set.</summary>
    public TsneGradientMethod Method { get; init; } = TsneGradientMethod.Auto;

    /// <summary>Initial layout.</summary>
    public TsneInitialization Initialization { get; init; } = TsneInitialization.Pca;

    /// <summary>A start layout (N × Dimensions) instead of <see cref="Initialization"/>, e.g. the previous snapshot's result, so points move rather than jump.</summary>
    public float[]? InitialCoordinates { get; init; }

    /// <summary>
    /// When set and the input has more features, the rows are first projected on this many principal axes
    /// (randomized PCA) and the neighbours searched there, as Rtsne and the t-SNE FAQ suggest (50 is common):
    /// the nearest-neighbour search then costs N²·50 instead of N²·D. Null keeps all features.
    /// </summary>
    public int? PcaDimensions { get; init; }

    /// <summary>Seed of every random choice; the same seed and input give the same result for any thread count.</summary>
    public int Seed { get; init; }

    /// <summary>Iterations between KL divergence evaluations (and progress reports).</summary>
    public int ReportInterval { get; init; } = 50;

    /// <summary>Receives the KL divergence as the optimization runs.</summary>
    public IProgress<TsneProgress>? Progress { get; init; }

    /// <summary>Stops between iterations (the partial result is discarded).</summary>
    public CancellationToken Cancellation { get; init; }

    internal void Validate(int n)
    {
        if (Dimensions is not (2 or 3)) throw new ArgumentOutOfRangeException(nameof(Dimensions), Dimensions, "t-SNE: Dimensions must be 2 or 3.");
        if (!(Perplexity >= 2)) throw new ArgumentOutOfRangeException(nameof(Perplexity), Perplexity, "t-SNE: Perplexity must be at least 2.");
        int k = NeighborCount;
        if (n <= k)
            throw new ArgumentException(
                $"t-SNE: {n} points are too few for perplexity {Perplexity}: it uses the {k} (3·perplexity) nearest neighbours, so at least {k + 1} points are needed; lower the perplexity to at most {Math.Floor((n - 1) / 3.0)}.");
        if (Iterations < 1 || ExaggerationIterations < 0 || ReportInterval < 1)
            throw new ArgumentOutOfRangeException(nameof(Iterations), "t-SNE: Iterations and ReportInterval must be positive, ExaggerationIterations not negative.");
        if (PcaDimensions is { } pd && pd < Dimensions) throw new ArgumentOutOfRangeException(nameof(PcaDimensions), pd, $"t-SNE: PcaDimensions must be at least the output Dimensions ({Dimensions}).");
        if (!(Theta >= 0)) throw new ArgumentOutOfRangeException(nameof(Theta), Theta, "t-SNE: Theta must be ≥ 0.");
        if (LearningRate is { } lr && !(lr > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), lr, "t-SNE: LearningRate must be positive.");
        if (InitialCoordinates is { } init && init.Length != n * Dimensions)
            throw new ArgumentException($"t-SNE: InitialCoordinates has {init.Length} values, expected {n} × {Dimensions}.");
    }

    /// <summary>The largest N for which <see cref="TsneGradientMethod.Auto"/> takes the exact gradient.</summary>
    public const int ExactCrossover = 20_000;

    /// <summary>The method <see cref="Method"/> stands for with <paramref name="n"/> points (<see cref="TsneGradientMethod.Auto"/> resolved).</summary>
    public TsneGradientMethod MethodFor(int n) =>
        Method != TsneGradientMethod.Auto ? Method : n <= ExactCrossover ? TsneGradientMethod.Exact : TsneGradientMethod.BarnesHut;

    /// <summary>The neighbours used for the affinities: ⌊3·perplexity⌋ (van der Maaten 2014; scikit-learn takes one more).</summary>
    internal int NeighborCount => (int)Math.Floor(3 * Perplexity);
}

/// <summary>One progress report of <see cref="Tsne"/>.</summary>
/// <param name="Iteration">Iterations done.</param>
/// <param name="Iterations">Iterations in total.</param>
/// <param name="KlDivergence">KL(P ‖ Q) of the current layout (Barnes-Hut's normalization estimate).</param>
/// <param name="GradientNorm">Euclidean norm of the last gradient.</param>
/// <param name="Exaggerating">Whether early exaggeration is on.</param>
/// <param name="Elapsed">Time since the start, affinities included.</param>
public readonly record struct TsneProgress(int Iteration, int Iterations, double KlDivergence, double GradientNorm, bool Exaggerating, TimeSpan Elapsed);

/// <summary>The result of <see cref="Tsne.Fit(EmbeddingInput, TsneOptions?)"/>.</summary>
/// <param name="Coordinates">N × Dimensions coordinates, row-major.</param>
/// <param name="Count">Points.</param>
/// <param name="Dimensions">Coordinates per point.</param>
/// <param name="KlDivergence">Final KL(P ‖ Q).</param>
/// <param name="History">Every progress report, in order.</param>
/// <param name="LearningRate">The step size used (the "auto" value when none was given).</param>
/// <param name="AffinitySeconds">Time of the nearest-neighbour search and perplexity calibration.</param>
/// <param name="OptimizationSeconds">Time of the gradient descent.</param>
public sealed record TsneResult(float[] Coordinates, int Count, int Dimensions, double KlDivergence, IReadOnlyList<TsneProgress> History,
    double LearningRate, double AffinitySeconds, double OptimizationSeconds);
