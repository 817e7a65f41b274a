using NeuroCore.IO;
using NeuroCore.Snapshots;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Snapshots;

/// <summary>
/// Snapshot files are plain safetensors written through <see cref="SafeTensors"/>; these tests hold the
/// recorder to the documented layout (names, dtypes, metadata, order) as a generic reader sees it.
/// </summary>
public class SnapshotSafeTensorsInteropTests
{
    /// <summary>Records step 1 of the fixture model after one training step, with a probe and full gradients.</summary>
    private static void RecordStepOne(string run, SnapshotPrecision parameters, SnapshotPrecision activations)
    {
        var model = SnapshotFixture.Model();
        SnapshotFixture.Step(model);
        new SnapshotRecorder(run, new()
        {
            Probe = SnapshotFixture.Probe(), Gradients = GradientRecording.Full,
            ParameterPrecision = parameters, ActivationPrecision = activations,
        }).Capture(model, 1, 0);
    }

    [Fact]
    public void SnapshotFilesAreReadableByTheSafeTensorsReader()
    {
        using var tmp = SnapshotFixture.Temp();
        RecordStepOne(tmp.Run, SnapshotPrecision.Float32, SnapshotPrecision.Float16);
        var run = TrainingRun.Open(tmp.Run);
        var ours = run.LoadSnapshot(1);
        var content = SafeTensors.Load(Path.Combine(tmp.Run, run.Snapshots[0].File));

        Assert.Equal("1", content.Metadata["step"]);
        Assert.Equal(SnapshotFormat.Name, content.Metadata["format"]);
        foreach (var (name, t) in ours.Parameters) TensorAssert.Close(t.ToArray(), content.Tensors["param/" + name], 0, 0, name);
        foreach (var (name, t) in ours.Gradients) TensorAssert.Close(t.ToArray(), content.Tensors["grad/" + name], 0, 0, name);
        foreach (var (name, t) in ours.Activations) TensorAssert.Close(t.ToArray(), content.Tensors["act/" + name], 0, 0, name);
        Assert.Equal(ours.GradientNorms["0.weight"], content.Tensors["grad_norm/0.weight"].Item());
        Assert.Empty(content.Tensors["grad_norm/0.weight"].Shape); // a true scalar

        var probe = SafeTensors.Load(Path.Combine(tmp.Run, SnapshotFormat.ProbeFileName));
        Assert.Equal(DType.Int64, probe.Tensors["labels"].DType);
    }

    [Fact]
    public void SnapshotsReadBackInTheModelsOrder()
    {
        // The recorder writes in model order (not safetensors' usual sorted order) and the reader keeps file
        // order, so inspect tools list layers as the model has them: "0.weight" before "0.bias", "2" before "10".
        using var tmp = SnapshotFixture.Temp();
        var model = new NeuroCore.NN.Sequential([new ScaleShift(2, 1), .. Enumerable.Range(0, 10).Select(_ => (NeuroCore.NN.Module)new TestSigmoid())]);
        var probe = new ProbeBatch(Tensor.FromArray([0.5f, -1f, 2f, 1f], 2, 2), null);
        new SnapshotRecorder(tmp.Run, new() { Probe = probe, ParameterPrecision = SnapshotPrecision.Float16 }).Capture(model, 0, 0);
        var snap = TrainingRun.Open(tmp.Run).LoadSnapshot(0);
        Assert.Equal(["0.weight", "0.bias"], snap.Parameters.Keys);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), snap.Activations.Keys);
    }

    [Fact]
    public void SnapshotFilesStoreEachKindInItsConfiguredPrecision()
    {
        using var tmp = SnapshotFixture.Temp();
        RecordStepOne(tmp.Run, SnapshotPrecision.Float16, SnapshotPrecision.Float32);
        var header = SafeTensors.ReadHeader(Path.Combine(tmp.Run, SnapshotFormat.SnapshotFileName(1)));
        var dtypes = header.Tensors.ToDictionary(t => t.Name, t => t.DType);
        Assert.Equal(SafeTensorsDType.F16, dtypes["param/0.weight"]);
        Assert.Equal(SafeTensorsDType.F16, dtypes["grad/0.weight"]);
        Assert.Equal(SafeTensorsDType.F32, dtypes["grad_norm/0.weight"]); // norms stay float32
        Assert.Equal(SafeTensorsDType.F32, dtypes["act/0"]);
        Assert.Equal(0, header.DataOffset % 8);
    }
}
