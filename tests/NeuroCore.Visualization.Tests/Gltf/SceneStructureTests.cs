using System.Numerics;
using System.Text.Json.Nodes;
using NeuroCore.Visualization.Color;
using NeuroCore.Visualization.Gltf;
using NeuroCore.Visualization.Layout;
using NeuroCore.Visualization.Model;
using SharpGLTF.Schema2;

namespace NeuroCore.Visualization.Tests.Gltf;

/// <summary>The scene reflects the network: counts, colours by sign, budget, timeline keyframes. Checked on the re-read file.</summary>
public class SceneStructureTests
{
    private static ModelRoot RoundTrip(ModelRoot model, TempDir dir, string name = "scene.glb")
    {
        var path = dir.File(name);
        GltfExporter.Save(model, path);
        return ModelRoot.Load(path);
    }

    private static IEnumerable<Node> NodesNamed(ModelRoot m, string pattern) =>
        m.LogicalNodes.Where(n => n.Name is not null && System.Text.RegularExpressions.Regex.IsMatch(n.Name, pattern));

    [Fact]
    public void OneStepHasANamedNodePerNeuronAndMergedMeshesPerLayer()
    {
        using var dir = new TempDir();
        var run = SyntheticRun.Dense([64, 16, 4], snapshots: 3);
        var m = RoundTrip(NetworkSceneBuilder.BuildStep(run, 1, new SceneOptions { MaxConnections = 100 }), dir);

        Assert.Equal(64 + 16 + 4, NodesNamed(m, @"^[a-z_0-9]+/neuron_\d+$").Count());
        var n17 = Assert.Single(NodesNamed(m, "^dense_1/neuron_13$"));
        var snap = run.Load(1, 0);
        Assert.Equal(snap.Activations![1]![13], n17.Extras!["activation"]!.GetValue<float>());
        var layout = NetworkLayout.Compute(run.Architecture);
        Assert.Equal(layout.Layers[1].Positions[13], n17.LocalTransform.Translation);

        // 3 neuron meshes + 2 connection meshes, one primitive each.
        Assert.Equal(5, m.LogicalMeshes.Count);
        var neuronMeshes = NodesNamed(m, "^step_100/[a-z_0-9]+/neurons$").Select(n => n.Mesh).ToArray();
        Assert.Equal([64 * 12, 16 * 12, 4 * 12], neuronMeshes.Select(x => x.Primitives[0].GetVertexAccessor("POSITION").Count));
        var connNodes = NodesNamed(m, "^step_100/dense_\\d/connections").ToArray();
        Assert.Equal(100, connNodes.Sum(n => n.Mesh.Primitives[0].GetVertexAccessor("POSITION").Count) / 6);
        Assert.Empty(m.LogicalAnimations);
        Assert.Contains("KHR_materials_unlit", m.ExtensionsUsed);
        Assert.DoesNotContain("EXT_mesh_gpu_instancing", m.ExtensionsUsed);
    }

    [Fact]
    public void ConnectionColoursFollowTheSignOfTheWeights()
    {
        using var dir = new TempDir();
        var run = SyntheticRun.Dense([36, 12, 5], snapshots: 1);
        var m = RoundTrip(NetworkSceneBuilder.BuildStep(run, 0, new SceneOptions { MaxConnections = 200 }), dir);
        var snap = run.Load(0, 0);
        var selection = ConnectionSelection.Select(run.Architecture, snap, 200);
        var checkedCount = 0;
        foreach (var layer in new[] { 1, 2 })
        {
            var name = run.Architecture.Layers[layer].Name;
            var node = Assert.Single(NodesNamed(m, $"^step_0/{name}/connections"));
            var colors = node.Mesh.Primitives[0].GetVertexAccessor("COLOR_0").AsColorArray();
            var shown = selection.Layers[layer]!.Shown;
            Assert.Equal(shown.Length * 6, colors.Count);
            for (var c = 0; c < shown.Length; c++)
            {
                var w = snap.Weights[layer]!.Values[shown[c]];
                var col = colors[c * 6];
                if (w > 0) Assert.True(col.X > col.Z, $"{name} connection {shown[c]}: weight {w} > 0 but colour {col}");
                else Assert.True(col.Z > col.X, $"{name} connection {shown[c]}: weight {w} < 0 but colour {col}");
                for (var v = 1; v < 6; v++) Assert.Equal(col, colors[c * 6 + v]);
                checkedCount++;
            }
        }
        Assert.Equal(200, checkedCount);
    }

    [Fact]
    public void ThicknessGrowsWithTheWeightMagnitude()
    {
        var run = SyntheticRun.Dense([16, 4], snapshots: 1);
        var m = NetworkSceneBuilder.BuildStep(run, 0);
        var node = Assert.Single(NodesNamed(m, "^step_0/dense_1/connections"));
        var pos = node.Mesh.Primitives[0].GetVertexAccessor("POSITION").AsVector3Array();
        var w = run.Load(0, 0).Weights[1]!.Values;
        // All 64 are shown (budget > total), in id order; prism radius = distance of a vertex from the axis.
        var layout = NetworkLayout.Compute(run.Architecture);
        var radii = Enumerable.Range(0, 64).Select(c =>
        {
            var (a, b) = ConnectionSelection.Endpoints(layout, 1, c);
            var d = Vector3.Normalize(b - a);
            var off = pos[c * 6] - a;
            return (Math.Abs(w[c]), (off - Vector3.Dot(off, d) * d).Length());
        }).OrderBy(x => x.Item1).ToArray();
        for (var i = 1; i < radii.Length; i++) Assert.True(radii[i].Item2 >= radii[i - 1].Item2 - 1e-6f);
        Assert.True(radii[^1].Item2 > 2 * radii[0].Item2);
    }

    [Fact]
    public void TheBudgetIsHonouredAndSaidInExtrasAndNames()
    {
        using var dir = new TempDir();
        var run = SyntheticRun.Dense([784, 256, 10], snapshots: 1);
        var m = RoundTrip(NetworkSceneBuilder.BuildStep(run, 0, new SceneOptions { MaxConnections = 12_000 }), dir);
        var extras = m.DefaultScene.Extras!["neurocore"]!;
        Assert.Equal(12_000, extras["connectionsShown"]!.GetValue<long>());
        Assert.Equal(203_264, extras["connectionsTotal"]!.GetValue<long>());
        Assert.Equal("12,000 of 203,264 connections", extras["connectionsCaption"]!.GetValue<string>());
        var conn = NodesNamed(m, "/connections").ToArray();
        Assert.Equal(12_000, conn.Sum(n => n.Mesh.Primitives[0].GetVertexAccessor("POSITION").Count / 6));
        Assert.Contains(conn, n => n.Name == "step_0/dense_1/connections (11,849 of 200,704 shown)");
        Assert.Equal("11,849 of 200,704 connections", extras["layers"]![1]!["connections"]!["caption"]!.GetValue<string>());
    }

    [Fact]
    public void TimelineHasOneKeyframePerSnapshotAndShowsOneSnapshotAtATime()
    {
        using var dir = new TempDir();
        var run = SyntheticRun.Dense([25, 6, 3], snapshots: 7);
        var m = RoundTrip(NetworkSceneBuilder.BuildTimeline(run, new SceneOptions { SecondsPerSnapshot = 0.25f }), dir);
        var anim = Assert.Single(m.LogicalAnimations);
        Assert.Equal(7, anim.Channels.Count);
        foreach (var ch in anim.Channels)
        {
            Assert.Equal(PropertyPath.scale, ch.TargetNodePath);
            var sampler = ch.GetScaleSampler();
            Assert.Equal(AnimationInterpolationMode.STEP, sampler.InterpolationMode);
            Assert.Equal(7 + 1, sampler.GetLinearKeys().Count()); // one per snapshot, one holding the last
        }
        for (var k = 0; k < 7; k++)
        {
            var t = k * 0.25f;
            var shown = m.LogicalNodes.Where(n => n.Name?.StartsWith("step_") == true && !n.Name.Contains('/'))
                .Where(n => n.GetLocalTransform(anim, t + 0.01f).Scale.X > 0).Select(n => n.Name).ToArray();
            Assert.Equal([$"step_{k * 100}"], shown);
        }
        var mapping = m.Extras!["neurocore"]!["timeMapping"]!;
        Assert.Equal(0.25f, mapping["secondsPerSnapshot"]!.GetValue<float>());
        var keys = mapping["keyframes"]!.AsArray();
        Assert.Equal(7, keys.Count);
        Assert.Equal(600, keys[6]!["step"]!.GetValue<long>());
        Assert.Equal(1.5f, keys[6]!["time"]!.GetValue<float>());
        // Without playback, only the last snapshot is visible.
        Assert.Equal(["step_600"], m.LogicalNodes.Where(n => n.Name?.StartsWith("step_") == true && !n.Name.Contains('/') && n.LocalTransform.Scale.X > 0).Select(n => n.Name));
        // Input activations never change: every snapshot shares the input neuron mesh.
        Assert.Single(NodesNamed(m, "^step_\\d+/input/neurons$").Select(n => n.Mesh.LogicalIndex).Distinct());
        // Connection meshes share positions and indices, not colours.
        var conn = NodesNamed(m, "^step_\\d+/dense_1/connections").Select(n => n.Mesh.Primitives[0]).ToArray();
        Assert.Equal(7, conn.Length);
        Assert.Single(conn.Select(p => p.GetVertexAccessor("POSITION").LogicalIndex).Distinct());
        Assert.Equal(7, conn.Select(p => p.GetVertexAccessor("COLOR_0").LogicalIndex).Distinct().Count());
        // Per-neuron values over time.
        var neuron = Assert.Single(NodesNamed(m, "^dense_1/neuron_2$"));
        Assert.Equal(7, neuron.Extras!["activations"]!.AsArray().Count);
    }

    [Fact]
    public void TimingByStepSpacesKeyframesByTrainingSteps()
    {
        var run = SyntheticRun.Dense([9, 3], snapshots: 3);
        var m = NetworkSceneBuilder.BuildTimeline(run, new SceneOptions { SecondsPerStep = 0.01f });
        var keys = m.Extras!["neurocore"]!["timeMapping"]!["keyframes"]!.AsArray();
        Assert.Equal([0f, 1f, 2f], keys.Select(k => k!["time"]!.GetValue<float>()));
        Assert.Equal("perStep", m.Extras!["neurocore"]!["timeMapping"]!["mode"]!.GetValue<string>());
    }

    [Fact]
    public void GltfWithSideFileIsWrittenOnRequest()
    {
        using var dir = new TempDir();
        var conv = SyntheticRun.SmallConv(2);
        var files = GltfExporter.ExportStep(conv, conv.Steps[1], dir.File("conv.gltf"));
        Assert.Equal(2, files.Count);
        Assert.EndsWith(".bin", files[1]);
        Assert.All(files, f => Assert.True(File.Exists(f), f));
        var m = ModelRoot.Load(files[0]);
        Assert.Equal(4 + 2, m.LogicalMeshes.Count); // 4 neuron meshes + conv and dense connections (pooling has none)
    }

    [Fact]
    public void ExportStepTakesATrainingStepNotAnIndex()
    {
        using var dir = new TempDir();
        var run = SyntheticRun.Dense([9, 3], snapshots: 3); // steps 0, 100, 200
        var file = Assert.Single(GltfExporter.ExportStep(run, 100, dir.File("s100.glb")));
        var group = Assert.Single(NodesNamed(ModelRoot.Load(file), "^step_[0-9]+$"));
        Assert.Equal("step_100", group.Name);
        Assert.Equal(100, group.Extras!["step"]!.GetValue<long>());
        // Index 1 is not a step the run recorded: the error names the nearest recorded steps, and nothing is written.
        var e = Assert.Throws<ArgumentException>(() => GltfExporter.ExportStep(run, 1, dir.File("s1.glb")));
        Assert.Contains("No snapshot at step 1; the run has 3 snapshots between steps 0 and 200 (nearest: 0, 100)", e.Message);
        Assert.False(File.Exists(dir.File("s1.glb")));
        Assert.Contains("nearest: 200", Assert.Throws<ArgumentException>(() => GltfExporter.ExportStep(run, 250, dir.File("s.glb"))).Message);
    }

    [Fact]
    public void BadRequestsGiveOneLineErrors()
    {
        var run = SyntheticRun.Dense([9, 3], snapshots: 2);
        Assert.Contains("no snapshot 5", Assert.Throws<ArgumentException>(() => NetworkSceneBuilder.BuildStep(run, 5)).Message);
        Assert.Contains("no probe 9", Assert.Throws<ArgumentException>(() => NetworkSceneBuilder.BuildStep(run, 0, new SceneOptions { Probe = 9 })).Message);
        Assert.Contains(".glb", Assert.Throws<ArgumentException>(() => GltfExporter.ExportStep(run, run.Steps[0], "x.obj")).Message);
        Assert.Contains("MaxConnections", Assert.Throws<ArgumentException>(() => NetworkSceneBuilder.BuildStep(run, 0, new SceneOptions { MaxConnections = -1 })).Message);
    }
}
