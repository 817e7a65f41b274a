using NeuroCore.Visualization.Rendering;

namespace NeuroCore.Visualization.Tests.Rendering;

public class SmokeTests
{
    [Fact]
    public void WritesPreview()
    {
        var data = TestRuns.Spiral();
        var r = new TimelapseRenderer(data, new TimelapseOptions { DurationSeconds = 1, Fps = 10 });
        var buf = new byte[1280 * 720 * 4];
        r.RenderFrame(2, buf);
        File.WriteAllBytes("/tmp/preview.png", NeuroCore.Visualization.Encoding.PngFramesSink.EncodePng(buf, 1280, 720));
    }
}
