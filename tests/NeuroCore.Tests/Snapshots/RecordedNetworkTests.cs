using NeuroCore.Autograd;
using NeuroCore.NN;
using NeuroCore.Snapshots;

namespace NeuroCore.Tests.Snapshots;

/// <summary>The network rebuilt from a manifest computes exactly what the recorded one did.</summary>
public class RecordedNetworkTests
{
    private static TrainingRun Record(TempDir tmp, Sequential model, ProbeBatch probe)
    {
        var recorder = new SnapshotRecorder(tmp.Run, new SnapshotRecorderOptions { Probe = probe });
        recorder.Capture(model, 0, 0);
        // Change parameters and BatchNorm statistics as training would, so snapshot 1 differs from a fresh build.
        model.Train();
        using (GradMode.NoGrad())
        {
            model.Call(Tensor.Randn([16, probe.Inputs.Size(1)], new Generator(3)));
            foreach (var p in model.Parameters()) p.MulInPlace(1.5f);
        }
        recorder.Capture(model, 1, 0);
        return TrainingRun.Open(tmp.Run);
    }

    [Fact]
    public void RebuiltNetworkReproducesTheRecordedOutputs()
    {
        using var tmp = SnapshotFixture.Temp();
        var g = new Generator(1);
        var model = new Sequential(new Linear(3, 6, generator: g), new BatchNorm1d(6), new GELU(GeluApproximation.Tanh), new Dropout(0.3f),
            new Linear(6, 4, generator: g), new LeakyReLU(0.3f), new Linear(4, 2, generator: g), new LogSoftmax());
        var probe = new ProbeBatch(Tensor.Randn([5, 3], g), null);
        var run = Record(tmp, model, probe);

        var rebuilt = RecordedNetwork.Build(run.Manifest.Architecture);
        Assert.Equal(model.Layers.Select(l => l.TypeName), rebuilt.Layers.Select(l => l.TypeName));
        Assert.Equal(0.3f, Assert.IsType<LeakyReLU>(rebuilt[5]).NegativeSlope);
        Assert.Equal(GeluApproximation.Tanh, Assert.IsType<GELU>(rebuilt[2]).Approximate);
        Assert.False(rebuilt.IsTraining);

        var snapshot = run.LoadSnapshot(1);
        RecordedNetwork.LoadSnapshot(rebuilt, snapshot);
        Tensor output;
        using (GradMode.NoGrad()) output = rebuilt.Call(probe.Inputs);
        Assert.Equal(snapshot.Activations["7"].ToArray(), output.ToArray());
    }

    [Fact]
    public void ALayerWithoutACoreModuleIsNamed()
    {
        using var tmp = SnapshotFixture.Temp();
        var run = Record(tmp, SnapshotFixture.Model(), SnapshotFixture.Probe());
        var e = Assert.Throws<NotSupportedException>(() => RecordedNetwork.Build(run.Manifest.Architecture));
        Assert.Contains("\"0\"", e.Message);
        Assert.Contains("ScaleShift", e.Message);
        Assert.False(RecordedNetwork.CanBuild(run.Manifest.Architecture, out var problem));
        Assert.Equal(e.Message, problem);
    }

    [Fact]
    public void ActivationNamesComeFromOneTable()
    {
        foreach (var f in ActivationFunctions.All)
        {
            Assert.True(ActivationFunctions.TryParse(f.Name(), out var parsed));
            Assert.Equal(f, parsed);
            Assert.True(ActivationFunctions.TryParse(f.Name().Replace('_', '-'), out parsed)); // the CLI's spelling
            Assert.Equal(f, parsed);
        }
        Assert.Equal(ActivationFunction.LeakyRelu, ActivationFunctions.FromTypeName("LeakyReLU"));
        Assert.Null(ActivationFunctions.FromTypeName("Linear"));
        Assert.False(ActivationFunctions.TryParse("swishy", out _));
        Assert.IsType<LeakyReLU>(ActivationFunction.LeakyRelu.CreateModule());
        Assert.Throws<NotSupportedException>(() => ActivationFunction.Mish.CreateModule());
    }
}
