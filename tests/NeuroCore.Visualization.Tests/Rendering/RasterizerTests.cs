using NeuroCore.Visualization.Rendering;

namespace NeuroCore.Visualization.Tests.Rendering;

public class RasterizerTests
{
    [Fact]
    public void SimdAndScalarPathsDrawTheSamePixels()
    {
        var rng = new Random(3);
        // Widths around the vector width (8 floats with AVX2, 16 with AVX-512) hit every remainder path.
        foreach (int width in new[] { 16, 17, 23, 24, 25, 33, 97 })
        {
            var simd = new Rasterizer(width, 40);
            var scalar = new Rasterizer(width, 40) { ForceScalar = true };
            simd.Clear(0.1f, 0.1f, 0.2f);
            scalar.Clear(0.1f, 0.1f, 0.2f);
            for (int i = 0; i < 60; i++)
            {
                float x0 = (float)rng.NextDouble() * (width + 20) - 10, y0 = (float)rng.NextDouble() * 60 - 10;
                float x1 = (float)rng.NextDouble() * (width + 20) - 10, y1 = (float)rng.NextDouble() * 60 - 10;
                float w = (float)rng.NextDouble() * 4, a = (float)rng.NextDouble();
                var c = new Rgb((float)rng.NextDouble(), (float)rng.NextDouble(), (float)rng.NextDouble());
                simd.DrawLine(x0, y0, x1, y1, w, c, a);
                scalar.DrawLine(x0, y0, x1, y1, w, c, a);
            }
            for (int y = 0; y < 40; y++)
                for (int x = 0; x < width; x++)
                {
                    var p = simd.GetPixel(x, y);
                    var q = scalar.GetPixel(x, y);
                    Assert.True(MathF.Abs(p.R - q.R) < 1e-4f && MathF.Abs(p.G - q.G) < 1e-4f && MathF.Abs(p.B - q.B) < 1e-4f,
                        $"width {width}, pixel ({x},{y}): SIMD {p} vs scalar {q}");
                }
        }
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(3f)]
    public void LineCoverageMatchesItsArea(float lineWidth)
    {
        // An opaque white line on black: the summed intensity is its area, length × width.
        var r = new Rasterizer(200, 100);
        r.Clear(0, 0, 0);
        r.DrawLine(20.3f, 30.7f, 170.9f, 71.2f, lineWidth, new Rgb(1, 1, 1), 1f);
        double sum = 0;
        for (int y = 0; y < 100; y++) for (int x = 0; x < 200; x++) sum += r.GetPixel(x, y).R;
        double length = Math.Sqrt(150.6 * 150.6 + 40.5 * 40.5);
        Assert.InRange(sum, length * lineWidth * 0.93, length * lineWidth * 1.07);
    }

    [Fact]
    public void HorizontalLineLightsItsRowsOnly()
    {
        var r = new Rasterizer(64, 32);
        r.Clear(0, 0, 0);
        r.DrawLine(4, 16, 60, 16, 2, new Rgb(1, 0, 0), 1f);
        Assert.True(r.GetPixel(30, 15).R > 0.99f, "row 15 lies inside the 2-px line centred on y = 16");
        Assert.True(r.GetPixel(30, 16).R > 0.99f);
        Assert.Equal(0f, r.GetPixel(30, 12).R);
        Assert.Equal(0f, r.GetPixel(30, 20).R);
        Assert.Equal(0f, r.GetPixel(62, 16).R);
        Assert.Equal(0f, r.GetPixel(30, 16).G);
    }

    [Fact]
    public void ResolvePacksRgbaOpaque()
    {
        var r = new Rasterizer(19, 3);
        r.Clear(1f, 0.5f, 0f);
        var rgba = new byte[19 * 3 * 4];
        r.Resolve(rgba);
        for (int i = 0; i < 19 * 3; i++)
        {
            Assert.Equal(255, rgba[4 * i]);
            Assert.Equal(128, rgba[4 * i + 1]);
            Assert.Equal(0, rgba[4 * i + 2]);
            Assert.Equal(255, rgba[4 * i + 3]);
        }
    }
}
