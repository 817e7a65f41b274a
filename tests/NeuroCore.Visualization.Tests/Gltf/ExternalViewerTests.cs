using NeuroCore.Visualization.Gltf;
using NeuroCore.Visualization.Model;

namespace NeuroCore.Visualization.Tests.Gltf;

/// <summary>Every kind of file the exporter writes passes the Khronos validator and loads in a real viewer (three.js in Chromium).</summary>
[Collection(nameof(ExternalViewerCollection))]
public class ExternalViewerTests
{
    [Fact]
    public void EveryExportedFileKindPassesTheKhronosValidator()
    {
        JsHarness.RequireValidator();
        using var dir = new TempDir();
        var mlp = SyntheticRun.Dense([784, 64, 10], snapshots: 4);
        var conv = SyntheticRun.SmallConv(3);
        var files = new List<string>();
        files.AddRange(GltfExporter.ExportStep(mlp, mlp.Steps[3], dir.File("step.glb"), new SceneOptions { MaxConnections = 5_000 }));
        files.AddRange(GltfExporter.ExportTimeline(mlp, dir.File("timeline.glb"), new SceneOptions { MaxConnections = 5_000 }));
        files.AddRange(GltfExporter.ExportStep(conv, conv.Steps[0], dir.File("conv.glb")));
        files.AddRange(GltfExporter.ExportTimeline(conv, dir.File("conv-timeline.gltf"), new SceneOptions { SecondsPerStep = 0.01f }));
        // Over the named-node limit, and an empty budget (no connection meshes at all).
        files.AddRange(GltfExporter.ExportStep(mlp, mlp.Steps[0], dir.File("nodes-omitted.glb"), new SceneOptions { MaxNamedNeuronsPerLayer = 10, MaxConnections = 0 }));
        var toValidate = files.Where(f => !f.EndsWith(".bin")).ToArray();
        Assert.Equal(5, toValidate.Length);
        foreach (var report in JsHarness.Validate(toValidate))
        {
            var file = report.GetProperty("file").GetString();
            var messages = string.Join("\n", report.GetProperty("messages").EnumerateArray().Select(m => m.GetString()));
            Assert.True(report.GetProperty("errors").GetInt32() == 0, $"{file}: errors\n{messages}");
            Assert.True(report.GetProperty("warnings").GetInt32() == 0, $"{file}: warnings\n{messages}");
        }
    }

    [Fact]
    public void ThreeJsLoadsAndRendersOneStep()
    {
        JsHarness.RequireViewer();
        using var dir = new TempDir();
        var run = SyntheticRun.Dense([784, 32, 10], snapshots: 2);
        var path = dir.File("step.glb");
        GltfExporter.ExportStep(run, run.Steps[1], path, new SceneOptions { MaxConnections = 3_000 });
        var r = JsHarness.View(path);
        Assert.Empty(r.GetProperty("pageErrors").EnumerateArray());
        Assert.Equal(3 + 2, r.GetProperty("meshes").GetInt32()); // 3 neuron meshes + 2 connection meshes
        // network + layers + 3 layer groups + 826 neurons + step group + 5 mesh nodes
        Assert.Equal(1 + 1 + 3 + 826 + 1 + 5, r.GetProperty("nodes").GetInt32());
        Assert.Equal(826, r.GetProperty("neuronNodes").GetInt32());
        Assert.Equal(0, r.GetProperty("animations").GetArrayLength());
        Assert.Equal(3_000, r.GetProperty("sceneExtras").GetProperty("neurocore").GetProperty("connectionsShown").GetInt32());
        var drawn = r.GetProperty("nonBackgroundFraction").GetDouble();
        Assert.True(drawn > 0.02, $"rendered frame is (nearly) blank: {drawn:P2} of pixels differ from the background");
        Assert.True(r.GetProperty("distinctColors").GetInt32() >= 4, "expected several colours (neurons, positive and negative connections)");
    }

    [Fact]
    public void ThreeJsHoldsTheTrainedNetworkBeforeItsDefaultLoopWraps()
    {
        JsHarness.RequireViewer();
        using var dir = new TempDir();
        var run = SyntheticRun.Dense([49, 12, 4], snapshots: 5);
        var path = dir.File("timeline.glb");
        GltfExporter.ExportTimeline(run, path, new SceneOptions { SecondsPerSnapshot = 1f });
        // The last key is at 4 s; three.js loops (LoopRepeat) over the clip: 1.5 s later it must still show the last step.
        var r = JsHarness.View(path, time: 5.5);
        Assert.Equal(["step_400"], r.GetProperty("visibleSnapshots").EnumerateArray().Select(e => e.GetString()));
        var mapping = r.GetProperty("fileExtras").GetProperty("neurocore").GetProperty("timeMapping");
        Assert.Equal(2.0, mapping.GetProperty("holdSeconds").GetDouble(), 6);
        Assert.Equal([1, 145], mapping.GetProperty("blenderFrameRange").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void ThreeJsPlaysTheTimelineOneSnapshotAtATime()
    {
        JsHarness.RequireViewer();
        using var dir = new TempDir();
        var run = SyntheticRun.Dense([49, 12, 4], snapshots: 5);
        var path = dir.File("timeline.glb");
        GltfExporter.ExportTimeline(run, path, new SceneOptions { SecondsPerSnapshot = 1f });
        var r = JsHarness.View(path, time: 2.5);
        Assert.Empty(r.GetProperty("pageErrors").EnumerateArray());
        var anim = Assert.Single(r.GetProperty("animations").EnumerateArray());
        Assert.Equal(5, anim.GetProperty("tracks").GetInt32());      // one scale track per snapshot node
        Assert.Equal(6, anim.GetProperty("keyframes").GetInt32());   // keyframes = snapshots + the hold of the last
        Assert.Equal(4.0 + 2.0, anim.GetProperty("duration").GetDouble(), 6);
        Assert.Equal(2300, Assert.Single(anim.GetProperty("interpolations").EnumerateArray()).GetInt32()); // THREE.InterpolateDiscrete
        Assert.Equal(["step_200"], r.GetProperty("visibleSnapshots").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(5 * 3 + 5 * 2, r.GetProperty("meshes").GetInt32()); // three.js makes one Mesh object per mesh node
        // glTF meshes are shared when a layer's activations did not change since the previous snapshot
        // (always so for the input); the weights change every snapshot, so connection meshes are not.
        var snaps = Enumerable.Range(0, 5).Select(i => run.Load(i, 0)).ToArray();
        var neuronMeshes = Enumerable.Range(0, 3).Sum(l => 1 + Enumerable.Range(1, 4).Count(i => !snaps[i].Activations![l]!.SequenceEqual(snaps[i - 1].Activations![l]!)));
        Assert.Equal(1, Enumerable.Range(1, 4).Count(i => !snaps[i].Activations![0]!.SequenceEqual(snaps[i - 1].Activations![0]!)) + 1);
        Assert.Equal(neuronMeshes + 5 * 2, r.GetProperty("gltfMeshes").GetInt32());
        Assert.Equal("perSnapshot", r.GetProperty("fileExtras").GetProperty("neurocore").GetProperty("timeMapping").GetProperty("mode").GetString());
        Assert.True(r.GetProperty("nonBackgroundFraction").GetDouble() > 0.01);
    }
}
