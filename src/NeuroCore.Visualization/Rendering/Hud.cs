using System.Globalization;
using SkiaSharp;

namespace NeuroCore.Visualization.Rendering;

/// <summary>Draws the HUD with SkiaSharp over the rasterized network.</summary>
internal static class Hud
{
    private static readonly SKColor Text = new(232, 236, 244);
    private static readonly SKColor Dim = new(150, 158, 175);
    private static readonly SKColor PanelFill = new(20, 24, 36, 200);
    private static readonly SKColor PanelEdge = new(70, 80, 100, 220);
    private static readonly SKColor LossColor = new(255, 120, 100);
    private static readonly SKColor AccColor = new(110, 210, 140);
    private static readonly SKColor ValidationColor = new(120, 190, 255);

    /// <summary>The HUD's text colour.</summary>
    internal static SKColor TextColor => Text;

    /// <summary>The HUD's label colour.</summary>
    internal static SKColor DimColor => Dim;

    /// <summary>Rectangle of the status text block (tests look for text pixels there).</summary>
    public static SKRect StatusBox(int width, int height)
    {
        float s = Scale(width, height);
        return new SKRect(16 * s, 10 * s, 16 * s + 520 * s, 10 * s + 62 * s);
    }

    /// <summary>Scale of HUD elements relative to a 1280×720 frame.</summary>
    public static float Scale(int width, int height) => MathF.Max(0.35f, MathF.Min(width / 1280f, height / 720f));

    /// <summary>
    /// The part of the frame no panel covers, where <see cref="NetworkFraming"/> puts the network: below the status text,
    /// above the charts (or the legend), left of the side panel (decision regions or probe image) when there is one.
    /// </summary>
    public static SKRect FreeArea(int width, int height, bool sidePanel, bool charts)
    {
        float s = Scale(width, height), gap = 10 * s;
        float top = StatusBox(width, height).Bottom + gap;
        float bottom = (charts ? ChartRect(height, s, 0).Top : LegendRect(width, height, s).Top) - gap;
        float right = (sidePanel ? SidePanel(width, s).Left : width - 16 * s) - gap;
        return new SKRect(16 * s, top, right, bottom);
    }

    /// <summary>The rectangles of the panels <see cref="Draw"/> puts on a frame with <paramref name="hud"/> (tests check the network stays clear of them).</summary>
    internal static IReadOnlyList<(string Name, SKRect Rect)> Panels(int width, int height, HudState hud)
    {
        float s = Scale(width, height);
        var panels = new List<(string, SKRect)> { ("status", StatusBox(width, height)), ("legend", LegendRect(width, height, s)) };
        if (hud.History.Length > 0)
        {
            panels.Add(("loss chart", ChartRect(height, s, 0)));
            if (hud.History.Any(p => p.Accuracy.HasValue)) panels.Add(("accuracy chart", ChartRect(height, s, 1)));
        }
        if (hud.Grid is not null) panels.Add(("decision regions", SidePanel(width, s)));
        else if (hud.ProbeImage is not null) panels.Add(("probe input", SidePanel(width, s)));
        return panels;
    }

    private static SKRect ChartRect(int height, float s, int index)
    {
        float w = 300 * s, h = 120 * s, margin = 16 * s;
        float left = margin + index * (w + margin);
        return new SKRect(left, height - margin - h, left + w, height - margin);
    }

    private static SKRect LegendBar(int width, int height, float s) =>
        new(width - 16 * s - 300 * s, height - 16 * s - 10 * s, width - 16 * s, height - 16 * s);

    // Height of one legend row: a bar and its labels above it (15 px text 6 px above the bar).
    private const float LegendRowHeight = 34f;

    // The two bars (activations above weights) and their labels.
    private static SKRect LegendRect(int width, int height, float s)
    {
        var bar = LegendBar(width, height, s);
        return new SKRect(bar.Left, bar.Top - LegendRowHeight * s - 6 * s - 16 * s, bar.Right, bar.Bottom);
    }

    public static void Draw(SKCanvas canvas, int width, int height, HudState hud)
    {
        float s = Scale(width, height);
        using var font = new SKFont(Fonts.Sans, 22 * s) { Subpixel = true, Edging = SKFontEdging.Antialias };
        using var small = new SKFont(Fonts.Sans, 15 * s) { Subpixel = true, Edging = SKFontEdging.Antialias };
        using var paint = new SKPaint { IsAntialias = true, Color = Text };
        using var dimPaint = new SKPaint { IsAntialias = true, Color = Dim };

        var box = StatusBox(width, height);
        float y = box.Top + 24 * s;
        canvas.DrawText(hud.Title ?? "NeuroCore", box.Left, y, SKTextAlign.Left, font, paint);
        y += 24 * s;
        string epoch = hud.Epochs is { } e ? $"epoch {hud.Epoch + 1}/{e}" : $"epoch {hud.Epoch + 1}";
        string status = $"step {hud.Step:N0}   {epoch}";
        if (hud.LearningRate is { } lr) status += $"   lr {FormatNumber(lr)}";
        if (hud.Loss is { } loss) status += $"   loss {loss:0.0000}";
        if (hud.Accuracy is { } acc) status += $"   acc {acc * 100:0.0}%";
        canvas.DrawText(status, box.Left, y, SKTextAlign.Left, small, dimPaint);
        DrawValidation(canvas, box.Left, y + 20 * s, hud, small);

        DrawCharts(canvas, width, height, hud, s, small);
        if (hud.Grid is not null) DrawDecisionPanel(canvas, width, hud, s, small);
        else if (hud.ProbeImage is not null) DrawProbePanel(canvas, width, hud, s, small);
        DrawLegend(canvas, width, height, s, small);
    }

    /// <summary>The held-out figures of the last completed epoch, under the status line (nothing without them).</summary>
    internal static void DrawValidation(SKCanvas canvas, float x, float y, HudState hud, SKFont font)
    {
        if (hud.ValidationLoss is null && hud.ValidationAccuracy is null) return;
        string text = "held-out";
        if (hud.ValidationLoss is { } vl) text += $"   loss {vl:0.0000}";
        if (hud.ValidationAccuracy is { } va) text += $"   acc {va * 100:0.0}%";
        using var paint = new SKPaint { IsAntialias = true, Color = ValidationColor };
        canvas.DrawText(text, x, y, SKTextAlign.Left, font, paint);
    }

    private static string FormatNumber(float v) =>
        v != 0 && (MathF.Abs(v) < 1e-3f || MathF.Abs(v) >= 1e4f) ? v.ToString("0.##e0") : v.ToString("0.####");

    internal static void Panel(SKCanvas canvas, SKRect r, float s)
    {
        using var fill = new SKPaint { IsAntialias = true, Color = PanelFill };
        using var edge = new SKPaint { IsAntialias = true, Color = PanelEdge, Style = SKPaintStyle.Stroke, StrokeWidth = MathF.Max(1, s) };
        canvas.DrawRoundRect(r, 8 * s, 8 * s, fill);
        canvas.DrawRoundRect(r, 8 * s, 8 * s, edge);
    }

    internal static void DrawCharts(SKCanvas canvas, int width, int height, HudState hud, float s, SKFont font)
    {
        var history = hud.History;
        if (history.Length == 0) return;
        var lossRect = ChartRect(height, s, 0);
        bool hasAcc = history.Any(p => p.Accuracy.HasValue);
        long first = history[0].Step, last = Math.Max(history[^1].Step, first + 1);
        float maxLoss = 0;
        foreach (var p in history) if (float.IsFinite(p.Loss)) maxLoss = MathF.Max(maxLoss, p.Loss);
        if (maxLoss <= 0) maxLoss = 1;
        bool hasVal = history.Any(p => p.ValidationLoss.HasValue);
        foreach (var p in history) if (p.ValidationLoss is { } v && float.IsFinite(v)) maxLoss = MathF.Max(maxLoss, v);
        Chart(canvas, lossRect, "loss", history, p => p.Loss / maxLoss, first, last, hud.Step, LossColor, s, font,
            hud.Loss is { } l ? l.ToString("0.0000") : null);
        if (hasVal)
        {
            Curve(canvas, lossRect, history, p => p.ValidationLoss / maxLoss, first, last, hud.Step, ValidationColor, s);
            HeldOutLabel(canvas, lossRect, "loss", s, font);
        }
        if (hasAcc)
        {
            var accRect = ChartRect(height, s, 1);
            Chart(canvas, accRect, "accuracy", history, p => p.Accuracy, first, last, hud.Step, AccColor, s, font,
                hud.Accuracy is { } a ? $"{a * 100:0.0}%" : null);
            if (hasVal)
            {
                Curve(canvas, accRect, history, p => p.ValidationAccuracy, first, last, hud.Step, ValidationColor, s);
                HeldOutLabel(canvas, accRect, "accuracy", s, font);
            }
        }
    }

    private static void Chart(SKCanvas canvas, SKRect r, string label, MetricSample[] history, Func<MetricSample, float?> value,
        long first, long last, long current, SKColor color, float s, SKFont font, string? readout)
    {
        Panel(canvas, r, s);
        using var textPaint = new SKPaint { IsAntialias = true, Color = Dim };
        canvas.DrawText(label, r.Left + 10 * s, r.Top + 20 * s, SKTextAlign.Left, font, textPaint);
        if (readout is not null)
        {
            using var valuePaint = new SKPaint { IsAntialias = true, Color = color };
            canvas.DrawText(readout, r.Right - 10 * s, r.Top + 20 * s, SKTextAlign.Right, font, valuePaint);
        }
        var plot = new SKRect(r.Left + 10 * s, r.Top + 30 * s, r.Right - 10 * s, r.Bottom - 10 * s);
        using var grid = new SKPaint { IsAntialias = true, Color = new SKColor(255, 255, 255, 28), StrokeWidth = MathF.Max(1, s) };
        for (int i = 0; i <= 2; i++)
        {
            float gy = plot.Top + plot.Height * i / 2f;
            canvas.DrawLine(plot.Left, gy, plot.Right, gy, grid);
        }
        Curve(canvas, r, history, value, first, last, current, color, s);
    }

    /// <summary>"· held-out" after a chart's title, in the held-out curve's colour (the legend of the second curve).</summary>
    private static void HeldOutLabel(SKCanvas canvas, SKRect r, string title, float s, SKFont font)
    {
        using var paint = new SKPaint { IsAntialias = true, Color = ValidationColor };
        canvas.DrawText("· held-out", r.Left + 10 * s + font.MeasureText(title + " "), r.Top + 20 * s, SKTextAlign.Left, font, paint);
    }

    private static void Curve(SKCanvas canvas, SKRect r, MetricSample[] history, Func<MetricSample, float?> value,
        long first, long last, long current, SKColor color, float s)
    {
        var plot = new SKRect(r.Left + 10 * s, r.Top + 30 * s, r.Right - 10 * s, r.Bottom - 10 * s);
        using var path = new SKPath();
        bool started = false;
        float lastX = plot.Left, lastY = plot.Bottom;
        foreach (var p in history)
        {
            if (p.Step > current) break;
            if (value(p) is not { } v || !float.IsFinite(v)) continue;
            float x = plot.Left + plot.Width * (p.Step - first) / (float)(last - first);
            float y = plot.Bottom - plot.Height * Math.Clamp(v, 0f, 1f);
            if (!started) { path.MoveTo(x, y); started = true; }
            else path.LineTo(x, y);
            lastX = x; lastY = y;
        }
        if (!started) return;
        using var stroke = new SKPaint
        {
            IsAntialias = true, Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = 2f * s,
            StrokeJoin = SKStrokeJoin.Round, StrokeCap = SKStrokeCap.Round,
        };
        canvas.DrawPath(path, stroke);
        using var dot = new SKPaint { IsAntialias = true, Color = color };
        canvas.DrawCircle(lastX, lastY, 3.5f * s, dot);
    }

    /// <summary>The plot area of the decision-region panel (tests sample it).</summary>
    internal static SKRect DecisionPlot(int width, int height)
    {
        float s = Scale(width, height);
        var r = SidePanel(width, s);
        return new SKRect(r.Left + 10 * s, r.Top + 30 * s, r.Right - 10 * s, r.Bottom - 10 * s);
    }

    internal static SKRect SidePanel(int width, float s) =>
        new(width - 16 * s - 240 * s, 16 * s, width - 16 * s, 16 * s + 272 * s);

    private static void DrawDecisionPanel(SKCanvas canvas, int width, HudState hud, float s, SKFont font)
    {
        var r = SidePanel(width, s);
        Panel(canvas, r, s);
        using var textPaint = new SKPaint { IsAntialias = true, Color = Dim };
        canvas.DrawText("decision regions", r.Left + 10 * s, r.Top + 20 * s, SKTextAlign.Left, font, textPaint);
        var plot = new SKRect(r.Left + 10 * s, r.Top + 30 * s, r.Right - 10 * s, r.Bottom - 10 * s);
        canvas.Save();
        canvas.ClipRect(plot);
        var info = new SKImageInfo(hud.GridSize, hud.GridSize, SKColorType.Rgba8888, SKAlphaType.Premul);
        using (var image = SKImage.FromPixelCopy(info, hud.Grid!))
            canvas.DrawImage(image, plot, new SKSamplingOptions(SKFilterMode.Linear));
        if (hud.Points is { } pts && hud.Labels is { } labels)
        {
            var (x0, x1, y0, y1) = hud.Extent;
            using var fill = new SKPaint { IsAntialias = true };
            using var ring = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = MathF.Max(0.8f, 0.9f * s), Color = new SKColor(255, 255, 255, 200) };
            float radius = 2.6f * s;
            for (int i = 0; i < labels.Length; i++)
            {
                float px = plot.Left + (pts[2 * i] - x0) / (x1 - x0) * plot.Width;
                float py = plot.Bottom - (pts[2 * i + 1] - y0) / (y1 - y0) * plot.Height;
                var c = Palette.Class(labels[i]);
                fill.Color = new SKColor((byte)(c.R * 255), (byte)(c.G * 255), (byte)(c.B * 255));
                canvas.DrawCircle(px, py, radius, fill);
                canvas.DrawCircle(px, py, radius, ring);
            }
        }
        canvas.Restore();
    }

    private static void DrawProbePanel(SKCanvas canvas, int width, HudState hud, float s, SKFont font)
    {
        var r = SidePanel(width, s);
        Panel(canvas, r, s);
        using var textPaint = new SKPaint { IsAntialias = true, Color = Dim };
        canvas.DrawText("probe input", r.Left + 10 * s, r.Top + 20 * s, SKTextAlign.Left, font, textPaint);
        int w = hud.ProbeWidth, h = hud.ProbeHeight;
        var pixels = new byte[w * h * 4];
        for (int i = 0; i < w * h; i++)
        {
            byte v = (byte)Math.Clamp((int)(hud.ProbeImage![i] * 255f + 0.5f), 0, 255);
            pixels[4 * i] = pixels[4 * i + 1] = pixels[4 * i + 2] = v;
            pixels[4 * i + 3] = 255;
        }
        float side = MathF.Min(r.Width - 20 * s, r.Height - 70 * s);
        var dest = SKRect.Create(r.MidX - side / 2, r.Top + 30 * s, side, side * h / w);
        using (var image = SKImage.FromPixelCopy(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul), pixels))
            canvas.DrawImage(image, dest, new SKSamplingOptions(SKFilterMode.Nearest));
        if (hud.PredictedClass >= 0)
        {
            using var big = new SKFont(Fonts.Sans, 20 * s) { Subpixel = true };
            using var paint = new SKPaint { IsAntialias = true, Color = Text };
            canvas.DrawText($"predicted {hud.PredictedName ?? hud.PredictedClass.ToString(CultureInfo.InvariantCulture)}  ({hud.PredictedProbability * 100:0.0}%)", r.MidX, r.Bottom - 14 * s,
                SKTextAlign.Center, big, paint);
        }
    }

    // The frame's legend is the page's: the same shared maps (Color folder), sampled as finely as the page samples them.
    private static void DrawLegend(SKCanvas canvas, int width, int height, float s, SKFont font)
    {
        var weights = LegendBar(width, height, s);
        var activations = weights;
        activations.Offset(0, -LegendRowHeight * s);
        const int Samples = 64;
        DrawMap(canvas, weights, [.. Enumerable.Range(0, 2 * Samples + 1).Select(k => Palette.Diverging((k - Samples) / (float)Samples))], s);
        DrawMap(canvas, activations, [.. Enumerable.Range(0, Samples + 1).Select(k => Palette.Sequential(k / (float)Samples))], s);
        using var textPaint = new SKPaint { IsAntialias = true, Color = Dim };
        canvas.DrawText("negative", weights.Left, weights.Top - 6 * s, SKTextAlign.Left, font, textPaint);
        canvas.DrawText("weight", weights.MidX, weights.Top - 6 * s, SKTextAlign.Center, font, textPaint);
        canvas.DrawText("positive", weights.Right, weights.Top - 6 * s, SKTextAlign.Right, font, textPaint);
        canvas.DrawText("low", activations.Left, activations.Top - 6 * s, SKTextAlign.Left, font, textPaint);
        canvas.DrawText("activation", activations.MidX, activations.Top - 6 * s, SKTextAlign.Center, font, textPaint);
        canvas.DrawText("high", activations.Right, activations.Top - 6 * s, SKTextAlign.Right, font, textPaint);
    }

    private static void DrawMap(SKCanvas canvas, SKRect bar, Rgb[] colors, float s)
    {
        var pixels = new byte[colors.Length * 4];
        for (int i = 0; i < colors.Length; i++)
        {
            var c = ToSk(colors[i]);
            pixels[4 * i] = c.Red; pixels[4 * i + 1] = c.Green; pixels[4 * i + 2] = c.Blue; pixels[4 * i + 3] = 255;
        }
        using var image = SKImage.FromPixelCopy(new SKImageInfo(colors.Length, 1, SKColorType.Rgba8888, SKAlphaType.Premul), pixels);
        canvas.Save();
        using (var clip = new SKRoundRect(bar, 3 * s, 3 * s)) canvas.ClipRoundRect(clip, antialias: true);
        canvas.DrawImage(image, bar, new SKSamplingOptions(SKFilterMode.Linear));
        canvas.Restore();
    }

    /// <summary>The legend's weight bar (tests sample it).</summary>
    internal static SKRect WeightLegendBar(int width, int height) => LegendBar(width, height, Scale(width, height));

    /// <summary>The legend's activation bar (above the weight bar).</summary>
    internal static SKRect ActivationLegendBar(int width, int height)
    {
        var bar = LegendBar(width, height, Scale(width, height));
        bar.Offset(0, -LegendRowHeight * Scale(width, height));
        return bar;
    }

    private static SKColor ToSk(Rgb c) => new((byte)(c.R * 255), (byte)(c.G * 255), (byte)(c.B * 255));
}
