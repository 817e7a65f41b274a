namespace NeuroCore.Visualization.Rendering;

/// <summary>
/// Everything a timelapse shows about one training run: a multilayer perceptron's architecture,
/// its parameters at a series of snapshots, the metric history, and optionally the 2-D dataset
/// (for the decision-boundary panel) or a probe image.
/// </summary>
/// <remarks>
/// Layer <c>k</c> is a fully connected layer from <c>LayerSizes[k]</c> to <c>LayerSizes[k + 1]</c>
/// neurons followed by <c>Activations[k]</c>; its weights are stored row-major as
/// <c>[out, in]</c> like <c>torch.nn.Linear.weight</c>.
/// </remarks>
public sealed partial class TimelapseData
{
    /// <summary>Neurons per layer, input first (e.g. 2, 16, 16, 3).</summary>
    public required IReadOnlyList<int> LayerSizes { get; init; }

    /// <summary>
    /// Activation after each linear layer (<c>relu</c>, <c>tanh</c>, <c>sigmoid</c>, <c>leaky_relu</c>,
    /// <c>gelu</c>, <c>silu</c>, <c>identity</c>); one per layer transition. Missing entries mean identity.
    /// </summary>
    public IReadOnlyList<string> Activations { get; init; } = [];

    /// <summary>The recorded snapshots in training order (at least one).</summary>
    public required IReadOnlyList<WeightSnapshot> Snapshots { get; init; }

    /// <summary>Per-step (or per-epoch) metric history drawn as curves; snapshot metrics are used when empty.</summary>
    public IReadOnlyList<MetricSample> History { get; init; } = [];

    /// <summary>Planned number of epochs (shown as "epoch 3/20"), when known.</summary>
    public int? Epochs { get; init; }

    /// <summary>A title shown in the HUD (e.g. the dataset and model).</summary>
    public string? Title { get; init; }

    /// <summary>2-D input points, interleaved x, y (for the decision-boundary panel), or null.</summary>
    public float[]? Points { get; init; }

    /// <summary>Class label of each point in <see cref="Points"/>.</summary>
    public int[]? Labels { get; init; }

    /// <summary>
    /// Inputs whose mean activations make neurons glow (e.g. a recorded probe batch); when null, the
    /// 2-D points, the probe image or fixed random inputs are used.
    /// </summary>
    public IReadOnlyList<float[]>? ProbeInputs { get; init; }

    /// <summary>A probe image fed to the network (row-major grey values in 0..1), or null.</summary>
    public float[]? ProbeImage { get; init; }

    /// <summary>Width of <see cref="ProbeImage"/> in pixels.</summary>
    public int ProbeWidth { get; init; }

    /// <summary>Height of <see cref="ProbeImage"/> in pixels.</summary>
    public int ProbeHeight { get; init; }

    /// <summary>Class names by index (e.g. Fashion-MNIST's "T-shirt/top"), shown with the prediction when known.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>
    /// The drawn layers as the run model describes them (input shape by the one image rule, <c>dense_k</c>
    /// names), so a video and a glTF scene of a run lay it out alike; when null, an input layer (image-shaped
    /// for a probe image) and dense layers of <see cref="LayerSizes"/>.
    /// </summary>
    public Model.NetworkArchitecture? Architecture { get; init; }

    /// <summary>
    /// Mean training loss and accuracy of the last epoch (the run's <c>summary.json</c>), shown by the HUD at the last
    /// snapshot (when it is at <c>Step</c>) instead of that snapshot's own figures, which are of the (often partial) last batch alone. Null when
    /// not known; either figure may be null.
    /// </summary>
    public (long Step, float? Loss, float? Accuracy)? FinalEpoch { get; init; }

    /// <summary>
    /// Builds the network every frame's forward passes run on (called once per render thread), with the core's
    /// own modules: <see cref="FromRun"/> sets it to the recorded network rebuilt from the manifest. When null,
    /// the renderer builds Linear layers with the <see cref="Activations"/> after each.
    /// </summary>
    public Func<NeuroCore.NN.Sequential>? CreateNetwork { get; init; }

    /// <summary>Checks shapes and counts; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public void Validate()
    {
        if (Snapshots is null || Snapshots.Count == 0)
            throw new ArgumentException("Timelapse: the run has no snapshots; record at least one (e.g. with the snapshot recorder) before rendering.");
        if (LayerSizes is null || LayerSizes.Count < 2)
            throw new ArgumentException($"Timelapse: need at least an input and an output layer, got {LayerSizes?.Count ?? 0} layer sizes.");
        for (int k = 0; k < LayerSizes.Count; k++)
            if (LayerSizes[k] < 1) throw new ArgumentException($"Timelapse: layer {k} has {LayerSizes[k]} neurons.");
        int transitions = LayerSizes.Count - 1;
        // Snapshots read from a run are checked against the manifest's shapes as each is loaded.
        for (int s = 0; s < (Snapshots is RunSnapshotList ? 0 : Snapshots.Count); s++)
        {
            var snap = Snapshots[s];
            if (snap.Weights.Count != transitions)
                throw new ArgumentException($"Timelapse: snapshot {s} (step {snap.Step}) has {snap.Weights.Count} weight matrices, the architecture has {transitions} layers.");
            for (int k = 0; k < transitions; k++)
            {
                int expected = LayerSizes[k] * LayerSizes[k + 1];
                if (snap.Weights[k].Length != expected)
                    throw new ArgumentException($"Timelapse: snapshot {s} layer {k} weight has {snap.Weights[k].Length} values, expected [{LayerSizes[k + 1]}, {LayerSizes[k]}] = {expected}.");
                if (snap.Biases is { } b && b.Count > k && b[k] is { } bk && bk.Length != LayerSizes[k + 1])
                    throw new ArgumentException($"Timelapse: snapshot {s} layer {k} bias has {bk.Length} values, expected {LayerSizes[k + 1]}.");
            }
        }
        if (Points is not null)
        {
            if (LayerSizes[0] != 2) throw new ArgumentException($"Timelapse: 2-D points given but the network has {LayerSizes[0]} inputs.");
            if (Points.Length % 2 != 0 || Labels is null || Labels.Length != Points.Length / 2)
                throw new ArgumentException($"Timelapse: {Points.Length / 2} points need as many labels, got {Labels?.Length ?? 0}.");
        }
        if (ProbeInputs is not null)
            foreach (var p in ProbeInputs)
                if (p.Length != LayerSizes[0]) throw new ArgumentException($"Timelapse: a probe input has {p.Length} values, the network has {LayerSizes[0]} inputs.");
        if (ProbeImage is not null && (ProbeWidth * ProbeHeight != ProbeImage.Length || ProbeImage.Length != LayerSizes[0]))
            throw new ArgumentException($"Timelapse: probe image {ProbeWidth}×{ProbeHeight} with {ProbeImage.Length} values does not match {LayerSizes[0]} inputs.");
    }
}
