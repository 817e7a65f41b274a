using NeuroCore.Autograd;
using NeuroCore.NN;
using NeuroCore.Snapshots;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Snapshots;

/// <summary>Runs written in format version 1 (a kept fixture, and a minimal hand-written manifest) stay readable.</summary>
public class VersionOneFixtureTests
{
    public static string Fixture => Path.Combine(RepoPaths.Root, "tests", "NeuroCore.Tests", "Snapshots", "Fixtures", "v1-spiral");

    [Fact]
    public void TheVersionOneFixtureReadsWithTypedActivationsAndRebuildsItsNetwork()
    {
        var run = TrainingRun.Open(Fixture);
        Assert.Empty(run.Warnings);
        Assert.Equal(1, run.Manifest.Version);
        Assert.True(run.IsFinished);
        Assert.Equal([0L, 2L, 4L], run.Snapshots.Select(s => s.Step));
        var layers = run.Manifest.Architecture.Layers;
        Assert.Equal(new LayerActivation(ActivationFunction.LeakyRelu, "1"), layers[0].Activation);
        Assert.Equal(new LayerActivation(ActivationFunction.LeakyRelu, "1"), layers[1].Activation);
        Assert.Null(layers[2].Activation);
        Assert.Empty(layers[0].Buffers); // omitted in the file
        Assert.Equal(GradientRecording.Norms, run.Manifest.Storage.Gradients);
        Assert.Equal(2, run.Manifest.Epochs);
        Assert.Equal(3, run.LoadSummary()!.Snapshots);

        var snapshot = run.LoadSnapshot(4);
        var network = RecordedNetwork.Build(run.Manifest.Architecture);
        RecordedNetwork.LoadSnapshot(network, snapshot);
        Tensor output;
        using (GradMode.NoGrad()) output = network.Call(run.LoadProbe()!.Inputs);
        Assert.Equal(snapshot.Activations["2"].ToArray(), output.ToArray());
    }

    [Fact]
    public void AMinimalManifestAndIndexLineTakeTheDocumentedDefaults()
    {
        using var tmp = SnapshotFixture.Temp();
        Directory.CreateDirectory(Path.Combine(tmp.Run, "snapshots"));
        File.WriteAllText(Path.Combine(tmp.Run, SnapshotFormat.ManifestFileName), """
            { "format": "neurocore.training-run", "version": 1,
              "architecture": { "type": "Sequential", "layers": [ { "name": "0", "type": "ReLU", "activation": "relu", "isActivation": true } ] },
              "probe": { "count": 0 } }
            """);
        NeuroCore.IO.SafeTensors.Save(Path.Combine(tmp.Run, "snapshots", "s.safetensors"), new Dictionary<string, Tensor> { ["param/x"] = Tensor.Zeros(1) });
        File.WriteAllText(Path.Combine(tmp.Run, SnapshotFormat.IndexFileName), "{\"step\":3,\"file\":\"snapshots/s.safetensors\"}\n");
        var run = TrainingRun.Open(tmp.Run);
        Assert.Empty(run.Warnings);
        var m = run.Manifest;
        Assert.Equal(SnapshotFormat.ProbeFileName, m.Probe!.File);
        Assert.Equal(new SnapshotStorage(), m.Storage);
        Assert.Empty(m.HyperParameters);
        Assert.Empty(m.Architecture.Layers[0].Config);
        Assert.Equal(new LayerActivation(ActivationFunction.Relu, "0"), m.Architecture.Layers[0].Activation);
        var entry = Assert.Single(run.Snapshots);
        Assert.Equal(-1, entry.Bytes);
        Assert.Empty(entry.Metrics);
        Assert.Null(entry.Loss);
    }
}
