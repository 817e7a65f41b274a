using NeuroCore.Visualization.Gltf;
using NeuroCore.Visualization.Model;
namespace NeuroCore.Visualization.Tests.Gltf;
public class SmokeTests
{
    [Fact]
    public void WritesFiles()
    {
        var run = SyntheticRun.Dense([784, 256, 10], 5);
        GltfExporter.ExportStep(run, 4, "/tmp/gl/step.glb");
        GltfExporter.ExportTimeline(run, "/tmp/gl/timeline.glb");
        GltfExporter.ExportStep(SyntheticRun.SmallConv(3), 2, "/tmp/gl/conv.gltf");
        GltfExporter.ExportTimeline(SyntheticRun.SmallConv(3), "/tmp/gl/convt.glb");
    }
}
