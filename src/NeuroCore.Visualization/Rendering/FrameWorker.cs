using NeuroCore.Visualization.Color;

namespace NeuroCore.Visualization.Rendering;

/// <summary>
/// Per-thread state of a render: the frame's network, activations, scene, rasterizer and HUD. Renders one
/// <see cref="FrameTime"/> at a time: interpolate, evaluate, build the scene, build the HUD, rasterize.
/// </summary>
internal sealed class FrameWorker : IDisposable
{
    private readonly TimelapseRenderer.Plan _plan;
    private readonly FrameNetwork _network;
    private readonly FrameActivations _activations;
    private readonly RenderScene _scene;
    private readonly HudState _hud = new();
    private DecisionGrid? _grid;

    public FrameWorker(TimelapseRenderer.Plan plan)
    {
        _plan = plan;
        _network = new FrameNetwork(plan.Data);
        _activations = new FrameActivations(plan.Data.LayerSizes);
        _scene = new RenderScene(plan.Layout.Positions.Length, plan.Layout.ShownCount);
        Frame = new FrameRenderer(plan.Options.Width, plan.Options.Height);
        for (int i = 0; i < _scene.NeuronCount; i++) _scene.NeuronPosition[i] = plan.Layout.Positions[i];
        // Framed clear of the panels the HUD will draw (all frames have the same ones).
        var options = plan.Options;
        var area = NetworkFraming.AreaFor(options, plan.Data.Points is not null || plan.Data.ProbeImage is not null, plan.History.Length > 0);
        _framing = NetworkFraming.Create(plan.Layout.Positions, plan.Layout.Radius, options.Camera, options.Width, options.Height, area);
    }

    private readonly NetworkFraming _framing;

    /// <summary>The pixel rectangle the neurons covered in the last rendered frame.</summary>
    public SkiaSharp.SKRect LastNetworkBounds { get; private set; }

    /// <summary>The area the network is framed in.</summary>
    public SkiaSharp.SKRect FramingArea => _framing.Area;

    /// <summary>False to leave the HUD out of the pixels while framing as if it were there (tests look at the network alone).</summary>
    public bool DrawHud { get; set; } = true;

    public FrameRenderer Frame { get; }

    /// <summary>The HUD of the last rendered frame, or null without a HUD.</summary>
    public HudState? LastHud { get; private set; }

    public void Render(FrameTime time)
    {
        var snaps = _plan.Data.Snapshots;
        var a = snaps[time.Snapshot];
        var b = time.T > 0 && time.Snapshot + 1 < snaps.Count ? snaps[time.Snapshot + 1] : a;
        _network.Load(a, b, time.T);
        if (a.Activations is { } ra && b.Activations is { } rb) _activations.Interpolate(ra, rb, time.T);
        else _activations.Compute(_network, _plan.Probes);

        BuildNeurons();
        BuildConnections(a, b, time.T);
        var options = _plan.Options;
        HudState? hud = options.ShowHud ? BuildHud(a, b, time) : null;
        LastHud = hud;
        var camera = _framing.CameraAt(time.VideoTime);
        LastNetworkBounds = _framing.ProjectedBounds(camera);
        Frame.Render(_scene, camera, DrawHud ? hud : null);
    }

    private void BuildNeurons()
    {
        var layout = _plan.Layout;
        var sizes = layout.LayerSizes;
        for (int k = 0; k < sizes.Count; k++)
        {
            float inv = 1f / _plan.ActivationScales[k];
            for (int i = 0; i < sizes[k]; i++)
            {
                int id = layout.LayerStart[k] + i;
                // Colour from the shared sequential map (as the glTF neurons), glow growing with |activation|.
                float magnitude = Math.Clamp(_activations.MeanAbs[k][i] * inv, 0f, 1f);
                var color = Palette.Sequential(magnitude);
                _scene.NeuronFill[id] = color;
                _scene.NeuronGlowColor[id] = color.Lerp(new Rgb(1, 1, 1), 0.15f);
                _scene.NeuronGlow[id] = 0.6f * magnitude * magnitude;
                _scene.NeuronRadius[id] = layout.Radius[id];
            }
        }
    }

    // Only the drawn connections are interpolated here; the network holds the full interpolated weights.
    private void BuildConnections(WeightSnapshot a, WeightSnapshot b, float t)
    {
        var layout = _plan.Layout;
        var sizes = layout.LayerSizes;
        float scale = _plan.Options.Height / 720f;
        int count = 0;
        for (int k = 0; k + 1 < sizes.Count; k++)
        {
            var wa = a.Weights[k];
            var wb = b.Weights[k];
            int nIn = sizes[k];
            float weightScale = _plan.WeightScales[k];
            foreach (int id in layout.Shown[k])
            {
                float v = wa[id] + t * (wb[id] - wa[id]);
                float strength = DivergingColorMap.Strength(v, weightScale);
                _scene.SegmentFrom[count] = layout.LayerStart[k] + id % nIn;
                _scene.SegmentTo[count] = layout.LayerStart[k + 1] + id / nIn;
                _scene.SegmentColor[count] = Palette.Diverging(v, weightScale);
                _scene.SegmentWidth[count] = (0.6f + 2.4f * strength) * scale;
                _scene.SegmentAlpha[count] = 0.08f + 0.87f * strength;
                count++;
            }
        }
        _scene.SegmentCount = count;
    }

    private HudState BuildHud(WeightSnapshot a, WeightSnapshot b, FrameTime time)
    {
        var data = _plan.Data;
        var history = _plan.History;
        float t = time.T;
        _hud.Title = data.Title;
        _hud.Step = (long)Math.Round(a.Step + (b.Step - a.Step) * (double)t);
        _hud.Epoch = t < 1 ? a.Epoch : b.Epoch;
        _hud.Epochs = data.Epochs;
        _hud.History = history;
        var current = history.LastOrDefault(h => h.Step <= _hud.Step);
        bool hasCurrent = history.Length > 0 && history[0].Step <= _hud.Step;
        // The last snapshot's own figures are of its (often partial) last batch: there the readout is the epoch's.
        var (lossA, accA) = Figures(a, time.Snapshot);
        var (lossB, accB) = Figures(b, ReferenceEquals(a, b) ? time.Snapshot : time.Snapshot + 1);
        _hud.Loss = lossA is { } la && lossB is { } lb ? la + (lb - la) * t : hasCurrent ? current.Loss : null;
        _hud.Accuracy = accA is { } aa && accB is { } ab ? aa + (ab - aa) * t : hasCurrent ? current.Accuracy : null;
        _hud.LearningRate = a.LearningRate ?? (hasCurrent ? current.LearningRate : null);
        _hud.ValidationLoss = hasCurrent ? current.ValidationLoss : null;
        _hud.ValidationAccuracy = hasCurrent ? current.ValidationAccuracy : null;
        if (data.Points is not null)
        {
            _grid ??= new DecisionGrid(data, _plan.Options.DecisionGridSize, _plan.Extent);
            _hud.Grid = _grid.Render(_network);
            _hud.GridSize = _grid.GridSize;
            _hud.Points = data.Points;
            _hud.Labels = data.Labels;
            _hud.Extent = _plan.Extent;
        }
        else if (data.ProbeImage is { } image) Predict(data, image);
        return _hud;
    }

    private (float? Loss, float? Accuracy) Figures(WeightSnapshot snapshot, int index) =>
        index == _plan.Data.Snapshots.Count - 1 && _plan.Data.FinalEpoch is { } epoch && epoch.Step == snapshot.Step
            ? (epoch.Loss ?? snapshot.Loss, epoch.Accuracy ?? snapshot.Accuracy)
            : (snapshot.Loss, snapshot.Accuracy);

    private void Predict(TimelapseData data, float[] image)
    {
        _hud.ProbeImage = image;
        _hud.ProbeWidth = data.ProbeWidth;
        _hud.ProbeHeight = data.ProbeHeight;
        // Predict on the probe as the network saw it (possibly standardized), not on the display copy.
        var input = data.ProbeInputs is { Count: > 0 } probes ? probes[0] : image;
        var outputs = _network.Forward(Tensor.FromArray(input, 1, input.Length));
        var probs = new float[outputs.Length];
        _network.Probabilities(outputs, probs);
        int best = 0;
        for (int i = 1; i < probs.Length; i++) if (probs[i] > probs[best]) best = i;
        _hud.PredictedClass = probs.Length == 1 ? (probs[0] >= 0.5f ? 1 : 0) : best;
        _hud.PredictedProbability = probs.Length == 1 ? MathF.Max(probs[0], 1 - probs[0]) : probs[best];
        _hud.PredictedName = data.ClassNames is { } names && _hud.PredictedClass < names.Count ? names[_hud.PredictedClass] : null;
    }

    public void Dispose() => Frame.Dispose();
}
