using System.Globalization;
using NeuroCore.Embeddings;
using NeuroCore.Visualization.Runs;

namespace NeuroCore.Visualization.Embeddings;

/// <summary>An animation of a run layer's embedding across snapshots, ready to write or serve.</summary>
/// <param name="Animation">The frames (one per step asked, same points in every frame).</param>
/// <param name="Last">The last frame as a full <see cref="EmbeddingView"/> (neighbours and figures of the last snapshot's rows).</param>
/// <param name="Layer">The layer as asked.</param>
/// <param name="RecordedAs">The module whose output was embedded (e.g. "1").</param>
public sealed record RunLayerAnimation(EmbeddingAnimationResult Animation, EmbeddingView Last, string Layer, string RecordedAs);

/// <summary>
/// A run's layer as rows to embed, read through <see cref="RunModel"/>: its recorded activations over the probe
/// batch (<see cref="RunLayerActivations"/>), or "a model plus data" — the run's network rebuilt at a snapshot
/// (<see cref="RunModel.LoadNetwork"/>) and run forward over a data set (<see cref="NetworkActivations"/>); and the
/// layer's embedding across snapshots as an animation (<see cref="EmbeddingAnimation"/>).
/// </summary>
public static class RunLayerEmbedding
{
    /// <summary>Fewest rows a data set must give (PCA needs two distinct points; t-SNE more, see its message).</summary>
    public const int MinRows = 2;

    /// <summary>
    /// The module whose output stands for <paramref name="layer"/>: a drawn layer name (<c>dense_1</c>, <c>conv_1</c>:
    /// its activation's output when it has one, as the viewer draws it) or a recorded module name (<c>"1"</c>).
    /// </summary>
    /// <exception cref="ArgumentException">No such layer, or the input layer (the message lists the layers).</exception>
    public static string ResolveLayer(RunModel run, string layer)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(layer);
        foreach (var l in run.Layers)
            if (l.Spec.Name == layer)
                return l.ActivationLayer ?? l.Module ?? throw new ArgumentException($"Layer '{layer}' is the network's input; pick a later layer ({Names(run)}).");
        if (run.Manifest.Architecture.FindLayer(layer) is not null) return layer;
        throw new ArgumentException($"Run '{run.Name}': no layer is named '{layer}'. Layers: {Names(run)}.");
    }

    /// <summary>
    /// Layer <paramref name="layer"/>'s output over <paramref name="data"/>'s rows: the run's network rebuilt with snapshot
    /// <paramref name="step"/>'s weights (the latest when null) and run forward in evaluation mode without gradients.
    /// Labels, class names and images are the data's.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown layer or step, fewer than <see cref="MinRows"/> rows, or rows whose width is not the network's input (the message says which).</exception>
    /// <exception cref="NotSupportedException">The recorded network cannot be rebuilt (a layer without a core module).</exception>
    public static EmbeddingSource FromData(RunModel run, string layer, EmbeddingSource data, long? step = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(data);
        string module = ResolveLayer(run, layer);
        int index = IndexOf(run, step);
        return Capture(run, module, index, data, cancellation) with
        {
            Description = $"run {run.Name}, layer {layer}, step {run.Steps[index]}, over {data.Description} ({data.Input.Count} rows)",
        };
    }

    /// <summary>The steps of at most <paramref name="frames"/> snapshots, evenly spaced, first and last kept (<see cref="RunModel.PickEvenly"/>).</summary>
    public static long[] PickSteps(RunModel run, int frames)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Steps.Count == 0) throw new ArgumentException($"Run '{run.Name}' has no snapshots yet.");
        return [.. run.PickEvenly(frames).Select(i => run.Steps[i])];
    }

    /// <summary>
    /// Layer <paramref name="layer"/>'s embedding at every step of <paramref name="steps"/> (ascending training steps with
    /// snapshots): the probe activations recorded at each, or, with <paramref name="data"/>, the network of each snapshot
    /// run over the data. t-SNE frames after the first are warm-started (<see cref="EmbeddingAnimationOptions.WarmOptions"/>),
    /// PCA frames aligned. <paramref name="maxPoints"/> keeps the first rows only.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown layer or step, a bad method, or rows that cannot be embedded (the message says which).</exception>
    public static RunLayerAnimation Animate(RunModel run, string layer, IReadOnlyList<long> steps, EmbedSettings settings, EmbeddingSource? data = null,
        int? maxPoints = null, int warmIterations = 250, IProgress<EmbeddingAnimationProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(settings);
        var method = settings.Method switch
        {
            "tsne" => EmbeddingAnimationMethod.Tsne,
            "pca" => EmbeddingAnimationMethod.Pca,
            _ => throw new ArgumentException($"embed: unknown method '{settings.Method}'; use pca or tsne."),
        };
        if (settings.Dimensions is not (2 or 3)) throw new ArgumentException($"embed: --dims must be 2 or 3, got {settings.Dimensions}.");
        string module = ResolveLayer(run, layer);
        var indexes = steps.Select(s => IndexOf(run, s)).ToArray();
        for (int f = 1; f < steps.Count; f++)
            if (steps[f] <= steps[f - 1]) throw new ArgumentException($"embed: the animation's steps must ascend without repeats; {steps[f]} follows {steps[f - 1]}.");
        if (data is not null && maxPoints is { } m) data = data.Take(m);
        EmbeddingSource? lastSource = null;
        EmbeddingSource Load(int f)
        {
            var source = data is null
                ? RunLayerActivations.Load(run.Run, module, steps[f])
                : Capture(run, module, indexes[f], data, cancellation);
            if (maxPoints is { } max) source = source.Take(max);
            if (f == steps.Count - 1) lastSource = source;
            return source;
        }
        var options = new EmbeddingAnimationOptions
        {
            Method = method,
            Tsne = EmbeddingPipeline.TsneOptionsOf(settings),
            WarmIterations = warmIterations,
            Progress = progress,
            Cancellation = cancellation,
        };
        var animation = EmbeddingAnimation.Compute(steps, f => Load(f).Input, options);
        var last = animation.Frames[^1];
        var metrics = new Dictionary<string, double> { ["frames"] = animation.Frames.Count, ["seconds"] = animation.Seconds };
        if (last.KlDivergence is { } kl) metrics["klDivergence"] = kl;
        if (animation.Frames.Count > 1) metrics["meanDisplacement"] = animation.Frames.Skip(1).Average(fr => fr.Displacement);
        var view = EmbeddingPipeline.Describe(lastSource!, last.Coordinates, settings, metrics);
        return new RunLayerAnimation(animation, view, layer, module);
    }

    private static EmbeddingSource Capture(RunModel run, string module, int index, EmbeddingSource data, CancellationToken cancellation)
    {
        if (data.Input.Count < MinRows)
            throw new ArgumentException($"The data has {data.Input.Count} row{(data.Input.Count == 1 ? "" : "s")}; at least {MinRows} are needed to embed.");
        var network = run.LoadNetwork(index);
        var rows = NetworkActivations.Capture(network, module, data.Input, run.InputShape, cancellation);
        return data with { Input = rows };
    }

    private static int IndexOf(RunModel run, long? step)
    {
        if (step is { } s)
        {
            if (run.TryIndexOfStep(s, out int i)) return i;
            throw new ArgumentException($"Run '{run.Name}' has no snapshot at step {s.ToString(CultureInfo.InvariantCulture)}; nearest: {string.Join(", ", run.NearestSteps(s))}.");
        }
        if (run.Steps.Count == 0) throw new ArgumentException($"Run '{run.Name}' has no snapshots yet.");
        return run.Steps.Count - 1;
    }

    private static string Names(RunModel run) =>
        string.Join(", ", run.Layers.Skip(1).Select(l => (l.ActivationLayer ?? l.Module) is { } m ? $"{l.Spec.Name} (= module {m})" : l.Spec.Name))
        + $"; or a module of the recorded network: {string.Join(", ", run.Manifest.Architecture.Layers.Select(l => $"{l.Name} ({l.TypeName})"))}";
}
