using System.Diagnostics;

namespace NeuroCore.Embeddings;

/// <summary>
/// t-distributed stochastic neighbour embedding (van der Maaten &amp; Hinton 2008) in 2 or 3 dimensions,
/// with exact (small N, SIMD) or Barnes-Hut (van der Maaten 2014) gradients and scikit-learn 1.2's optimization schedule:
/// affinities from the exact 3·perplexity nearest neighbours, early exaggeration 12 for 250 iterations
/// at momentum 0.5, then momentum 0.8, delta-bar-delta gains, "auto" learning rate, PCA initialization.
/// </summary>
/// <remarks>
/// Reproducible: the same input, options and seed give the same coordinates bit for bit, whatever the
/// thread count (every parallel sum is over a fixed partition, combined in order).
/// </remarks>
public static class Tsne
{
    private const double MinGain = 0.01;

    /// <summary>Embeds the rows of <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentException">Too few points for the perplexity, all rows identical, or bad options (the message says which).</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token fired.</exception>
    public static TsneResult Fit(EmbeddingInput x, TsneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        options ??= new TsneOptions();
        options.Validate(x.Count);
        x.RequireVariance("t-SNE");
        var clock = Stopwatch.StartNew();
        if (options.PcaDimensions is { } pd && x.Dimensions > pd)
            x = EmbeddingInput.FromRows(Pca.Fit(x, pd, seed: options.Seed).Transform(x), x.Count, pd);
        var graph = NearestNeighbors.Find(x, options.NeighborCount);
        var p = PerplexityCalibration.Joint(graph, options.Perplexity);
        double affinitySeconds = clock.Elapsed.TotalSeconds;
        var y = Initialize(x, options);
        return Optimize(p, y, options, clock, affinitySeconds);
    }

    /// <summary>Optimizes a layout for given joint affinities (N × N, symmetric, summing to 1) from <paramref name="start"/> (N × D).</summary>
    public static TsneResult Fit(SparseAffinities p, float[] start, TsneOptions options)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(p.Count);
        if (start.Length != p.Count * options.Dimensions) throw new ArgumentException($"t-SNE: the start layout has {start.Length} values, expected {p.Count} × {options.Dimensions}.");
        return Optimize(p, Array.ConvertAll(start, v => (double)v), options, Stopwatch.StartNew(), 0);
    }

    /// <summary>The gradient of KL(P ‖ Q) at <paramref name="y"/> (N × D) into <paramref name="gradient"/>, exactly (the double-precision reference; <see cref="TsneGradientMethod.Auto"/> also means this) or by Barnes-Hut; returns Z = Σ q_ij.</summary>
    /// <remarks>For tests and tools that compare the two methods; <see cref="Fit(EmbeddingInput, TsneOptions?)"/> uses it internally.</remarks>
    public static double Gradient(SparseAffinities p, double[] y, int dimensions, double[] gradient, TsneGradientMethod method, double theta = 0.5, double exaggeration = 1)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (y.Length != p.Count * dimensions || gradient.Length != y.Length) throw new ArgumentException("t-SNE gradient: y and gradient must hold N × dimensions values.");
        return method != TsneGradientMethod.BarnesHut
            ? TsneGradient.Exact(p, y, dimensions, exaggeration, gradient)
            : TsneGradient.BarnesHut(p, y, dimensions, exaggeration, theta, new BarnesHutTree(p.Count, dimensions), gradient);
    }

    /// <summary>KL(P ‖ Q) of layout <paramref name="y"/> (N × D), with Q normalized exactly (O(N²)).</summary>
    public static double KlDivergence(SparseAffinities p, double[] y, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(p);
        var g = new double[y.Length];
        double z = TsneGradient.Exact(p, y, dimensions, 1, g);
        return TsneGradient.KlDivergence(p, y, dimensions, z);
    }

    private static double[] Initialize(EmbeddingInput x, TsneOptions o)
    {
        int n = x.Count, dims = o.Dimensions;
        if (o.InitialCoordinates is { } given) return Array.ConvertAll(given, v => (double)v);
        var y = new double[n * dims];
        if (o.Initialization == TsneInitialization.Pca && x.Dimensions >= dims)
        {
            var pca = Pca.Fit(x, dims, seed: o.Seed);
            var proj = pca.Transform(x);
            // scikit-learn: scale so the first coordinate has standard deviation 1e-4 (a small start keeps early exaggeration effective).
            double mean = 0, sq = 0;
            for (int i = 0; i < n; i++) mean += proj[i * dims];
            mean /= n;
            for (int i = 0; i < n; i++) sq += (proj[i * dims] - mean) * (proj[i * dims] - mean);
            double std = Math.Sqrt(sq / n);
            double scale = std > 0 ? 1e-4 / std : 1;
            for (int i = 0; i < y.Length; i++) y[i] = proj[i] * scale;
            return y;
        }
        var rng = new Random(o.Seed);
        for (int i = 0; i < y.Length; i++) y[i] = 1e-4 * Pca.Gaussian(rng);
        return y;
    }

    private static TsneResult Optimize(SparseAffinities p, double[] y, TsneOptions o, Stopwatch clock, double affinitySeconds)
    {
        int n = p.Count, dims = o.Dimensions;
        double lr = o.LearningRate ?? Math.Max(n / o.EarlyExaggeration / 4, 50);
        var grad = new double[y.Length];
        var update = new double[y.Length];
        var gains = new double[y.Length];
        Array.Fill(gains, 1.0);
        var gradient = TsneGradient.For(p, dims, o.MethodFor(n), o.Theta);
        var history = new List<TsneProgress>();
        double optStart = clock.Elapsed.TotalSeconds;
        double kl = double.NaN;
        for (int it = 0; it < o.Iterations; it++)
        {
            o.Cancellation.ThrowIfCancellationRequested();
            bool exaggerating = it < o.ExaggerationIterations;
            double alpha = exaggerating ? o.EarlyExaggeration : 1;
            double momentum = exaggerating ? o.InitialMomentum : o.FinalMomentum;
            double z = gradient(y, alpha, grad);
            double norm2 = 0;
            for (int e = 0; e < y.Length; e++)
            {
                double g = grad[e];
                norm2 += g * g;
                // Delta-bar-delta: grow the gain where the step keeps its direction, shrink it where it flips.
                gains[e] = update[e] * g < 0 ? gains[e] + 0.2 : Math.Max(gains[e] * 0.8, MinGain);
                update[e] = momentum * update[e] - lr * gains[e] * g;
                y[e] += update[e];
            }
            bool last = it == o.Iterations - 1;
            if ((it + 1) % o.ReportInterval == 0 || last)
            {
                kl = TsneGradient.KlDivergence(p, y, dims, z);
                var report = new TsneProgress(it + 1, o.Iterations, kl, Math.Sqrt(norm2), exaggerating, clock.Elapsed);
                history.Add(report);
                o.Progress?.Report(report);
            }
        }
        // The last KL used Z of the layout before the final step; recompute both for the returned layout.
        double zFinal = gradient(y, 1, grad);
        kl = TsneGradient.KlDivergence(p, y, dims, zFinal);
        var coords = new float[y.Length];
        for (int e = 0; e < y.Length; e++) coords[e] = (float)y[e];
        return new TsneResult(coords, n, dims, kl, history, lr, affinitySeconds, clock.Elapsed.TotalSeconds - optStart);
    }
}
