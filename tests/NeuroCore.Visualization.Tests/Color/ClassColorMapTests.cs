using NeuroCore.Visualization.Color;

namespace NeuroCore.Visualization.Tests.Color;

/// <summary>The class palette shared by the videos and the interactive viewer.</summary>
public class ClassColorMapTests
{
    [Fact]
    public void ClassesAreDistinctAndWrapAround()
    {
        Assert.Equal(10, ClassColorMap.Colors.Count);
        Assert.Equal(ClassColorMap.Colors.Count, ClassColorMap.Colors.Distinct().Count());
        Assert.Equal(ClassColorMap.Map(3), ClassColorMap.Map(13));
        Assert.Equal(ClassColorMap.Map(9), ClassColorMap.Map(-1));
    }

    [Fact]
    public void NoClassColourIsAWeightMapEnd()
    {
        // A class must not read as "strongly negative" or "strongly positive": keep clear of both ends.
        static float Distance(ColorRgb a, ColorRgb b) => MathF.Abs(a.R - b.R) + MathF.Abs(a.G - b.G) + MathF.Abs(a.B - b.B);
        foreach (var c in ClassColorMap.Colors)
        {
            Assert.True(Distance(c, DivergingColorMap.NegativeEnd) > 0.1f, $"{c} is too close to the negative weight colour");
            Assert.True(Distance(c, DivergingColorMap.PositiveEnd) > 0.1f, $"{c} is too close to the positive weight colour");
        }
    }
}
