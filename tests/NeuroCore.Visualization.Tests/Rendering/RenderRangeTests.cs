using NeuroCore.Visualization.Rendering;

namespace NeuroCore.Visualization.Tests.Rendering;

/// <summary><see cref="TimelapseRenderer.RenderRange"/>: a frame range (one segment of a distributed video) has the pixels of the whole render.</summary>
public class RenderRangeTests
{
    [Fact]
    public void A_range_yields_the_frames_of_the_whole_video_in_order()
    {
        var options = new TimelapseOptions { Width = 96, Height = 64, Fps = 10, DurationSeconds = 2, MaxParallelism = 2 };
        var renderer = new TimelapseRenderer(TestRuns.Spiral(), options);
        var seen = new List<(int Index, byte[] Rgba)>();
        renderer.RenderRange(7, 9, (i, rgba) => seen.Add((i, rgba)), null, TestContext.Current.CancellationToken);
        Assert.Equal(Enumerable.Range(7, 9), seen.Select(s => s.Index));
        var expected = new byte[96 * 64 * 4];
        foreach (var (index, rgba) in seen)
        {
            renderer.RenderFrame(index, expected);
            Assert.Equal(expected, rgba);
        }
        Assert.NotEqual(seen[0].Rgba, seen[^1].Rgba);
    }

    [Fact]
    public void A_range_outside_the_video_is_refused()
    {
        var renderer = new TimelapseRenderer(TestRuns.Spiral(), new TimelapseOptions { Width = 32, Height = 32, Fps = 5, DurationSeconds = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => renderer.RenderRange(3, 3, (_, _) => { }, null, TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentOutOfRangeException>(() => renderer.RenderRange(-1, 2, (_, _) => { }, null, TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentOutOfRangeException>(() => renderer.RenderRange(0, 0, (_, _) => { }, null, TestContext.Current.CancellationToken));
    }
}
