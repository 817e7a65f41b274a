using System.Numerics;

namespace NeuroCore.Visualization.Rendering;

/// <summary>A pinhole perspective camera projecting world points to pixel coordinates (y down).</summary>
internal readonly struct PerspectiveCamera
{
    private readonly Matrix4x4 _view;

    private PerspectiveCamera(Matrix4x4 view, float focal, float cx, float cy, float referenceDepth)
    {
        _view = view;
        Focal = focal;
        CenterX = cx;
        CenterY = cy;
        ReferenceDepth = referenceDepth;
    }

    /// <summary>Focal length in pixels.</summary>
    public float Focal { get; }

    /// <summary>Principal point x (pixels).</summary>
    public float CenterX { get; }

    /// <summary>Principal point y (pixels).</summary>
    public float CenterY { get; }

    /// <summary>Distance from the eye to the target: sizes given in pixels apply at this depth.</summary>
    public float ReferenceDepth { get; }

    /// <summary>A camera at <paramref name="eye"/> looking at <paramref name="target"/>, vertical field of view <paramref name="fovY"/> radians.</summary>
    public static PerspectiveCamera LookAt(Vector3 eye, Vector3 target, Vector3 up, float fovY, int width, int height,
        float offsetX = 0f, float offsetY = 0f)
    {
        var view = Matrix4x4.CreateLookAt(eye, target, up);
        float focal = height * 0.5f / MathF.Tan(fovY * 0.5f);
        return new PerspectiveCamera(view, focal, width * 0.5f + offsetX, height * 0.5f + offsetY, Vector3.Distance(eye, target));
    }

    /// <summary>
    /// The camera for frame time <paramref name="t"/> in [0, 1]: orbiting once around the scene, or fixed.
    /// The distance fits a sphere of <paramref name="radius"/> around <paramref name="center"/> into the view.
    /// </summary>
    public static PerspectiveCamera ForScene(CameraMode mode, float t, Vector3 center, float radius, int width, int height,
        float offsetX = 0f, float offsetY = 0f)
    {
        float aspect = width / (float)height;
        // Fit the bounding sphere in the narrower of the two fields of view, with a little margin.
        float halfFov = MathF.Min(FovY * 0.5f, MathF.Atan(MathF.Tan(FovY * 0.5f) * aspect));
        // The bounding sphere is loose for a flat network, so the fit is tightened by 20 %.
        float distance = radius / MathF.Sin(halfFov) * 0.8f;
        return Orbiting(mode, t, center, distance, width, height, offsetX, offsetY);
    }

    /// <summary>Vertical field of view of the timelapse camera (radians).</summary>
    public const float FovY = 40f * MathF.PI / 180f;

    /// <summary>
    /// The camera for frame time <paramref name="t"/> at <paramref name="distance"/> from <paramref name="center"/>: on the
    /// orbit's swing, or at the fixed three-quarter view; the principal point shifted by the offsets (pixels).
    /// </summary>
    public static PerspectiveCamera Orbiting(CameraMode mode, float t, Vector3 center, float distance, int width, int height,
        float offsetX = 0f, float offsetY = 0f)
    {
        const float swing = 55f * MathF.PI / 180f;
        float azimuth = mode == CameraMode.Orbit ? -swing * MathF.Cos(2f * MathF.PI * t) : -0.45f;
        float elevation = mode == CameraMode.Orbit ? 0.28f : 0.32f;
        var eye = center + distance * new Vector3(
            MathF.Sin(azimuth) * MathF.Cos(elevation),
            MathF.Sin(elevation),
            MathF.Cos(azimuth) * MathF.Cos(elevation));
        return LookAt(eye, center, Vector3.UnitY, FovY, width, height, offsetX, offsetY);
    }

    /// <summary>Projects <paramref name="p"/>; false when it is behind (or too close to) the camera.</summary>
    public bool Project(Vector3 p, out float x, out float y, out float depth)
    {
        var v = Vector3.Transform(p, _view);
        depth = -v.Z;
        if (depth < 1e-3f)
        {
            x = y = 0;
            return false;
        }
        float inv = Focal / depth;
        x = CenterX + v.X * inv;
        y = CenterY - v.Y * inv;
        return true;
    }
}
