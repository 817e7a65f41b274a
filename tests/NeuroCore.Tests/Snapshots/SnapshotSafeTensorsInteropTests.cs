using NeuroCore.IO;
using NeuroCore.Snapshots;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Snapshots;

/// <summary>
/// Snapshot files are written by a small internal codec; these tests hold it to the safetensors format
/// by round-tripping through the library's independent <see cref="SafeTensors"/> implementation.
/// </summary>
public class SnapshotSafeTensorsInteropTests
{
    [Fact]
    public void SnapshotFilesAreReadableByTheSafeTensorsReader()
    {
        using var tmp = SnapshotFixture.Temp();
        var model = SnapshotFixture.Model();
        SnapshotFixture.Step(model);
        new SnapshotRecorder(tmp.Run, new()
        {
            Probe = SnapshotFixture.Probe(), Gradients = GradientRecording.Full, ActivationPrecision = SnapshotPrecision.Float16,
        }).Capture(model, 1, 0);
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
    public void TheInternalReaderReadsFilesWrittenBySafeTensorsSave()
    {
        using var tmp = SnapshotFixture.Temp();
        string path = Path.Combine(tmp.Path, "x.safetensors");
        var a = Tensor.FromArray([1f, -2.5f, 3.25f, 1e-3f], 2, 2);
        var b = Tensor.FromArray([7L, -8L], 2);
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b }, new Dictionary<string, string> { ["k"] = "v" }, SafeTensorsDType.F16);
        var (tensors, metadata) = TensorFile.Read(path);
        TensorAssert.Close(a.ToArray(), tensors["a"], 1e-3, 1e-6);
        Assert.Equal([7L, -8L], tensors["b"].ToLongArray());
        Assert.Equal("v", metadata["k"]);
    }
}
