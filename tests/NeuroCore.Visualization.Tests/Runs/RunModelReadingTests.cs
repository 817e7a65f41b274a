using NeuroCore.Autograd;
using NeuroCore.NN;
using NeuroCore.Snapshots;
using NeuroCore.Visualization.Gltf;
using NeuroCore.Visualization.Rendering;
using NeuroCore.Visualization.Runs;

namespace NeuroCore.Visualization.Tests.Runs;

/// <summary>
/// One run model for every consumer: step lookup, input-shape inference without a probe, the recorded
/// network as the frames' forward pass, bounded memory, and runs that diverged or carry float labels.
/// </summary>
public class RunModelReadingTests
{
    private static string Record(TempDir dir, string name, Sequential model, ProbeBatch? probe, int snapshots, Action<Sequential, int>? between = null)
    {
        var folder = dir.File(name);
        var recorder = new SnapshotRecorder(folder, new SnapshotRecorderOptions { Probe = probe });
        for (int s = 0; s < snapshots; s++)
        {
            recorder.Capture(model, s * 10, 0, loss: 1.0 / (s + 1));
            if (between is not null) between(model, s);
            else model.LoadStateDict(model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Detach() * 0.9f + 0.01f));
        }
        recorder.Complete();
        return folder;
    }

    private static Sequential Mlp(int seed = 3) =>
        new(new Linear(2, 8, generator: new Generator(seed)), new LeakyReLU(0.2f), new Linear(8, 3, generator: new Generator(seed + 1)));

    private static ProbeBatch Probe2D(Generator g) => new(Tensor.Randn([6, 2], g), Tensor.FromArray([0L, 1L, 2L, 0L, 1L, 2L], 6));

    [Fact]
    public void StepsAreLongsWithLookupNearestStepsAndEvenPicking()
    {
        using var dir = new TempDir();
        var run = RunModel.Open(Record(dir, "r", Mlp(), Probe2D(new Generator(1)), 5));
        Assert.Equal([0L, 10L, 20L, 30L, 40L], run.Steps);
        Assert.Equal(2, run.IndexOfStep(20));
        Assert.False(run.TryIndexOfStep(25, out _));
        var e = Assert.Throws<KeyNotFoundException>(() => run.IndexOfStep(25));
        Assert.Contains("nearest: 20, 30", e.Message);
        Assert.Equal([20L, 30L], run.NearestSteps(25));
        Assert.Equal(2, run.IndexOfNearestStep(24));
        Assert.Equal(4, run.IndexOfNearestStep(1000));
        Assert.Equal([0, 2, 4], run.PickEvenly(3));
        Assert.Equal([4], run.PickEvenly(1));
        Assert.Equal(5, run.Metrics.Count);
        Assert.Equal(0.5f, run.Metrics[1].Loss);
    }

    [Fact]
    public void WithoutAProbeTheInputShapeIsInferredFromTheFirstLinearAndTheRunExports()
    {
        using var dir = new TempDir();
        var folder = Record(dir, "noprobe", new Sequential(new Linear(5, 4), new ReLU(), new Linear(4, 2)), probe: null, 2);
        Assert.Equal([5], TrainingRun.Open(folder).Manifest.Architecture.InputShape!);
        var run = RunModel.Open(folder);
        Assert.Equal([5], run.InputShape);
        Assert.Equal(0, run.ProbeCount);
        var files = GltfExporter.ExportStep(run, 10, dir.File("noprobe.glb"));
        Assert.True(new FileInfo(files[0]).Length > 0);
    }

    [Fact]
    public void AnOldRunWithoutAnInputShapeIsInferredByTheReaderToo()
    {
        using var dir = new TempDir();
        var folder = Record(dir, "old", new Sequential(new Linear(6, 3)), probe: null, 1);
        var manifest = Path.Combine(folder, SnapshotFormat.ManifestFileName);
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifest))!;
        node["architecture"]!.AsObject().Remove("inputShape");
        File.WriteAllText(manifest, node.ToJsonString());
        Assert.Equal([6], RunModel.Open(folder).InputShape);
    }

    [Fact]
    public void AConvRunWithoutAProbeSaysWhichOptionToSet()
    {
        using var dir = new TempDir();
        var folder = Record(dir, "conv", new Sequential(new Conv2d(1, 2, 3), new ReLU(), new Flatten(), new Linear(18, 2)), probe: null, 1);
        var e = Assert.Throws<ArgumentException>(() => RunModel.Open(folder));
        Assert.Contains("SnapshotRecorderOptions.Probe", e.Message);
    }

    [Fact]
    public void FramesRunTheRecordedNetworkWithItsOwnActivationSettings()
    {
        using var dir = new TempDir();
        var model = Mlp();
        var folder = Record(dir, "leaky", model, Probe2D(new Generator(2)), 3);
        var data = TimelapseData.FromRun(RunModel.Open(folder));
        Assert.NotNull(data.CreateNetwork);
        Assert.Equal(["leaky_relu", "identity"], data.Activations);

        var network = new FrameNetwork(data);
        var last = data.Snapshots[^1];
        network.Load(last, last, 0);
        var x = Tensor.Uniform([64, 2], -3, 3, new Generator(9));
        var layers = new float[]?[3];
        var outputs = network.Forward(x, layers);
        // The recorded model after its last snapshot: the loop above moved it once more, so rebuild snapshot 2.
        var expected = RunModel.Open(folder).LoadNetwork(2);
        Tensor reference;
        using (GradMode.NoGrad()) reference = expected.Call(x);
        Assert.Equal(reference.ToArray(), outputs);
        // The hidden layer is drawn after LeakyReLU(0.2): negatives are scaled by 0.2, not PyTorch's default 0.01.
        Tensor hidden;
        using (GradMode.NoGrad()) hidden = expected[1].Call(expected[0].Call(x));
        Assert.Equal(hidden.ToArray(), layers[1]);
        Assert.Contains(layers[1]!, v => v < -0.05f);
    }

    [Fact]
    public void RenderingHoldsAFewSnapshotsNotTheWholeRun()
    {
        using var dir = new TempDir();
        var folder = Record(dir, "long", Mlp(), Probe2D(new Generator(4)), 30);
        var data = TimelapseData.FromRun(RunModel.Open(folder));
        var snapshots = Assert.IsType<RunSnapshotList>(data.Snapshots);
        Assert.Equal(0, snapshots.Loads); // reading the run loads no weights
        var renderer = new TimelapseRenderer(data, new TimelapseOptions { Width = 160, Height = 90, Fps = 10, DurationSeconds = 3, ShowHud = true });
        var rgba = new byte[160 * 90 * 4];
        for (int f = 0; f < renderer.FrameCount; f += 7) renderer.RenderFrame(f, rgba);
        Assert.True(snapshots.Cached <= 4, $"{snapshots.Cached} snapshots held");
        Assert.True(snapshots.Loads >= 30);
    }

    [Fact]
    public void FloatProbeLabelsAreNotClassesAndStillRender()
    {
        using var dir = new TempDir();
        var g = new Generator(5);
        var probe = new ProbeBatch(Tensor.Randn([4, 2], g), Tensor.Randn([4, 3], g));
        var folder = Record(dir, "regression", Mlp(), probe, 2);
        var run = RunModel.Open(folder);
        Assert.Null(run.ProbeClassLabels());
        var data = TimelapseData.FromRun(run);
        Assert.Null(data.Points);
        Assert.Equal(4, data.ProbeInputs!.Count);
        var renderer = new TimelapseRenderer(data, new TimelapseOptions { Width = 160, Height = 90, Fps = 2, DurationSeconds = 1 });
        renderer.RenderFrame(0, new byte[160 * 90 * 4]);
    }

    [Fact]
    public void ADivergedRunExportsToGltfWithoutNonFiniteJsonAndRenders()
    {
        using var dir = new TempDir();
        var folder = Record(dir, "diverged", Mlp(), Probe2D(new Generator(6)), 3, (m, s) =>
        {
            if (s == 0) m.LoadStateDict(m.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Detach() * float.NaN));
        });
        var run = RunModel.Open(folder);
        foreach (var file in GltfExporter.ExportTimeline(run, dir.File("diverged.gltf")).Concat(GltfExporter.ExportStep(run, run.Steps[2], dir.File("step.gltf"))))
        {
            if (!file.EndsWith(".gltf", StringComparison.Ordinal)) continue;
            var json = File.ReadAllText(file, System.Text.Encoding.UTF8);
            Assert.DoesNotContain("NaN", json);
            Assert.DoesNotContain("Infinity", json);
            SharpGLTF.Schema2.ModelRoot.Load(file);
        }
        var data = TimelapseData.FromRun(run);
        var renderer = new TimelapseRenderer(data, new TimelapseOptions { Width = 160, Height = 90, Fps = 4, DurationSeconds = 1, ShowHud = true });
        var rgba = new byte[160 * 90 * 4];
        renderer.RenderFrame(renderer.FrameCount - 1, rgba);
        Assert.Contains(rgba, b => b != 0);
    }

    [Fact]
    public void ALiveRunIsFollowedWithRefresh()
    {
        using var dir = new TempDir();
        var folder = dir.File("live");
        var model = Mlp();
        var recorder = new SnapshotRecorder(folder, new SnapshotRecorderOptions { Probe = Probe2D(new Generator(8)) });
        recorder.Capture(model, 0, 0);
        recorder.Capture(model, 5, 0, loss: 0.7);
        var run = RunModel.Open(folder);
        Assert.Equal([0L, 5L], run.Steps);
        Assert.False(run.Run.IsFinished);
        recorder.Capture(model, 9, 1, loss: 0.4);
        Assert.Equal(1, run.Refresh());
        Assert.Equal([0L, 5L, 9L], run.Steps);
        Assert.Equal(2, run.IndexOfStep(9));
        Assert.Equal(0.4f, run.Metrics[^1].Loss);
        Assert.NotNull(run.LoadNetwork(2));
    }

    [Fact]
    public void AVersionOneRunExportsAndRenders()
    {
        using var dir = new TempDir();
        var run = RunModel.Open(Path.Combine(NeuroCore.Tests.Infrastructure.RepoPaths.Root, "tests", "NeuroCore.Tests", "Snapshots", "Fixtures", "v1-spiral"));
        Assert.Equal([0L, 2L, 4L], run.Steps);
        Assert.Equal(["input", "dense_1", "dense_2"], run.Architecture.Layers.Select(l => l.Name));
        Assert.Equal("1", run.Layers[1].ActivationLayer);
        GltfExporter.ExportTimeline(run, dir.File("v1.glb"));
        var data = TimelapseData.FromRun(run);
        Assert.Equal(["leaky_relu", "identity"], data.Activations);
        Assert.NotNull(data.Points);
        Assert.Same(run.Architecture, data.Architecture); // the video lays the run out as the glTF scene does
        new TimelapseRenderer(data, new TimelapseOptions { Width = 160, Height = 90, Fps = 2, DurationSeconds = 1, ShowHud = true }).RenderFrame(0, new byte[160 * 90 * 4]);
    }
}
