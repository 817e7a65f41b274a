using System.Numerics;
using SkiaSharp;

namespace NeuroCore.Visualization.Rendering;

/// <summary>
/// Frames the network inside the part of the frame no HUD panel covers (<see cref="Hud.FreeArea"/>): one camera distance
/// for the whole video, chosen so that the projected neurons fit the area at every camera angle of the orbit, and per
/// frame a principal-point shift that centres the projected network in the area.
/// </summary>
internal sealed class NetworkFraming
{
    private const int OrbitSamples = 24;
    private readonly Vector3[] _positions;
    private readonly float[] _radius;
    private readonly Vector3 _center;
    private readonly float _distance;
    private readonly CameraMode _mode;
    private readonly int _width, _height;

    private NetworkFraming(Vector3[] positions, float[] radius, Vector3 center, float distance, CameraMode mode, int width, int height, SKRect area)
    {
        _positions = positions;
        _radius = radius;
        _center = center;
        _distance = distance;
        _mode = mode;
        _width = width;
        _height = height;
        Area = area;
    }

    /// <summary>Where the network is framed (pixels).</summary>
    public SKRect Area { get; }

    /// <summary>Where a frame of <paramref name="options"/> frames the network: clear of the HUD's panels, or 3 % inside the edges without a HUD.</summary>
    public static SKRect AreaFor(TimelapseOptions options, bool sidePanel, bool charts) =>
        options.ShowHud
            ? Hud.FreeArea(options.Width, options.Height, sidePanel, charts)
            : new SKRect(0.03f * options.Width, 0.03f * options.Height, 0.97f * options.Width, 0.97f * options.Height);

    /// <summary>Fits the neurons at <paramref name="positions"/> (world radii <paramref name="radius"/>) into <paramref name="area"/>.</summary>
    public static NetworkFraming Create(Vector3[] positions, float[] radius, CameraMode mode, int width, int height, SKRect area)
    {
        var (center, sphere) = Bounds(positions);
        float distance = PerspectiveCamera.ForScene(mode, 0, center, sphere, width, height).ReferenceDepth;
        var framing = new NetworkFraming(positions, radius, center, distance, mode, width, height, area);
        if (positions.Length == 0 || area.Width < 1 || area.Height < 1) return framing;
        // The projected size shrinks about as 1/distance, so a few rescalings converge; 96 % of the area leaves a margin.
        // Framing only backs the camera off from the sphere fit, then shifts the picture into the area.
        int samples = mode == CameraMode.Orbit ? OrbitSamples : 1;
        for (int iteration = 0; iteration < 5; iteration++)
        {
            float need = 0;
            for (int k = 0; k < samples; k++)
            {
                var box = framing.ProjectedBounds(framing.Camera(k / (float)samples, 0, 0));
                need = MathF.Max(need, MathF.Max(box.Width / (0.96f * area.Width), box.Height / (0.96f * area.Height)));
            }
            if (!(need > 0) || !float.IsFinite(need)) break;
            // Back off as far as the panels need, never nearer than the bounding-sphere fit (a tiny network is not blown
            // up to fill the frame) and never so near that a neuron could pass behind the camera.
            float next = MathF.Max(MathF.Max(framing._distance * need, distance), 1.2f * sphere);
            framing = new NetworkFraming(positions, radius, center, next, mode, width, height, area);
            if (need <= 1.01f) break;
        }
        return framing;
    }

    /// <summary>The camera of video time <paramref name="t"/> (0..1), the projected network centred in <see cref="Area"/>.</summary>
    public PerspectiveCamera CameraAt(float t)
    {
        var box = ProjectedBounds(Camera(t, 0, 0));
        if (box.IsEmpty) return Camera(t, 0, 0);
        return Camera(t, Area.MidX - box.MidX, Area.MidY - box.MidY);
    }

    /// <summary>The pixel rectangle the neurons' discs and glows cover seen by <paramref name="camera"/>.</summary>
    public SKRect ProjectedBounds(in PerspectiveCamera camera)
    {
        float x0 = float.MaxValue, y0 = float.MaxValue, x1 = float.MinValue, y1 = float.MinValue;
        for (int i = 0; i < _positions.Length; i++)
        {
            if (!camera.Project(_positions[i], out float x, out float y, out float depth)) continue;
            // The disc's glow reaches 2.4 radii (FrameRenderer); the rasterizer anti-aliases a pixel beyond it.
            float r = 2.4f * _radius[i] * camera.Focal / depth + 1.5f;
            x0 = MathF.Min(x0, x - r); x1 = MathF.Max(x1, x + r);
            y0 = MathF.Min(y0, y - r); y1 = MathF.Max(y1, y + r);
        }
        return x0 > x1 ? SKRect.Empty : new SKRect(x0, y0, x1, y1);
    }

    private PerspectiveCamera Camera(float t, float offsetX, float offsetY) =>
        PerspectiveCamera.Orbiting(_mode, t, _center, _distance, _width, _height, offsetX, offsetY);

    private static (Vector3 Center, float Radius) Bounds(Vector3[] positions)
    {
        if (positions.Length == 0) return (Vector3.Zero, 1f);
        var min = new Vector3(float.MaxValue);
        var max = new Vector3(float.MinValue);
        foreach (var p in positions) { min = Vector3.Min(min, p); max = Vector3.Max(max, p); }
        var center = (min + max) * 0.5f;
        float radius = 0;
        foreach (var p in positions) radius = MathF.Max(radius, Vector3.Distance(center, p));
        return (center, MathF.Max(radius, 0.5f));
    }
}
