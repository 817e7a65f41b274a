using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using NeuroCore.Visualization.Color;
using NeuroCore.Visualization.Layout;
using NeuroCore.Visualization.Model;
using SharpGLTF.Schema2;
using SharpGLTF.Transforms;

namespace NeuroCore.Visualization.Gltf;

// What the scene says about itself: scene extras, the animation's time mapping, JSON values.
public static partial class NetworkSceneBuilder
{
    /// <summary>Scene-level description: what the run is and what is shown.</summary>
    private static JsonObject DescribeScene(SceneContext ctx, IReadOnlyDictionary<string, string> metadata, JsonArray layerExtras)
    {
        var (o, frames, referenceFrame, selection) = (ctx.Options, ctx.Frames, ctx.ReferenceFrame, ctx.Selection);
        var run = new JsonObject();
        foreach (var (k, v) in metadata) run[k] = v;
        var sceneExtras = new JsonObject
        {
            ["neurocore"] = new JsonObject
            {
                ["format"] = FormatName,
                ["version"] = FormatVersion,
                ["run"] = run,
                ["probe"] = o.Probe,
                ["steps"] = new JsonArray(frames.Select(fr => (JsonNode)fr.Step).ToArray()),
                ["referenceStep"] = referenceFrame.Step,
                ["connectionBudget"] = o.MaxConnections,
                ["connectionsShown"] = selection.ShownCount,
                ["connectionsTotal"] = selection.TotalCount,
                ["connectionsCaption"] = $"{selection.ShownCount.ToString("N0", CultureInfo.InvariantCulture)} of {selection.TotalCount.ToString("N0", CultureInfo.InvariantCulture)} connections",
                ["layers"] = layerExtras,
                ["colors"] = new JsonObject
                {
                    ["weights"] = $"diverging: negative {DivergingColorMap.NegativeEnd}, zero {DivergingColorMap.Neutral}, positive {DivergingColorMap.PositiveEnd}; brightness = sqrt(|w| / layer weightScale)",
                    ["activations"] = $"sequential (inferno-like) {SequentialColorMap.Low} to {SequentialColorMap.High} over the layer's activationMin..activationMax; sphere radius grows with it",
                },
                ["axes"] = "layers along +X (input first), Y up; neuron k of a layer is element k of its shape in row-major order",
            },
        };
        return sceneExtras;
    }

    /// <summary>The "training" animation (STEP scale keys switch the snapshot groups) and its time mapping.</summary>
    private static JsonObject Animate(SceneContext ctx, Node[] snapshotNodes)
    {
        var (root, frames, o) = (ctx.Root, ctx.Frames, ctx.Options);
        var times = new float[frames.Length];
        for (var f = 0; f < frames.Length; f++)
            times[f] = o.SecondsPerStep is { } sps ? (frames[f].Step - frames[0].Step) * sps : f * o.SecondsPerSnapshot;
        // Players loop by default (three.js LoopRepeat) and would jump from the last key straight back to
        // step 0, so the trained network would never be seen: one more key holds the final state.
        var hold = MathF.Max(1f, 2f * times[^1] / Math.Max(1, frames.Length - 1));
        var end = times[^1] + hold;
        var anim = root.CreateAnimation("training");
        for (var f = 0; f < frames.Length; f++)
        {
            var keys = new Dictionary<float, Vector3>(frames.Length + 1);
            for (var k = 0; k < frames.Length; k++) keys[times[k]] = k == f ? Vector3.One : Vector3.Zero;
            keys[end] = f == frames.Length - 1 ? Vector3.One : Vector3.Zero;
            anim.CreateScaleChannel(snapshotNodes[f], keys, linear: false);
        }
        var mapping = new JsonObject
        {
            ["mode"] = o.SecondsPerStep is null ? "perSnapshot" : "perStep",
            ["secondsPerSnapshot"] = o.SecondsPerStep is null ? o.SecondsPerSnapshot : null,
            ["secondsPerStep"] = o.SecondsPerStep,
            ["animation"] = "training",
            ["interpolation"] = "STEP",
            ["keyframes"] = new JsonArray(frames.Select((fr, f) => (JsonNode)new JsonObject { ["time"] = times[f], ["step"] = fr.Step, ["node"] = snapshotNodes[f].Name }).ToArray()),
            ["duration"] = end,
            ["holdSeconds"] = hold,
            // glTF cannot set a scene frame range; Blender keeps 1–250. At its default 24 fps the keys span these frames.
            ["blenderFrameRange"] = new JsonArray(1, (int)MathF.Ceiling(end * 24f) + 1),
        };
        return mapping;
    }

    // NaN and infinities (a diverged run) are written as null: JSON has no literal for them.
    private static JsonNode? FiniteOrNull(float v) => float.IsFinite(v) ? JsonValue.Create(v) : null;

    private static JsonObject? MetricsJson(IReadOnlyDictionary<string, double>? metrics)
    {
        if (metrics is null) return null;
        var o = new JsonObject();
        foreach (var (k, v) in metrics) o[k] = double.IsFinite(v) ? v : null;
        return o;
    }
}
