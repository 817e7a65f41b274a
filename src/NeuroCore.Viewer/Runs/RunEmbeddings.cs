using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NeuroCore.Embeddings;
using NeuroCore.Visualization.Color;
using NeuroCore.Visualization.Embeddings;
using NeuroCore.Visualization.Runs;

namespace NeuroCore.Viewer.Runs;

/// <summary>
/// What <c>GET /api/runs/{id}/embedding</c> answers: the PCA or t-SNE embedding of one recorded layer's
/// probe activations at one snapshot (NeuroCore.Embeddings through <see cref="EmbeddingPipeline"/>), as
/// the <c>embedding.json</c> document plus the probe images and the class palette; and what
/// <c>GET /api/runs/{id}/embedding/frames</c> answers: the layer across snapshots (<see cref="RunLayerEmbedding.Animate"/>).
/// </summary>
/// <remarks>
/// Bounded for a public server: at most <see cref="MaxPoints"/> probe rows, t-SNE at most
/// <see cref="MaxIterations"/> iterations, one computation at a time, and the answers of the last
/// <see cref="CacheSize"/> (run, layer, step or steps, method, dims) kept; animations at most <see cref="MaxFrames"/>
/// frames of <see cref="MaxAnimationPoints"/> rows.
/// </remarks>
internal sealed class RunEmbeddings
{
    /// <summary>Probe rows embedded at most (the first ones when the probe holds more).</summary>
    public const int MaxPoints = 2000;

    /// <summary>t-SNE iterations at most.</summary>
    public const int MaxIterations = 500;

    /// <summary>Input-space neighbours sent per point.</summary>
    public const int Neighbors = 8;

    /// <summary>Answers kept.</summary>
    public const int CacheSize = 32;

    /// <summary>Snapshots an animation embeds at most.</summary>
    public const int MaxFrames = 24;

    /// <summary>Probe rows an animation embeds at most (every frame runs t-SNE on them).</summary>
    public const int MaxAnimationPoints = 1000;

    /// <summary>t-SNE iterations of every animation frame after the first (warm-started, no early exaggeration).</summary>
    public const int WarmIterations = 200;

    private readonly ConcurrentDictionary<string, string> _cache = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _gate = new();

    /// <summary>The JSON text of the embedding; computed once per key.</summary>
    /// <param name="folder">The run folder.</param>
    /// <param name="version">Changes when the run is replaced (the manifest's write time).</param>
    /// <param name="recorded">The recorded activation name (module) of the layer.</param>
    /// <param name="layer">The layer name as asked (sent back).</param>
    /// <param name="step">A step the run has a snapshot at.</param>
    /// <param name="method">pca or tsne.</param>
    /// <param name="dims">2 or 3.</param>
    /// <exception cref="ArgumentException">The layer was not recorded, or the data cannot be embedded.</exception>
    public string Get(string folder, DateTime version, string recorded, string layer, long step, string method, int dims) =>
        Cached(string.Join('\u001f', Path.GetFullPath(folder), version.Ticks, recorded, step, method, dims), () => Compute(folder, recorded, layer, step, method, dims));

    /// <summary>
    /// The JSON text of the layer's animation over <paramref name="steps"/> (ascending, recorded, at most <see cref="MaxFrames"/>):
    /// the last frame's embedding document (as <see cref="Get"/>) plus <c>frames</c>, every frame's step, KL divergence,
    /// displacement and positions (float32, base64); computed once per key.
    /// </summary>
    /// <exception cref="ArgumentException">The layer was not recorded, or the data cannot be embedded.</exception>
    public string GetFrames(string folder, DateTime version, string recorded, string layer, IReadOnlyList<long> steps, string method, int dims) =>
        Cached(string.Join('\u001f', "frames", Path.GetFullPath(folder), version.Ticks, recorded, string.Join(',', steps), method, dims),
            () => ComputeFrames(folder, recorded, layer, steps, method, dims));

    /// <summary>At most <paramref name="frames"/> recorded steps of the run, evenly spaced (first and last kept).</summary>
    public static long[] PickSteps(string folder, int frames) => RunLayerEmbedding.PickSteps(RunModel.Open(folder), frames);

    private string Cached(string key, Func<string> compute)
    {
        if (_cache.TryGetValue(key, out var hit)) return hit;
        lock (_gate)
        {
            if (_cache.TryGetValue(key, out hit)) return hit;
            var text = compute();
            _cache[key] = text;
            _order.Enqueue(key);
            while (_order.Count > CacheSize) _cache.TryRemove(_order.Dequeue(), out _);
            return text;
        }
    }

    private static EmbedSettings Settings(string method, int dims, int n) => new()
    {
        Method = method,
        Dimensions = dims,
        Iterations = MaxIterations,
        // t-SNE needs N > 3·perplexity; small probe batches get a smaller perplexity.
        Perplexity = Math.Max(1, Math.Min(30, (n - 1) / 3.0 - 0.01)),
        Neighbors = Neighbors,
    };

    private static string Compute(string folder, string recorded, string layer, long step, string method, int dims)
    {
        var source = Truncate(RunLayerActivations.Load(folder, recorded, checked((int)step)), MaxPoints, out var total);
        var view = EmbeddingPipeline.Run(source, Settings(method, dims, source.Input.Count));
        return Document(view, layer, recorded, step, total).ToJsonString();
    }

    private static string ComputeFrames(string folder, string recorded, string layer, IReadOnlyList<long> steps, string method, int dims)
    {
        var run = RunModel.Open(folder);
        int total = run.ProbeCount;
        int n = Math.Min(total, MaxAnimationPoints);
        var animation = RunLayerEmbedding.Animate(run, recorded, steps, Settings(method, dims, n), maxPoints: MaxAnimationPoints, warmIterations: WarmIterations);
        var json = Document(animation.Last, layer, recorded, steps[^1], total);
        var frames = new JsonArray();
        foreach (var f in animation.Animation.Frames)
        {
            var bytes = new byte[f.Coordinates.Length * sizeof(float)];
            for (var i = 0; i < f.Coordinates.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), f.Coordinates[i]);
            frames.Add(new JsonObject
            {
                ["step"] = f.Step,
                ["klDivergence"] = f.KlDivergence is { } kl && double.IsFinite(kl) ? kl : null,
                ["iterations"] = f.Iterations,
                ["displacement"] = f.Displacement,
                ["positions"] = Convert.ToBase64String(bytes),
            });
        }
        json["frames"] = frames;
        json["seconds"] = animation.Animation.Seconds;
        return json.ToJsonString();
    }

    private static JsonObject Document(EmbeddingView view, string layer, string recorded, long step, int total)
    {
        var source = view.Source;
        var json = EmbeddingJson.ToJson(view);
        json["layer"] = layer;
        json["recordedAs"] = recorded;
        json["step"] = step;
        json["recorded"] = total;
        json["colors"] = new JsonArray(ClassColorMap.Colors.Select(c => (JsonNode)c.ToString()).ToArray());
        if (source.Images is { } images && source.ImageShape is { } shape)
        {
            // 0..1 grey or RGB values as bytes: a quarter of the floats' size and all a canvas can show.
            var bytes = new byte[images.Length];
            for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)Math.Clamp(MathF.Round(images[i] * 255f), 0f, 255f);
            json["imageShape"] = new JsonArray(shape.Select(s => (JsonNode)s).ToArray());
            json["images"] = Convert.ToBase64String(bytes);
        }
        return json;
    }

    private static EmbeddingSource Truncate(EmbeddingSource s, int max, out int total)
    {
        total = s.Input.Count;
        if (total <= max) return s;
        var d = s.Input.Dimensions;
        var input = EmbeddingInput.FromRows(s.Input.Data.AsSpan(0, max * d).ToArray(), max, d);
        var per = s.Images is { } im ? im.Length / total : 0;
        return s with
        {
            Input = input,
            Labels = s.Labels?.Take(max).ToArray(),
            Images = s.Images?.AsSpan(0, max * per).ToArray(),
        };
    }
}
