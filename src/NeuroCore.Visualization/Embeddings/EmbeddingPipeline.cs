using NeuroCore.Embeddings;

namespace NeuroCore.Visualization.Embeddings;

/// <summary>What <see cref="EmbeddingPipeline"/> computes.</summary>
public sealed record EmbedSettings
{
    /// <summary>"tsne" or "pca".</summary>
    public string Method { get; init; } = "tsne";

    /// <summary>2 or 3.</summary>
    public int Dimensions { get; init; } = 3;

    /// <summary>t-SNE perplexity.</summary>
    public double Perplexity { get; init; } = 30;

    /// <summary>t-SNE iterations.</summary>
    public int Iterations { get; init; } = 1000;

    /// <summary>t-SNE searches neighbours on this many principal axes when the input has more features (0 = all features).</summary>
    public int PcaDimensions { get; init; } = 50;

    /// <summary>Seed.</summary>
    public int Seed { get; init; }

    /// <summary>Input-space neighbours kept per point (for hover highlighting), and the k of the metrics.</summary>
    public int Neighbors { get; init; } = 10;

    /// <summary>Above this many points, trustworthiness and kNN accuracy are averaged over a random sample of this many.</summary>
    public int MetricSample { get; init; } = 5000;
}

/// <summary>Turns rows into an <see cref="EmbeddingView"/>: PCA or t-SNE, input-space neighbours, quality figures.</summary>
public static class EmbeddingPipeline
{
    /// <summary>Computes the embedding of <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentException">Unknown method or dimensions, or input t-SNE cannot embed (the message says why).</exception>
    public static EmbeddingView Run(EmbeddingSource source, EmbedSettings settings, IProgress<TsneProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Dimensions is not (2 or 3)) throw new ArgumentException($"embed: --dims must be 2 or 3, got {settings.Dimensions}.");
        var input = source.Input;
        var metrics = new Dictionary<string, double>();
        float[] coords;
        switch (settings.Method)
        {
            case "pca":
                if (input.Dimensions < settings.Dimensions) throw new ArgumentException($"embed: PCA to {settings.Dimensions} dimensions needs at least that many features; the input has {input.Dimensions}.");
                input.RequireVarianceForPca();
                var pca = Pca.Fit(input, settings.Dimensions, seed: settings.Seed);
                coords = pca.Transform(input);
                for (int k = 0; k < pca.ComponentCount; k++) metrics[$"explainedVarianceRatio{k + 1}"] = pca.ExplainedVarianceRatio[k];
                break;
            case "tsne":
                var result = Tsne.Fit(input, TsneOptionsOf(settings) with { Progress = progress, Cancellation = cancellation });
                coords = result.Coordinates;
                metrics["klDivergence"] = result.KlDivergence;
                metrics["learningRate"] = result.LearningRate;
                metrics["seconds"] = result.AffinitySeconds + result.OptimizationSeconds;
                break;
            default:
                throw new ArgumentException($"embed: unknown method '{settings.Method}'; use pca or tsne.");
        }
        return Describe(source, coords, settings, metrics);
    }

    /// <summary>The t-SNE options <paramref name="settings"/> stand for (no progress, no cancellation).</summary>
    public static TsneOptions TsneOptionsOf(EmbedSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new TsneOptions
        {
            Dimensions = settings.Dimensions, Perplexity = settings.Perplexity, Iterations = settings.Iterations, Seed = settings.Seed,
            PcaDimensions = settings.PcaDimensions > 0 ? Math.Max(settings.PcaDimensions, settings.Dimensions) : null,
        };
    }

    /// <summary>
    /// An <see cref="EmbeddingView"/> of coordinates computed elsewhere (e.g. an animation's frame): the input-space
    /// neighbours and trustworthiness / kNN accuracy are added to <paramref name="metrics"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The coordinates are not N × <see cref="EmbedSettings.Dimensions"/>.</exception>
    public static EmbeddingView Describe(EmbeddingSource source, float[] coords, EmbedSettings settings, IDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(coords);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(metrics);
        var input = source.Input;
        if (coords.Length != input.Count * settings.Dimensions)
            throw new ArgumentException($"embed: {coords.Length} coordinates for {input.Count} points × {settings.Dimensions}.");
        int k2 = Math.Min(settings.Neighbors, input.Count - 1);
        NeighborGraph? neighbors = k2 >= 1 ? NearestNeighbors.Find(input, k2) : null;
        int sample = input.Count > settings.MetricSample ? settings.MetricSample : 0;
        if (settings.Neighbors < input.Count / 2.0)
            metrics["trustworthiness"] = EmbeddingMetrics.Trustworthiness(input, coords, settings.Dimensions, settings.Neighbors, sample, settings.Seed);
        if (source.Labels is { } labels && k2 >= 1)
            metrics["knnAccuracy"] = EmbeddingMetrics.KnnAccuracy(coords, settings.Dimensions, labels, k2, sample, settings.Seed);
        return new EmbeddingView(source, coords, settings.Dimensions, settings.Method, null, neighbors, new Dictionary<string, double>(metrics));
    }

    private static void RequireVarianceForPca(this EmbeddingInput input)
    {
        var first = input.Row(0);
        for (int i = 1; i < input.Count; i++) if (!input.Row(i).SequenceEqual(first)) return;
        throw new ArgumentException($"PCA: all {input.Count} rows are identical (zero variance), so there are no principal axes.");
    }
}
