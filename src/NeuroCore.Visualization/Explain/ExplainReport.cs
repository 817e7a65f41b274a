using System.Globalization;
using System.Net;
using System.Text;
using NeuroCore.Autograd;
using NeuroCore.NN;

namespace NeuroCore.Visualization.Explain;

/// <summary>What <see cref="ExplainReport.Write"/> analyses and how.</summary>
public sealed class ExplainOptions
{
    /// <summary>Index (in the image pool) of the image whose occlusion, saliency and Grad-CAM maps are drawn.</summary>
    public int InputIndex { get; init; }

    /// <summary>The class explained, or null for the model's prediction.</summary>
    public int? ClassIndex { get; init; }

    /// <summary>Class names for captions (index = class), when known.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Labels of the pool's images, when known (shown in captions).</summary>
    public IReadOnlyList<long>? Labels { get; init; }

    /// <summary>Images per channel in the top-activations grid.</summary>
    public int Top { get; init; } = 9;

    /// <summary>Side of the occluding square, in pixels (default: about a quarter of the image side).</summary>
    public int? OcclusionPatch { get; init; }

    /// <summary>Step between occluding positions, in pixels.</summary>
    public int OcclusionStride { get; init; } = 2;

    /// <summary>A title for the index page (e.g. the run and step).</summary>
    public string Title { get; init; } = "NeuroCore explain";
}

/// <summary>The files written by <see cref="ExplainReport.Write"/>.</summary>
/// <param name="IndexPath">The index.html page.</param>
/// <param name="Files">Every file written, by role (filters, top-first, top-last, input, occlusion, saliency, gradcam, scene).</param>
/// <param name="PredictedClass">The model's prediction for the explained image.</param>
/// <param name="ExplainedClass">The class the maps explain.</param>
public sealed record ExplainResult(string IndexPath, IReadOnlyDictionary<string, string> Files, int PredictedClass, int ExplainedClass);

/// <summary>
/// Writes the Zeiler &amp; Fergus-style analyses of one convolutional model into a folder: first-layer filters,
/// top-activating images per channel of the first and last conv layers, and for one image its occlusion
/// sensitivity, saliency and Grad-CAM maps, with an index.html page that shows them and a glTF scene
/// (explain.glb) holding the same images as textured planes.
/// </summary>
public static class ExplainReport
{
    /// <summary>
    /// Puts <paramref name="model"/> in evaluation mode, analyses it on the images <paramref name="pool"/>
    /// [N, C, H, W] and writes the files under <paramref name="folder"/> (each through a temporary file).
    /// </summary>
    public static ExplainResult Write(Sequential model, Tensor pool, string folder, ExplainOptions? options = null)
    {
        var o = options ?? new ExplainOptions();
        if (pool.Rank != 4) throw new ArgumentException($"Explain: the image pool must be [N, C, H, W], got [{string.Join(", ", pool.Shape)}].");
        if (o.InputIndex < 0 || o.InputIndex >= pool.Size(0)) throw new ArgumentOutOfRangeException(nameof(options), $"Explain: input {o.InputIndex} is not in 0..{pool.Size(0) - 1}.");
        int firstConv = LayerRange.FirstIndexOf<Conv2d>(model);
        if (firstConv < 0) throw new ArgumentException("Explain: the model has no Conv2d layer; these analyses are for convolutional networks.");
        model.Eval();
        Directory.CreateDirectory(folder);
        var files = new Dictionary<string, string>();
        string Save(string role, string name, byte[] png)
        {
            ExplainImages.Save(Path.Combine(folder, name), png);
            files[role] = name;
            return name;
        }

        var image = pool.Narrow(0, o.InputIndex, 1).Contiguous();
        int predicted;
        using (GradMode.NoGrad()) predicted = (int)LayerRange.Logits(model, image).ArgMax(1).GetLong(0);
        int cls = o.ClassIndex ?? predicted;
        int h = image.Size(2), w = image.Size(3);
        int big = Math.Max(1, 224 / Math.Max(h, w));

        Save("filters", "filters.png", FilterGrid.RenderPng((Conv2d)model[firstConv], cellSize: 40));
        int firstMaps = LayerRange.ThroughActivation(model, firstConv);
        // A first layer's fields are a few pixels: whole images with the field outlined read better than 3×3 crops.
        Save("top-first", "top-first-conv.png", TopActivations.RenderPng(pool, TopActivations.Compute(model, pool, firstMaps, o.Top), patches: false));
        int lastMaps = LayerRange.ThroughActivation(model, LayerRange.LastIndexOf<Conv2d>(model));
        if (lastMaps != firstMaps)
            Save("top-last", "top-last-conv.png", TopActivations.RenderPng(pool, TopActivations.Compute(model, pool, lastMaps, o.Top)));

        var tile = ImageTile.FromImage(image);
        Save("input", "input.png", ExplainImages.GridPng([tile], 1, w * big, h * big));
        var occlusion = OcclusionSensitivity.Compute(model, image, cls, o.OcclusionPatch ?? Math.Max(2, Math.Min(h, w) / 4), o.OcclusionStride);
        Save("occlusion", "occlusion.png", ExplainImages.GridPng([tile, ExplainImages.Heat(occlusion.Probability), ExplainImages.Overlay(tile, occlusion.Drop)], 3, w * big, h * big));
        var saliency = Saliency.Compute(model, image, cls);
        Save("saliency", "saliency.png", ExplainImages.GridPng([tile, ExplainImages.Heat(saliency), ExplainImages.Overlay(tile, saliency)], 3, w * big, h * big));
        var cam = GradCam.Compute(model, image, cls);
        Save("gradcam", "gradcam.png", ExplainImages.GridPng([tile, ExplainImages.Heat(cam.FeatureMap), ExplainImages.Overlay(tile, cam.Upsampled)], 3, w * big, h * big));

        // The same images as textured planes, for glTF viewers (and Blender).
        var scene = ExplainScene.Build([.. files.Select(f => (f.Key, File.ReadAllBytes(Path.Combine(folder, f.Value))))]);
        Gltf.GltfExporter.Save(scene, Path.Combine(folder, "explain.glb"));
        files["scene"] = "explain.glb";

        var index = Path.Combine(folder, "index.html");
        var temp = index + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, Html(model, o, files, predicted, cls, occlusion, cam, firstConv, firstMaps, lastMaps), new UTF8Encoding(false));
        File.Move(temp, index, overwrite: true);
        return new ExplainResult(index, files, predicted, cls);
    }

    private static string Html(Sequential model, ExplainOptions o, Dictionary<string, string> files, int predicted, int cls,
        OcclusionResult occlusion, GradCamResult cam, int firstConv, int firstMaps, int lastMaps)
    {
        string Name(int c) => o.ClassNames is { } n && c >= 0 && c < n.Count ? $"{c} ({n[c]})" : c.ToString(CultureInfo.InvariantCulture);
        string E(string s) => WebUtility.HtmlEncode(s);
        var label = o.Labels is { } l && o.InputIndex < l.Count ? $", label {E(Name((int)l[o.InputIndex]))}" : "";
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(o.Title)).Append("</title>");
        sb.Append("<style>body{font-family:sans-serif;background:#18181b;color:#e4e4e7;max-width:1100px;margin:2em auto;padding:0 1em}img{image-rendering:pixelated;max-width:100%;border:1px solid #3f3f46}h2{margin-top:2em}code{color:#a5f3fc}</style></head><body>");
        sb.Append("<h1>").Append(E(o.Title)).Append("</h1>");
        sb.Append("<p>Model: <code>").Append(E(string.Join(" → ", model.Layers.Select(x => x.TypeName)))).Append("</code></p>");
        sb.Append("<p>Image ").Append(o.InputIndex).Append(label).Append(": predicted ").Append(E(Name(predicted))).Append("; maps explain class ").Append(E(Name(cls))).Append(".</p>");
        sb.Append("<p><img src=\"input.png\" alt=\"the explained image\"></p>");
        void Section(string role, string title, string text)
        {
            if (!files.TryGetValue(role, out var file)) return;
            sb.Append("<h2>").Append(E(title)).Append("</h2><p>").Append(E(text)).Append("</p><p><img src=\"").Append(E(file)).Append("\" alt=\"").Append(E(title)).Append("\"></p>");
        }
        Section("filters", "First-layer filters", $"The {((Conv2d)model[firstConv]).OutChannels} filters of layer {firstConv} (Conv2d), one per tile; mid-grey is 0, light positive, dark negative (each filter scaled to its own largest weight).");
        Section("top-first", "Top-activating patches, first conv layer", $"One row per channel of layer {firstMaps}: the {o.Top} images that excite it most, strongest first, with the receptive field of the strongest unit outlined.");
        Section("top-last", "Top-activating patches, last conv layer", $"One row per channel of layer {lastMaps}: the {o.Top} image patches (the receptive field of the strongest unit) that excite it most: larger fields, more specific patterns.");
        Section("occlusion", "Occlusion sensitivity", $"A grey square slid over the image; middle: the probability of class {Name(cls)} with the square covering each pixel (baseline {occlusion.BaselineProbability:P1}, lowest {occlusion.Grid.Min:P1}); right: the drop in probability over the image.");
        Section("saliency", "Saliency", $"|∂ score / ∂ pixel| of class {Name(cls)}'s logit, from NeuroCore's autograd; right: over the image.");
        Section("gradcam", "Grad-CAM", $"Layer {cam.LayerIndex}'s feature maps weighted by the mean gradient of class {Name(cls)}'s logit (score {cam.Score:G4}), ReLU; middle: at the layer's {cam.FeatureMap.Height}×{cam.FeatureMap.Width} resolution, right: upsampled over the image.");
        sb.Append("<h2>glTF scene</h2><p><a href=\"explain.glb\">explain.glb</a>: every image above as a textured plane, for any glTF viewer or Blender.</p>");
        sb.Append("</body></html>\n");
        return sb.ToString();
    }
}
