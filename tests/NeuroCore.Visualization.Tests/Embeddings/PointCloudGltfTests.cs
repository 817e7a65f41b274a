using System.Text.Json;
using NeuroCore.Visualization.Embeddings;
using SharpGLTF.Schema2;

namespace NeuroCore.Visualization.Tests.Embeddings;

public class PointCloudGltfTests
{
    [Fact]
    public void EveryPointIsANamedNodeWithLabelAndIndex()
    {
        var view = ProjectorFilesTests.ImageView(30);
        var model = PointCloudGltf.Build(view);
        var points = model.LogicalNodes.Single(n => n.Name == "points").VisualChildren.ToList();
        Assert.Equal(30, points.Count);
        for (int i = 0; i < 30; i++)
        {
            Assert.Equal(view.NameOf(i), points[i].Name);
            var extras = points[i].Extras!.AsObject();
            Assert.Equal(i, (int)extras["index"]!);
            Assert.Equal(view.Source.Labels![i], (int)extras["label"]!);
        }
        var prim = model.LogicalMeshes.Single().Primitives.Single();
        Assert.Equal(PrimitiveType.POINTS, prim.DrawPrimitiveType);
        Assert.Equal(30, prim.GetVertexAccessor("POSITION").Count);
        Assert.NotNull(prim.GetVertexAccessor("COLOR_0"));
    }

    [Fact]
    public void PassesTheKhronosValidator()
    {
        JsHarness.RequireValidator();
        using var dir = new TempDir();
        var files = EmbeddingWriter.WriteAll(ProjectorFilesTests.ImageView(40), dir.Path);
        var glb = files.Single(f => f.EndsWith(".glb", StringComparison.Ordinal));
        var report = JsHarness.Validate(glb)[0];
        Assert.True(report.GetProperty("errors").GetInt32() == 0 && report.GetProperty("warnings").GetInt32() == 0, report.ToString());
        // embedding.json: positions, labels and neighbours a viewer can serve as is.
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, EmbeddingJson.FileName)));
        var p0 = json.RootElement.GetProperty("points")[0];
        Assert.Equal(3, p0.GetProperty("position").GetArrayLength());
        Assert.Equal(4, p0.GetProperty("neighbors").GetArrayLength());
        Assert.Equal("cat", p0.GetProperty("labelName").GetString());
    }
}
