using System.Diagnostics;

namespace NeuroCore.Embeddings;

/// <summary>How <see cref="EmbeddingAnimation"/> embeds each frame.</summary>
public enum EmbeddingAnimationMethod
{
    /// <summary>t-SNE; every frame after the first starts from the previous frame's layout (warm start).</summary>
    Tsne,

    /// <summary>PCA; every frame is rotated/reflected onto the previous one (orthogonal Procrustes) so axes do not flip.</summary>
    Pca,
}

/// <summary>Settings of <see cref="EmbeddingAnimation.Compute"/>.</summary>
public sealed record EmbeddingAnimationOptions
{
    /// <summary>t-SNE (default) or PCA.</summary>
    public EmbeddingAnimationMethod Method { get; init; } = EmbeddingAnimationMethod.Tsne;

    /// <summary>
    /// The first frame's t-SNE settings (its full schedule: early exaggeration, all iterations) and, for PCA,
    /// the output <see cref="TsneOptions.Dimensions"/> and the seed. Its Progress and InitialCoordinates are ignored.
    /// </summary>
    public TsneOptions Tsne { get; init; } = new() { Dimensions = 3 };

    /// <summary>
    /// t-SNE: start every later frame from the previous frame's result with the shorter warm schedule
    /// (<see cref="WarmIterations"/>, no early exaggeration). False runs every frame independently from its
    /// own PCA initialization with the full schedule: the baseline the warm start is measured against.
    /// </summary>
    public bool WarmStart { get; init; } = true;

    /// <summary>t-SNE iterations of a warm-started frame (default 250: a quarter of the cold schedule).</summary>
    public int WarmIterations { get; init; } = 250;

    /// <summary>
    /// Rotate/reflect every frame onto the previous one (orthogonal Procrustes about the centroids; no scaling, so
    /// distances within a frame are unchanged). Always on for PCA, whose axes' signs and order are arbitrary;
    /// for t-SNE it removes the rigid drift a warm start leaves. Default true.
    /// </summary>
    public bool Align { get; init; } = true;

    /// <summary>Receives a report before and during every frame.</summary>
    public IProgress<EmbeddingAnimationProgress>? Progress { get; init; }

    /// <summary>Stops between frames and between t-SNE iterations.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>
    /// The t-SNE settings of a warm-started frame: the first frame's settings starting from <paramref name="previous"/>,
    /// without early exaggeration (a layout that is already spread out would be torn apart by it), at the final
    /// momentum from the start, for <see cref="WarmIterations"/> iterations. The learning rate stays the cold run's
    /// ("auto" = max(N / 12 / 4, 50) unless set), so the step size matches the scale of the layout it starts from.
    /// </summary>
    public TsneOptions WarmOptions(float[] previous) => Tsne with
    {
        InitialCoordinates = previous,
        ExaggerationIterations = 0,
        Iterations = WarmIterations,
        Progress = null,
    };

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Tsne);
        if (Tsne.Dimensions is not (2 or 3)) throw new ArgumentOutOfRangeException(nameof(Tsne), Tsne.Dimensions, "Embedding animation: Dimensions must be 2 or 3.");
        if (WarmIterations < 1) throw new ArgumentOutOfRangeException(nameof(WarmIterations), WarmIterations, "Embedding animation: WarmIterations must be positive.");
    }
}

/// <summary>One progress report of <see cref="EmbeddingAnimation.Compute"/>.</summary>
/// <param name="Frame">The frame being computed (0-based).</param>
/// <param name="Frames">Frames in total.</param>
/// <param name="Step">The training step of that frame.</param>
/// <param name="Tsne">t-SNE's own report within the frame, or null (PCA, or the frame's start).</param>
public readonly record struct EmbeddingAnimationProgress(int Frame, int Frames, long Step, TsneProgress? Tsne);

/// <summary>One frame of an animation: where every point is at one snapshot.</summary>
/// <param name="Step">The training step.</param>
/// <param name="Coordinates">N × Dimensions coordinates, row-major; point i is the same item in every frame.</param>
/// <param name="KlDivergence">t-SNE's final KL(P ‖ Q) of this frame; null for PCA.</param>
/// <param name="Iterations">t-SNE iterations this frame took (0 for PCA).</param>
/// <param name="Displacement">Root-mean-square distance every point moved from the previous frame, divided by the frame's RMS radius (0 for the first).</param>
public sealed record EmbeddingFrame(long Step, float[] Coordinates, double? KlDivergence, int Iterations, double Displacement);

/// <summary>The frames of <see cref="EmbeddingAnimation.Compute"/>, in the order asked.</summary>
/// <param name="Frames">One per step.</param>
/// <param name="Count">Points in every frame.</param>
/// <param name="Dimensions">2 or 3.</param>
/// <param name="Method">How they were made.</param>
/// <param name="Seconds">Wall time of the whole computation.</param>
public sealed record EmbeddingAnimationResult(IReadOnlyList<EmbeddingFrame> Frames, int Count, int Dimensions, EmbeddingAnimationMethod Method, double Seconds);

/// <summary>
/// A layer's embedding across training snapshots, as frames of one animation where points move rather than
/// jump: t-SNE frames after the first start from the previous frame's result with a shorter schedule and no
/// early exaggeration (<see cref="EmbeddingAnimationOptions.WarmOptions"/>); PCA frames are rotated onto the
/// previous frame by orthogonal Procrustes, so an axis whose sign PCA leaves open does not flip.
/// </summary>
/// <remarks>Reproducible: the same inputs and options give the same frames bit for bit (t-SNE is; Procrustes is serial).</remarks>
public static class EmbeddingAnimation
{
    /// <summary>
    /// Embeds <paramref name="steps"/>.Count frames; frame f embeds the rows <paramref name="load"/>(f) returns (the same
    /// N items in every frame, e.g. the probe batch's activations at that snapshot). Loads one frame's rows at a time.
    /// </summary>
    /// <exception cref="ArgumentException">No steps, a frame with another number of rows than the first, or rows the method cannot embed (the message says which frame).</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token fired.</exception>
    public static EmbeddingAnimationResult Compute(IReadOnlyList<long> steps, Func<int, EmbeddingInput> load, EmbeddingAnimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(load);
        options ??= new EmbeddingAnimationOptions();
        options.Validate();
        if (steps.Count == 0) throw new ArgumentException("Embedding animation: no steps were given; pick at least one snapshot.");
        var clock = Stopwatch.StartNew();
        int dims = options.Tsne.Dimensions;
        var frames = new List<EmbeddingFrame>(steps.Count);
        float[]? previous = null;
        int count = -1;
        for (int f = 0; f < steps.Count; f++)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            long step = steps[f];
            options.Progress?.Report(new EmbeddingAnimationProgress(f, steps.Count, step, null));
            var x = load(f) ?? throw new ArgumentException($"Embedding animation: frame {f} (step {step}) has no rows.");
            if (count < 0) count = x.Count;
            else if (x.Count != count)
                throw new ArgumentException($"Embedding animation: step {step} has {x.Count} rows but step {steps[0]} had {count}; every frame must embed the same items.");
            float[] coords;
            double? kl = null;
            int iterations = 0;
            try
            {
                if (options.Method == EmbeddingAnimationMethod.Pca)
                {
                    if (x.Dimensions < dims) throw new ArgumentException($"PCA to {dims} dimensions needs at least that many features; the rows have {x.Dimensions}.");
                    coords = Pca.Fit(x, dims, seed: options.Tsne.Seed).Transform(x);
                }
                else
                {
                    var frameProgress = options.Progress is { } outer ? new ForwardProgress(outer, f, steps.Count, step) : null;
                    var tsneOptions = previous is not null && options.WarmStart
                        ? options.WarmOptions(previous) with { Progress = frameProgress, Cancellation = options.Cancellation }
                        : options.Tsne with { InitialCoordinates = null, Progress = frameProgress, Cancellation = options.Cancellation };
                    var result = Tsne.Fit(x, tsneOptions);
                    coords = result.Coordinates;
                    kl = result.KlDivergence;
                    iterations = tsneOptions.Iterations;
                }
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Embedding animation, step {step}: {e.Message}", e);
            }
            if (previous is not null && (options.Align || options.Method == EmbeddingAnimationMethod.Pca))
                coords = Align(coords, previous, dims);
            double displacement = previous is null ? 0 : Displacement(previous, coords, dims);
            frames.Add(new EmbeddingFrame(step, coords, kl, iterations, displacement));
            previous = coords;
        }
        return new EmbeddingAnimationResult(frames, count, dims, options.Method, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// <paramref name="current"/> (N × <paramref name="dims"/>) rotated and possibly reflected about its centroid onto
    /// <paramref name="previous"/> (orthogonal Procrustes: the orthogonal R minimizing ‖(Y − ȳ)R + x̄ − X‖, R = U Vᵀ of
    /// the SVD of (Y − ȳ)ᵀ(X − x̄)); the centroid is moved onto the previous one. No scaling.
    /// </summary>
    /// <exception cref="ArgumentException">The layouts differ in size or are not rows of <paramref name="dims"/>.</exception>
    public static float[] Align(ReadOnlySpan<float> current, ReadOnlySpan<float> previous, int dims)
    {
        if (dims < 1 || current.Length != previous.Length || current.Length % dims != 0)
            throw new ArgumentException($"Procrustes: layouts of {current.Length} and {previous.Length} values are not the same rows of {dims}.");
        int n = current.Length / dims;
        var cy = Centroid(current, dims);
        var cx = Centroid(previous, dims);
        // M = (Y − ȳ)ᵀ (X − x̄), d × d.
        var m = new double[dims * dims];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < dims; a++)
            {
                double ya = current[i * dims + a] - cy[a];
                for (int b = 0; b < dims; b++) m[a * dims + b] += ya * (previous[i * dims + b] - cx[b]);
            }
        var r = Rotation(m, dims);
        var aligned = new float[current.Length];
        for (int i = 0; i < n; i++)
            for (int b = 0; b < dims; b++)
            {
                double s = cx[b];
                for (int a = 0; a < dims; a++) s += (current[i * dims + a] - cy[a]) * r[a * dims + b];
                aligned[i * dims + b] = (float)s;
            }
        return aligned;
    }

    /// <summary>
    /// How far the points moved from <paramref name="from"/> to <paramref name="to"/>: the root-mean-square distance between
    /// each point's two positions, divided by the RMS distance of <paramref name="to"/>'s points from their centroid (so a
    /// t-SNE layout of radius 30 and a PCA layout of radius 0.3 compare alike; a random relabelling gives about √2).
    /// </summary>
    public static double Displacement(ReadOnlySpan<float> from, ReadOnlySpan<float> to, int dims)
    {
        if (dims < 1 || from.Length != to.Length || to.Length % dims != 0 || to.Length == 0)
            throw new ArgumentException($"Displacement: layouts of {from.Length} and {to.Length} values are not the same rows of {dims}.");
        int n = to.Length / dims;
        var c = Centroid(to, dims);
        double moved = 0, spread = 0;
        for (int i = 0; i < n; i++)
            for (int a = 0; a < dims; a++)
            {
                double d = to[i * dims + a] - from[i * dims + a];
                double r = to[i * dims + a] - c[a];
                moved += d * d;
                spread += r * r;
            }
        return spread > 0 ? Math.Sqrt(moved / spread) : 0;
    }

    private static double[] Centroid(ReadOnlySpan<float> y, int dims)
    {
        var c = new double[dims];
        int n = y.Length / dims;
        for (int i = 0; i < n; i++)
            for (int a = 0; a < dims; a++) c[a] += y[i * dims + a];
        for (int a = 0; a < dims; a++) c[a] /= Math.Max(1, n);
        return c;
    }

    /// <summary>R = U Vᵀ for M = U S Vᵀ, through the eigen-decomposition MᵀM = V S² Vᵀ (U = M V S⁻¹); per-axis sign flips when M is degenerate.</summary>
    private static double[] Rotation(double[] m, int d)
    {
        var mtm = new double[d * d];
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
            {
                double s = 0;
                for (int k = 0; k < d; k++) s += m[k * d + a] * m[k * d + b];
                mtm[a * d + b] = s;
            }
        var (values, v) = SymmetricEigen.Decompose(mtm, d);
        var identity = new double[d * d];
        for (int a = 0; a < d; a++) identity[a * d + a] = 1;
        // A (near) rank-deficient M leaves U undetermined along the null directions: only flip the axes that point backwards.
        if (!(values[0] > 0) || values[d - 1] <= values[0] * 1e-12)
        {
            for (int a = 0; a < d; a++) identity[a * d + a] = m[a * d + a] < 0 ? -1 : 1;
            return identity;
        }
        // U = M V S⁻¹, then R = U Vᵀ.
        var u = new double[d * d];
        for (int a = 0; a < d; a++)
            for (int k = 0; k < d; k++)
            {
                double s = 0;
                for (int b = 0; b < d; b++) s += m[a * d + b] * v[b * d + k];
                u[a * d + k] = s / Math.Sqrt(values[k]);
            }
        var r = new double[d * d];
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
            {
                double s = 0;
                for (int k = 0; k < d; k++) s += u[a * d + k] * v[b * d + k];
                r[a * d + b] = s;
            }
        return r;
    }

    /// <summary>Wraps t-SNE's reports of one frame into the animation's.</summary>
    private sealed class ForwardProgress(IProgress<EmbeddingAnimationProgress> outer, int frame, int frames, long step) : IProgress<TsneProgress>
    {
        public void Report(TsneProgress value) => outer.Report(new EmbeddingAnimationProgress(frame, frames, step, value));
    }
}
