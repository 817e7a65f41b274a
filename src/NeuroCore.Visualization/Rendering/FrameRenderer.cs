using System.Runtime.InteropServices;
using SkiaSharp;

namespace NeuroCore.Visualization.Rendering;

/// <summary>
/// Renders one frame: background, then connections and neurons sorted back to front and rasterized by
/// <see cref="Rasterizer"/>, then the HUD drawn by SkiaSharp into the same RGBA buffer.
/// One instance per thread; frames are rendered in parallel by giving each worker its own renderer.
/// </summary>
internal sealed class FrameRenderer : IDisposable
{
    private readonly Rasterizer _raster;
    private readonly byte[] _rgba;
    private readonly SKSurface _surface;
    private float[] _sx = [], _sy = [], _depth = [];
    private bool[] _visible = [];
    private float[] _keys = [];
    private int[] _order = [];

    /// <summary>Creates a renderer for frames of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public FrameRenderer(int width, int height)
    {
        Width = width;
        Height = height;
        _raster = new Rasterizer(width, height);
        // Pinned so SkiaSharp can draw the HUD straight into the buffer the rasterizer resolved into.
        _rgba = GC.AllocateArray<byte>(width * height * 4, pinned: true);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        _surface = SKSurface.Create(info, Marshal.UnsafeAddrOfPinnedArrayElement(_rgba, 0), width * 4)
            ?? throw new InvalidOperationException($"SkiaSharp could not create a {width}×{height} raster surface.");
    }

    /// <summary>Frame width.</summary>
    public int Width { get; }

    /// <summary>Frame height.</summary>
    public int Height { get; }

    /// <summary>The last rendered frame, RGBA8888, rows top to bottom, opaque.</summary>
    public byte[] Pixels => _rgba;

    /// <summary>The rasterizer (tests switch it to the scalar path).</summary>
    public Rasterizer Raster => _raster;

    /// <summary>Renders <paramref name="scene"/> seen by <paramref name="camera"/>, then <paramref name="hud"/> when given.</summary>
    public void Render(RenderScene scene, in PerspectiveCamera camera, HudState? hud)
    {
        _raster.ClearVerticalGradient(Palette.BackgroundTop, Palette.BackgroundBottom);
        int n = scene.NeuronCount, m = scene.SegmentCount;
        Ensure(ref _sx, n); Ensure(ref _sy, n); Ensure(ref _depth, n); Ensure(ref _visible, n);
        for (int i = 0; i < n; i++)
            _visible[i] = camera.Project(scene.NeuronPosition[i], out _sx[i], out _sy[i], out _depth[i]);

        // One depth-sorted list of segments (by midpoint) and neurons, drawn farthest first.
        Ensure(ref _keys, n + m); Ensure(ref _order, n + m);
        int count = 0;
        for (int j = 0; j < m; j++)
        {
            int a = scene.SegmentFrom[j], b = scene.SegmentTo[j];
            if (!_visible[a] || !_visible[b] || scene.SegmentAlpha[j] <= 0) continue;
            _keys[count] = -(_depth[a] + _depth[b]) * 0.5f;
            _order[count++] = j;
        }
        for (int i = 0; i < n; i++)
        {
            if (!_visible[i]) continue;
            // Neurons sort slightly nearer than segments at the same depth so they cover their own connections.
            _keys[count] = -_depth[i] + 1e-3f;
            _order[count++] = m + i;
        }
        Array.Sort(_keys, _order, 0, count);

        float refDepth = camera.ReferenceDepth;
        for (int k = 0; k < count; k++)
        {
            int id = _order[k];
            if (id < m)
            {
                int a = scene.SegmentFrom[id], b = scene.SegmentTo[id];
                float perspective = refDepth * 2f / (_depth[a] + _depth[b]);
                _raster.DrawLine(_sx[a], _sy[a], _sx[b], _sy[b], scene.SegmentWidth[id] * perspective,
                    scene.SegmentColor[id], scene.SegmentAlpha[id]);
            }
            else
            {
                int i = id - m;
                float radius = scene.NeuronRadius[i] * camera.Focal / _depth[i];
                var fill = scene.NeuronFill[i];
                _raster.DrawDisc(_sx[i], _sy[i], radius, fill, fill.Scale(0.55f), radius * 2.4f,
                    scene.NeuronGlowColor[i], scene.NeuronGlow[i]);
            }
        }
        _raster.Resolve(_rgba);
        if (hud is not null)
        {
            var canvas = _surface.Canvas;
            Hud.Draw(canvas, Width, Height, hud);
            canvas.Flush();
        }
    }

    private static void Ensure<T>(ref T[] array, int length)
    {
        if (array.Length < length) array = new T[Math.Max(length, array.Length * 2)];
    }

    /// <inheritdoc />
    public void Dispose() => _surface.Dispose();
}
