using NeuroCore.Visualization.Color;

namespace NeuroCore.Visualization.Tests.Color;

public class ColorMapTests
{
    [Theory]
    [InlineData(0.05f)]
    [InlineData(0.3f)]
    [InlineData(1f)]
    [InlineData(5f)]
    public void SignDecidesTheHue(float magnitude)
    {
        var neg = DivergingColorMap.Map(-magnitude, 1f);
        var pos = DivergingColorMap.Map(magnitude, 1f);
        Assert.True(neg.B > neg.R, $"negative {neg} should be blue-ish");
        Assert.True(pos.R > pos.B, $"positive {pos} should be orange/red-ish");
        // Same magnitude: same distance from neutral along each side (symmetric strength).
        Assert.Equal(DivergingColorMap.Strength(-magnitude, 1f), DivergingColorMap.Strength(magnitude, 1f));
    }

    [Fact]
    public void StrengthIsBrightnessAndZeroIsDarkNeutral()
    {
        var zero = DivergingColorMap.Map(0f, 1f);
        Assert.Equal(DivergingColorMap.Neutral, zero);
        Assert.True(zero.Luminance < 0.05f, $"zero should be dark, luminance {zero.Luminance}");
        foreach (var sign in new[] { -1f, 1f })
        {
            var last = -1f;
            for (var v = 0f; v <= 1.0001f; v += 0.05f)
            {
                var l = DivergingColorMap.Map(sign * v, 1f).Luminance;
                Assert.True(l > last, $"luminance must grow with |v| (sign {sign}, v {v})");
                last = l;
            }
        }
        Assert.Equal(DivergingColorMap.PositiveEnd, DivergingColorMap.Map(10f, 1f)); // clamped
        Assert.Equal(DivergingColorMap.NegativeEnd, DivergingColorMap.Map(-10f, 1f));
        Assert.Equal(DivergingColorMap.Neutral, DivergingColorMap.Map(float.NaN, 1f));
        Assert.Equal(DivergingColorMap.Neutral, DivergingColorMap.Map(1f, 0f)); // no scale: nothing to show
    }

    [Fact]
    public void SequentialMapGetsBrighterMonotonically()
    {
        var last = -1f;
        for (var t = 0f; t <= 1.0001f; t += 0.02f)
        {
            var l = SequentialColorMap.Map(t).Luminance;
            Assert.True(l > last, $"luminance must grow with t (t = {t})");
            last = l;
        }
        Assert.Equal(SequentialColorMap.Low, SequentialColorMap.Map(-1f));
        Assert.Equal(SequentialColorMap.High, SequentialColorMap.Map(2f));
        Assert.Equal(SequentialColorMap.Map(0.5f), SequentialColorMap.Map(3f, 2f, 4f));
    }

    [Fact]
    public void SrgbRoundTripsThroughBytesAndLinearIsDarker()
    {
        var c = ColorRgb.FromBytes(0xff, 0x6a, 0x1a);
        Assert.Equal(((byte)0xff, (byte)0x6a, (byte)0x1a), c.ToBytes());
        Assert.Equal("#ff6a1a", c.ToString());
        Assert.True(c.ToLinear().G < c.G);
        Assert.Equal(1f, c.ToLinear().R, 1e-6f);
    }
}
