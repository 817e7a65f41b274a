using NeuroCore.Service.Options;
using NeuroCore.Visualization.Gltf;
using NeuroCore.Visualization.Layout;
using NeuroCore.Visualization.Rendering;

namespace NeuroCore.Service.Jobs;

/// <summary>A checked render request: the kind, format, renderer options, result name and media type.</summary>
public sealed record RenderPlan(string Kind, string Format, string FileName, string MediaType, TimelapseOptions? Timelapse, int MaxSnapshots, SceneOptions? Scene, int? Step)
{
    /// <summary>Checks <paramref name="request"/>; returns null and a message naming what is wrong when it is not acceptable.</summary>
    public static RenderPlan? TryCreate(RenderRequest request, ServiceLimits limits, out string? error)
    {
        error = null;
        string kind = request.Kind?.Trim().ToLowerInvariant() ?? "";
        string? format = request.Format?.Trim().ToLowerInvariant();
        switch (kind)
        {
            case "video":
                format ??= "mp4";
                if (format is not ("mp4" or "webm" or "png" or "webp")) { error = $"format '{format}' is not available for kind 'video' (mp4, webm, png, webp)."; return null; }
                break;
            case "frames":
                format ??= "png";
                if (format != "png") { error = $"format '{format}' is not available for kind 'frames' (png: a zip of numbered PNG frames)."; return null; }
                break;
            case "gltf-step" or "gltf-timeline":
                format ??= "glb";
                if (format != "glb") { error = $"format '{format}' is not available for kind '{kind}' (glb)."; return null; }
                break;
            default:
                error = $"kind '{request.Kind}' is not one of video, gltf-step, gltf-timeline, frames.";
                return null;
        }
        if (kind is "video" or "frames")
        {
            int w = request.Width ?? 1280, h = request.Height ?? 720;
            if (w < 16 || h < 16 || w > limits.MaxFrameSide || h > limits.MaxFrameSide) { error = $"width and height must be 16..{limits.MaxFrameSide} pixels (got {w}×{h})."; return null; }
            if (format is "mp4" or "webm" && (w % 2 != 0 || h % 2 != 0)) { error = $"{format} needs an even width and height (got {w}×{h})."; return null; }
            double fps = request.Fps ?? 30, duration = request.Duration ?? 10;
            if (!(fps > 0 && fps <= 240)) { error = $"fps must be in (0, 240] (got {fps})."; return null; }
            if (!(duration > 0 && duration <= 3600)) { error = $"duration must be in (0, 3600] seconds (got {duration})."; return null; }
            string camera = request.Camera?.ToLowerInvariant() ?? "orbit";
            if (camera is not ("orbit" or "fixed")) { error = $"camera '{request.Camera}' is not orbit or fixed."; return null; }
            int maxConnections = request.MaxConnections ?? 20_000;
            if (maxConnections < 0 || maxConnections > 1_000_000) { error = "maxConnections must be 0..1,000,000."; return null; }
            int maxSnapshots = request.MaxSnapshots ?? 300;
            if (maxSnapshots < 1 || maxSnapshots > 10_000) { error = "maxSnapshots must be 1..10,000."; return null; }
            var options = new TimelapseOptions
            {
                Width = w, Height = h, Fps = fps, DurationSeconds = duration,
                Camera = camera == "fixed" ? CameraMode.Fixed : CameraMode.Orbit,
                MaxConnections = maxConnections, ShowHud = request.NoHud != true,
                // One render thread per job: parallelism comes from many jobs and segments on many workers.
                MaxParallelism = 1,
            };
            if (options.FrameCount > limits.MaxFrames) { error = $"the video would have {options.FrameCount:N0} frames; the limit is {limits.MaxFrames:N0}."; return null; }
            if (request.SegmentFrames is < 1) { error = "segmentFrames must be at least 1."; return null; }
            string file = kind == "frames" ? "frames.zip" : "video." + format;
            string media = kind == "frames" ? "application/zip" : format switch { "mp4" => "video/mp4", "webm" => "video/webm", "png" => "image/apng", _ => "image/webp" };
            return new RenderPlan(kind, kind == "frames" ? "zip" : format, file, media, options, maxSnapshots, null, null);
        }
        int probe = request.Probe ?? 0;
        if (probe < 0) { error = "probe must be 0 or more."; return null; }
        double sps = request.SecondsPerSnapshot ?? 0.5;
        if (!(sps > 0 && sps <= 3600)) { error = "secondsPerSnapshot must be in (0, 3600]."; return null; }
        int budget = request.MaxConnections ?? ConnectionSelection.DefaultBudget;
        if (budget < 0 || budget > 1_000_000) { error = "maxConnections must be 0..1,000,000."; return null; }
        if (kind == "gltf-timeline" && request.Step is not null) { error = "step applies to gltf-step, not gltf-timeline."; return null; }
        var scene = new SceneOptions { Probe = probe, MaxConnections = budget, SecondsPerSnapshot = (float)sps };
        return new RenderPlan(kind, "glb", kind == "gltf-step" ? "scene.glb" : "timeline.glb", "model/gltf-binary", null, 0, scene, request.Step);
    }

    /// <summary>True when the video is encoded by ffmpeg and can therefore be split into segments.</summary>
    public bool Segmentable => Kind == "video" && Format is "mp4" or "webm";
}
