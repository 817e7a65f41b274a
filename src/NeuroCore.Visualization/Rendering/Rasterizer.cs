using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuroCore.Visualization.Rendering;

/// <summary>
/// Antialiased line and glowing-disc rasterizer into three planar float colour buffers (R, G, B).
/// </summary>
/// <remarks>
/// Why not SkiaSharp for the connection layer: Skia's antialiased strokes cost roughly 75 µs each
/// (≈ 2.6 frames/s with 5,000 lines on one core); a video of a 20,000-connection network needs a
/// hundred times that. Planar float storage lets a whole <see cref="Vector{T}"/> of horizontally
/// adjacent pixels be blended with three fused multiply-adds, and the coverage of a line along a row
/// is a linear function of x, so it is computed lane-parallel too. Rows are padded by one vector so a
/// vector that starts at the last pixel of a row never spills into the next row.
/// Blending is straight-alpha "over" onto an opaque canvas: <c>dst += (src − dst)·coverage·alpha</c>,
/// so primitives must be drawn back to front.
/// </remarks>
internal sealed class Rasterizer
{
    private readonly float[] _r, _g, _b;

    /// <summary>Creates a rasterizer for a <paramref name="width"/> × <paramref name="height"/> image.</summary>
    public Rasterizer(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        int lanes = Vector<float>.Count;
        Stride = (width + lanes - 1) / lanes * lanes + lanes;
        _r = new float[Stride * height];
        _g = new float[Stride * height];
        _b = new float[Stride * height];
    }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Floats per row of each plane (width rounded up to whole vectors, plus one vector of padding).</summary>
    public int Stride { get; }

    /// <summary>Uses the scalar reference path instead of SIMD (for tests comparing the two).</summary>
    public bool ForceScalar { get; set; }

    /// <summary>Fills the image with one colour (components 0..1).</summary>
    public void Clear(float r, float g, float b)
    {
        _r.AsSpan().Fill(r);
        _g.AsSpan().Fill(g);
        _b.AsSpan().Fill(b);
    }

    /// <summary>Fills the image with a vertical gradient from <paramref name="top"/> to <paramref name="bottom"/>.</summary>
    public void ClearVerticalGradient(Rgb top, Rgb bottom)
    {
        for (int y = 0; y < Height; y++)
        {
            float t = Height == 1 ? 0 : y / (float)(Height - 1);
            int row = y * Stride;
            _r.AsSpan(row, Stride).Fill(top.R + (bottom.R - top.R) * t);
            _g.AsSpan(row, Stride).Fill(top.G + (bottom.G - top.G) * t);
            _b.AsSpan(row, Stride).Fill(top.B + (bottom.B - top.B) * t);
        }
    }

    /// <summary>Reads one pixel (for tests).</summary>
    public Rgb GetPixel(int x, int y) => new(_r[y * Stride + x], _g[y * Stride + x], _b[y * Stride + x]);

    /// <summary>
    /// Draws an antialiased line from (x0, y0) to (x1, y1) in pixel coordinates (pixel centres at +0.5)
    /// with butt ends, <paramref name="width"/> pixels wide, blended with <paramref name="alpha"/>.
    /// </summary>
    /// <remarks>Lines thinner than one pixel are drawn one pixel wide with proportionally lower alpha,
    /// which keeps hairlines from shimmering between frames.</remarks>
    public void DrawLine(float x0, float y0, float x1, float y1, float width, Rgb color, float alpha)
    {
        if (!(alpha > 0f) || !(width > 0f) || !float.IsFinite(x0 + y0 + x1 + y1)) return;
        if (width < 1f)
        {
            alpha *= width;
            width = 1f;
        }
        alpha = MathF.Min(alpha, 1f);
        if (alpha < 1f / 512f) return;

        float dx = x1 - x0, dy = y1 - y0;
        float len = MathF.Sqrt(dx * dx + dy * dy);
        float ux, uy;
        if (len < 1e-4f) { ux = 1; uy = 0; len = 0; }
        else { ux = dx / len; uy = dy / len; }
        float nx = -uy, ny = ux;
        // Coverage across the line: clamp(e − |d|, 0, 1) with e = half width + half a pixel of fringe.
        float e = width * 0.5f + 0.5f;
        // Coverage along the line: clamp(t + 0.5, 0, 1)·clamp(len + 0.5 − t, 0, 1) (antialiased butt ends).
        float reach = e + 1f;
        int yMin = Math.Max(0, (int)MathF.Floor(MathF.Min(y0, y1) - reach));
        int yMax = Math.Min(Height - 1, (int)MathF.Ceiling(MathF.Max(y0, y1) + reach));
        if (yMin > yMax) return;
        float xLo = MathF.Min(x0, x1) - reach, xHi = MathF.Max(x0, x1) + reach;
        if (xHi < 0 || xLo > Width) return;

        // Horizontal half-extent of the band |d| ≤ e along a row, plus a pixel of slack (the coverage
        // formula decides exact values; the span only bounds the work). Near-horizontal lines are bounded
        // by their box instead.
        float halfSpan = MathF.Abs(uy) > 1e-3f ? e / MathF.Abs(uy) + 1f : float.MaxValue;
        float slope = MathF.Abs(dy) > 1e-6f ? dx / dy : 0f;
        if (!ForceScalar && Vector.IsHardwareAccelerated)
        {
            DrawLineRowsSimd(yMin, yMax, x0, y0, xLo, xHi, halfSpan, slope, nx, ny, ux, uy, e, len, color, alpha);
            return;
        }
        for (int y = yMin; y <= yMax; y++)
        {
            float py = y + 0.5f - y0;
            float xc = x0 + py * slope;
            float spanMin = MathF.Max(xLo, xc - halfSpan), spanMax = MathF.Min(xHi, xc + halfSpan);
            int xs = Math.Max(0, (int)MathF.Floor(spanMin - 0.5f));
            int xe = Math.Min(Width - 1, (int)MathF.Ceiling(spanMax - 0.5f));
            if (xs > xe) continue;
            // d(cx) = nx·(cx − x0) + ny·py and t(cx) = ux·(cx − x0) + uy·py, cx the pixel centre.
            float cx = xs + 0.5f - x0;
            float d0 = nx * cx + ny * py, t0 = ux * cx + uy * py;
            SpanLine(y * Stride + xs, xe - xs + 1, d0, nx, t0, ux, e, len, color, alpha);
        }
    }

    // The SIMD row loop with every per-line vector constant hoisted: steep lines touch one or two vectors
    // per row, so per-row overhead, not blending, is what costs.
    private void DrawLineRowsSimd(int yMin, int yMax, float x0, float y0, float xLo, float xHi, float halfSpan, float slope,
        float nx, float ny, float ux, float uy, float e, float len, Rgb c, float alpha)
    {
        int lanes = Vector<float>.Count;
        ref float r = ref MemoryMarshal.GetArrayDataReference(_r);
        ref float g = ref MemoryMarshal.GetArrayDataReference(_g);
        ref float b = ref MemoryMarshal.GetArrayDataReference(_b);
        var laneIndex = LaneIndex();
        var laneD = laneIndex * nx;
        var laneT = laneIndex * ux;
        var stepD = new Vector<float>(nx * lanes);
        var stepT = new Vector<float>(ux * lanes);
        var ve = new Vector<float>(e);
        var half = new Vector<float>(0.5f);
        var endT = new Vector<float>(len + 0.5f);
        var va = new Vector<float>(alpha);
        var one = Vector<float>.One;
        var zero = Vector<float>.Zero;
        var cr = new Vector<float>(c.R);
        var cg = new Vector<float>(c.G);
        var cb = new Vector<float>(c.B);
        int lastX = Width - 1;
        // Per-row values advance by constants; plain comparisons instead of MathF.Min/Max (no NaN can
        // reach here: DrawLine rejected non-finite input) keep the per-row overhead small.
        float py = yMin + 0.5f - y0;
        float xc = x0 + py * slope;
        float lo = xLo - 0.5f, hi = xHi - 0.5f;
        for (int y = yMin; y <= yMax; y++, py += 1f, xc += slope)
        {
            float a = xc - halfSpan - 0.5f, bnd = xc + halfSpan - 0.5f;
            if (a < lo) a = lo;
            if (bnd > hi) bnd = hi;
            int xs = (int)MathF.Floor(a), xe = (int)MathF.Ceiling(bnd);
            if (xs < 0) xs = 0;
            if (xe > lastX) xe = lastX;
            if (xs > xe) continue;
            float cx = xs + 0.5f - x0;
            var vd = new Vector<float>(nx * cx + ny * py) + laneD;
            var vt = new Vector<float>(ux * cx + uy * py) + laneT;
            int offset = y * Stride + xs, count = xe - xs + 1;
            // The padding column lets the last vector run past the row end; its lanes get coverage from the
            // same formula and are never shown.
            for (int i = 0; i < count; i += lanes)
            {
                var across = Vector.Min(one, Vector.Max(zero, ve - Vector.Abs(vd)));
                var start = Vector.Min(one, Vector.Max(zero, vt + half));
                var end = Vector.Min(one, Vector.Max(zero, endT - vt));
                var cov = across * start * end * va;
                ref float pr = ref Unsafe.Add(ref r, offset + i);
                ref float pg = ref Unsafe.Add(ref g, offset + i);
                ref float pb = ref Unsafe.Add(ref b, offset + i);
                var dr = Vector.LoadUnsafe(ref pr);
                var dg = Vector.LoadUnsafe(ref pg);
                var db = Vector.LoadUnsafe(ref pb);
                Vector.StoreUnsafe(Vector.FusedMultiplyAdd(cr - dr, cov, dr), ref pr);
                Vector.StoreUnsafe(Vector.FusedMultiplyAdd(cg - dg, cov, dg), ref pg);
                Vector.StoreUnsafe(Vector.FusedMultiplyAdd(cb - db, cov, db), ref pb);
                vd += stepD;
                vt += stepT;
            }
        }
    }

    private void SpanLine(int offset, int count, float d0, float dd, float t0, float dt, float e, float len, Rgb c, float alpha)
    {
        for (int i = 0; i < count; i++)
        {
            float d = d0 + dd * i, t = t0 + dt * i;
            float cov = Math.Clamp(e - MathF.Abs(d), 0f, 1f)
                      * Math.Clamp(t + 0.5f, 0f, 1f)
                      * Math.Clamp(len + 0.5f - t, 0f, 1f) * alpha;
            int p = offset + i;
            _r[p] += (c.R - _r[p]) * cov;
            _g[p] += (c.G - _g[p]) * cov;
            _b[p] += (c.B - _b[p]) * cov;
        }
    }

    /// <summary>
    /// Draws a neuron: a halo of radius <paramref name="glowRadius"/> fading quadratically with
    /// <paramref name="glowAlpha"/> at its centre, then an antialiased solid disc of
    /// <paramref name="radius"/> with a slightly darker rim.
    /// </summary>
    public void DrawDisc(float cx, float cy, float radius, Rgb fill, Rgb rim, float glowRadius, Rgb glow, float glowAlpha)
    {
        if (!float.IsFinite(cx + cy + radius) || radius <= 0) return;
        float outer = MathF.Max(radius + 1f, glowAlpha > 1f / 512f ? glowRadius : 0f);
        int yMin = Math.Max(0, (int)MathF.Floor(cy - outer));
        int yMax = Math.Min(Height - 1, (int)MathF.Ceiling(cy + outer));
        int xMinAll = Math.Max(0, (int)MathF.Floor(cx - outer));
        int xMaxAll = Math.Min(Width - 1, (int)MathF.Ceiling(cx + outer));
        if (yMin > yMax || xMinAll > xMaxAll) return;
        float invGlow = glowRadius > 0 ? 1f / glowRadius : 0f;
        float rimWidth = MathF.Max(1f, radius * 0.18f);
        for (int y = yMin; y <= yMax; y++)
        {
            float py = y + 0.5f - cy;
            float halfChord2 = outer * outer - py * py;
            if (halfChord2 < 0) continue;
            float halfChord = MathF.Sqrt(halfChord2) + 1f;
            int xs = Math.Max(xMinAll, (int)MathF.Floor(cx - halfChord));
            int xe = Math.Min(xMaxAll, (int)MathF.Ceiling(cx + halfChord));
            int row = y * Stride;
            for (int x = xs; x <= xe; x++)
            {
                float px = x + 0.5f - cx;
                float dist = MathF.Sqrt(px * px + py * py);
                int p = row + x;
                if (glowAlpha > 0 && dist < glowRadius)
                {
                    float f = 1f - dist * invGlow;
                    float a = glowAlpha * f * f;
                    _r[p] += (glow.R - _r[p]) * a;
                    _g[p] += (glow.G - _g[p]) * a;
                    _b[p] += (glow.B - _b[p]) * a;
                }
                float cov = Math.Clamp(radius + 0.5f - dist, 0f, 1f);
                if (cov > 0)
                {
                    // Rim: blend towards the rim colour over the outer ring of the disc.
                    float k = Math.Clamp((dist - (radius - rimWidth)) / rimWidth, 0f, 1f);
                    float fr = fill.R + (rim.R - fill.R) * k, fg = fill.G + (rim.G - fill.G) * k, fb = fill.B + (rim.B - fill.B) * k;
                    _r[p] += (fr - _r[p]) * cov;
                    _g[p] += (fg - _g[p]) * cov;
                    _b[p] += (fb - _b[p]) * cov;
                }
            }
        }
    }

    /// <summary>Writes the image as opaque RGBA8888 (byte order R, G, B, A) into <paramref name="rgba"/>.</summary>
    public void Resolve(Span<byte> rgba)
    {
        if (rgba.Length < Width * Height * 4)
            throw new ArgumentException($"Resolve: buffer of {rgba.Length} bytes is smaller than {Width}×{Height}×4.");
        var pixels = MemoryMarshal.Cast<byte, uint>(rgba);
        for (int y = 0; y < Height; y++)
        {
            int src = y * Stride, dst = y * Width;
            int x = 0;
            if (Vector.IsHardwareAccelerated && !ForceScalar)
            {
                int lanes = Vector<float>.Count;
                var scale = new Vector<float>(255f);
                var half = new Vector<float>(0.5f);
                var max = new Vector<int>(255);
                var zero = Vector<int>.Zero;
                var alpha = new Vector<int>(unchecked((int)0xFF000000));
                for (; x + lanes <= Width; x += lanes)
                {
                    var r = Vector.Min(max, Vector.Max(zero, Vector.ConvertToInt32(Vector.LoadUnsafe(ref _r[src + x]) * scale + half)));
                    var g = Vector.Min(max, Vector.Max(zero, Vector.ConvertToInt32(Vector.LoadUnsafe(ref _g[src + x]) * scale + half)));
                    var b = Vector.Min(max, Vector.Max(zero, Vector.ConvertToInt32(Vector.LoadUnsafe(ref _b[src + x]) * scale + half)));
                    // Little-endian RGBA8888: R in the low byte.
                    var packed = r | (g << 8) | (b << 16) | alpha;
                    Vector.AsVectorUInt32(packed).CopyTo(pixels.Slice(dst + x, lanes));
                }
            }
            for (; x < Width; x++)
            {
                uint r = ToByte(_r[src + x]), g = ToByte(_g[src + x]), b = ToByte(_b[src + x]);
                pixels[dst + x] = r | (g << 8) | (b << 16) | 0xFF000000u;
            }
        }
    }

    private static uint ToByte(float v) => (uint)Math.Clamp((int)(v * 255f + 0.5f), 0, 255);

    private static Vector<float> LaneIndex() => LaneIndexValue;

    private static readonly Vector<float> LaneIndexValue = MakeLaneIndex();

    private static Vector<float> MakeLaneIndex()
    {
        Span<float> idx = stackalloc float[Vector<float>.Count];
        for (int k = 0; k < idx.Length; k++) idx[k] = k;
        return new Vector<float>(idx);
    }
}

/// <summary>A linear RGB colour with components in 0..1.</summary>
/// <param name="R">Red.</param>
/// <param name="G">Green.</param>
/// <param name="B">Blue.</param>
internal readonly record struct Rgb(float R, float G, float B)
{
    /// <summary>Linear interpolation from this colour to <paramref name="other"/>.</summary>
    public Rgb Lerp(Rgb other, float t) => new(R + (other.R - R) * t, G + (other.G - G) * t, B + (other.B - B) * t);

    /// <summary>This colour scaled by <paramref name="k"/>.</summary>
    public Rgb Scale(float k) => new(R * k, G * k, B * k);

    /// <summary>From 8-bit components.</summary>
    public static Rgb FromBytes(byte r, byte g, byte b) => new(r / 255f, g / 255f, b / 255f);
}
