using System.Runtime.InteropServices;
using NeuroCore.Autograd;
using NeuroCore.NN;
using NeuroCore.Snapshots;
using SkiaSharp;

namespace NeuroCore.Visualization.Rendering.Conv;

/// <summary>
/// Per-thread state of a convolutional render: the rebuilt network (the run's own Sequential), the parameters
/// interpolated between two snapshots, a real forward pass on the probe image with hooks on every layer, and the
/// panels drawn by SkiaSharp.
/// </summary>
internal sealed class ConvFrameWorker : IDisposable
{
    private readonly ConvTimelapseRenderer.Plan _plan;
    private readonly Sequential _network;
    private readonly List<(string Name, Module Module)> _layers;
    private readonly Tensor?[] _outputs;
    private readonly List<IDisposable> _hooks = [];
    private readonly byte[] _rgba;
    private readonly SKSurface _surface;
    private readonly byte[] _scratch;
    private readonly Dictionary<int, Snapshot> _cache = [];

    public ConvFrameWorker(ConvTimelapseRenderer.Plan plan)
    {
        _plan = plan;
        _network = plan.Run.LoadNetwork(plan.Indexes[0]);
        _network.Eval();
        _layers = [.. _network.NamedChildren()];
        _outputs = new Tensor?[_layers.Count];
        for (int i = 0; i < _layers.Count; i++)
        {
            int k = i;
            _hooks.Add(_layers[i].Module.RegisterForwardHook((_, _, output) => _outputs[k] = output));
        }
        int w = plan.Options.Width, h = plan.Options.Height;
        _rgba = GC.AllocateArray<byte>(w * h * 4, pinned: true);
        _surface = SKSurface.Create(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul), Marshal.UnsafeAddrOfPinnedArrayElement(_rgba, 0), w * 4)
            ?? throw new InvalidOperationException($"SkiaSharp could not create a {w}×{h} raster surface.");
        _scratch = new byte[Math.Max(64 * 64, plan.MaxMapPixels) * 4];
    }

    /// <summary>The last rendered frame, RGBA8888.</summary>
    public byte[] Pixels => _rgba;

    /// <summary>What the last frame showed.</summary>
    public ConvFrameState State { get; private set; } = new();

    public void Render(FrameTime time)
    {
        var a = Snap(time.Snapshot);
        var b = time.T > 0 && time.Snapshot + 1 < _plan.Indexes.Length ? Snap(time.Snapshot + 1) : a;
        RecordedNetwork.LoadSnapshot(_network, time.T > 0 && !ReferenceEquals(a, b) ? Lerp(a, b, time.T) : a);
        State = Evaluate();
        long step = (long)Math.Round(a.Step + (b.Step - a.Step) * (double)time.T);
        Draw(step, time.T < 1 ? a.Entry : b.Entry);
    }

    private Snapshot Snap(int k)
    {
        if (_cache.TryGetValue(k, out var s)) return s;
        // Frames walk forward through the snapshots: keep this one's neighbours, drop the rest.
        foreach (int old in _cache.Keys.Where(key => Math.Abs(key - k) > 1).ToList()) _cache.Remove(old);
        s = _plan.Run.LoadSnapshot(_plan.Indexes[k]);
        _cache[k] = s;
        return s;
    }

    private static Snapshot Lerp(Snapshot a, Snapshot b, float t)
    {
        var parameters = new Dictionary<string, Tensor>();
        foreach (var (name, ta) in a.Parameters)
        {
            if (!b.Parameters.TryGetValue(name, out var tb)) { parameters[name] = ta; continue; }
            var va = ta.ToArray();
            var vb = tb.ToArray();
            for (int i = 0; i < va.Length; i++) va[i] += t * (vb[i] - va[i]);
            parameters[name] = Tensor.FromArray(va, ta.Shape);
        }
        return new Snapshot
        {
            Entry = a.Entry, Parameters = parameters, Buffers = t < 0.5f ? a.Buffers : b.Buffers,
            Gradients = new Dictionary<string, Tensor>(), GradientNorms = new Dictionary<string, float>(), Activations = new Dictionary<string, Tensor>(),
        };
    }

    /// <summary>The forward pass on the probe image: stacks after each convolution's activation and each pooling, dense outputs, softmax.</summary>
    private ConvFrameState Evaluate()
    {
        Array.Clear(_outputs);
        Tensor logits;
        using (GradMode.NoGrad()) logits = _network.Call(_plan.ProbeInput);
        var state = new ConvFrameState();
        int convs = 0;
        for (int i = 0; i < _layers.Count; i++)
        {
            var (name, module) = _layers[i];
            if (_outputs[i] is not { } o) continue;
            bool isConv = module is Conv2d;
            bool isPool = module is MaxPool2d or AvgPool2d;
            bool next = i + 1 < _layers.Count && IsActivation(_layers[i + 1].Module);
            if ((isConv || isPool) && o.Rank == 4)
            {
                // A convolution is shown after its activation, as the next layer sees it.
                var shown = isConv && next && _outputs[i + 1] is { Rank: 4 } act ? act : o;
                var sh = shown.Shape;
                string label = isConv ? $"conv {++convs} ({name})" : $"pool ({name})";
                state.Stacks.Add(new FeatureStack(label, sh[1], sh[2], sh[3], shown.Contiguous().ToArray(), isConv));
            }
            else if (module is Linear && o.Rank == 2)
            {
                var shown = next && _outputs[i + 1] is { Rank: 2 } act ? act : o;
                state.Vectors.Add(shown.Contiguous().ToArray());
            }
        }
        var z = logits.Contiguous().ToArray();
        state.Probabilities = Softmax(z);
        if (_layers.Select(l => l.Module).OfType<Conv2d>().FirstOrDefault() is { } first)
        {
            var w = first.Weight.Contiguous().ToArray();
            var sh = first.Weight.Shape; // [out, in, k, k]
            int outC = sh[0], inC = sh[1], k = sh[2] * sh[3];
            var mean = new float[outC * k];
            for (int o = 0; o < outC; o++)
                for (int c = 0; c < inC; c++)
                    for (int j = 0; j < k; j++) mean[o * k + j] += w[(o * inC + c) * k + j] / inC;
            state.Filters = mean;
            state.FilterCount = outC;
            state.FilterSize = sh[2];
        }
        return state;
    }

    private static bool IsActivation(Module m) => ActivationFunctions.FromTypeName(m.GetType().Name) is not null;

    /// <summary>Softmax of <paramref name="z"/> (a single output: the sigmoid's two classes).</summary>
    internal static float[] Softmax(float[] z)
    {
        if (z.Length == 1) { float p = 1f / (1f + MathF.Exp(-z[0])); return [1 - p, p]; }
        float max = z.Max();
        var e = z.Select(v => MathF.Exp(v - max)).ToArray();
        float sum = e.Sum();
        return [.. e.Select(v => v / sum)];
    }

    private void Draw(long step, SnapshotEntry entry)
    {
        var o = _plan.Options;
        int w = o.Width, h = o.Height;
        float s = ConvLayout.Scale(w, h);
        var canvas = _surface.Canvas;
        using (var bg = new SKPaint())
        {
            using var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, h),
                [ToSk(Palette.BackgroundTop), ToSk(Palette.BackgroundBottom)], SKShaderTileMode.Clamp);
            bg.Shader = shader;
            canvas.DrawRect(0, 0, w, h, bg);
        }
        using var font = new SKFont(Fonts.Sans, 22 * s) { Subpixel = true, Edging = SKFontEdging.Antialias };
        using var small = new SKFont(Fonts.Sans, 15 * s) { Subpixel = true, Edging = SKFontEdging.Antialias };
        var hud = Hud(step, entry);
        if (o.ShowHud)
        {
            using var text = new SKPaint { IsAntialias = true, Color = Rendering.Hud.TextColor };
            using var dim = new SKPaint { IsAntialias = true, Color = Rendering.Hud.DimColor };
            canvas.DrawText(_plan.Title, 16 * s, 34 * s, SKTextAlign.Left, font, text);
            string epoch = hud.Epochs is { } e ? $"epoch {hud.Epoch + 1}/{e}" : $"epoch {hud.Epoch + 1}";
            string status = $"step {step:N0}   {epoch}";
            if (hud.Loss is { } loss) status += $"   loss {loss:0.0000}";
            if (hud.Accuracy is { } acc) status += $"   acc {acc * 100:0.0}%";
            canvas.DrawText(status, 16 * s, 56 * s, SKTextAlign.Left, small, dim);
            Rendering.Hud.DrawValidation(canvas, 16 * s, 76 * s, hud, small);
        }
        FeatureStackView.Draw(canvas, ConvLayout.Network(w, h), State, s, small, _scratch);
        ProbabilityBarsPanel.Draw(canvas, w, h, State, _plan.ProbeImage, _plan.ProbeWidth, _plan.ProbeHeight, _plan.ProbeClass, _plan.ClassNames, s, small, _scratch);
        FilterPanel.Draw(canvas, ConvLayout.Filters(w, h), State, s, small, _scratch);
        var convStacks = State.Stacks.Where(st => st.IsConv).ToList();
        for (int k = 0; k < convStacks.Count; k++)
            FeatureMapGridPanel.Draw(canvas, ConvLayout.FeatureMapPanel(w, h, k, convStacks.Count), convStacks[k], s, small, _scratch);
        if (o.ShowHud)
        {
            Rendering.Hud.DrawCharts(canvas, w, h, hud, s, small);
            ConvLegend.Draw(canvas, w, h, s, small);
        }
        canvas.Flush();
    }

    private HudState Hud(long step, SnapshotEntry entry)
    {
        var history = _plan.History;
        var current = history.LastOrDefault(p => p.Step <= step);
        bool has = history.Length > 0 && history[0].Step <= step;
        return new HudState
        {
            Step = step, Epoch = entry.Epoch, Epochs = _plan.Epochs, History = history,
            Loss = has ? current.Loss : null, Accuracy = has ? current.Accuracy : null,
            ValidationLoss = has ? current.ValidationLoss : null, ValidationAccuracy = has ? current.ValidationAccuracy : null,
        };
    }

    private static SKColor ToSk(Rgb c) => new((byte)(c.R * 255), (byte)(c.G * 255), (byte)(c.B * 255));

    public void Dispose()
    {
        foreach (var hook in _hooks) hook.Dispose();
        _surface.Dispose();
    }
}
