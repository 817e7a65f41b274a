using NeuroCore.Autograd;
using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Snapshots;

namespace NeuroCore.Tests.Snapshots;

/// <summary>y = x·weight + bias, element-wise (only foundation ops, so the tests do not wait for Linear).</summary>
internal sealed class ScaleShift : Module
{
    private readonly Tensor _weight, _bias;

    public ScaleShift(int features, int seed)
    {
        _weight = RegisterParameter("weight", Tensor.Randn([features], new Generator(seed)));
        _bias = RegisterParameter("bias", Tensor.Full([features], 0.1f));
        Features = features;
    }

    public int Features { get; }
    public override Tensor Forward(Tensor input) => input * _weight + _bias;
    public override IReadOnlyDictionary<string, object> Config => new Dictionary<string, object> { ["features"] = Features };
}

/// <summary>A logistic sigmoid built from Exp; its TypeName makes the manifest see an activation.</summary>
internal sealed class TestSigmoid : Module
{
    public override string TypeName => "Sigmoid";
    public override Tensor Forward(Tensor input) => 1f / (1f + (-input).Exp());
}

/// <summary>Identity that remembers the mode and grad state it last ran under.</summary>
internal sealed class ModeSpy : Module
{
    public bool? SawTraining { get; private set; }
    public bool? SawGradEnabled { get; private set; }
    public override Tensor Forward(Tensor input)
    {
        SawTraining = IsTraining;
        SawGradEnabled = GradMode.IsEnabled;
        return input;
    }
}

/// <summary>A dataset over plain arrays (the library's TensorDataset is implemented on another branch).</summary>
internal sealed class ArrayDataset(float[][] inputs, long[] labels) : IDataset
{
    public int Count => inputs.Length;
    public (Tensor Input, Tensor Target) this[int index] => (Tensor.FromArray(inputs[index]), Tensor.FromArray([labels[index]], []));
}

internal static class SnapshotFixture
{
    public static Sequential Model() => new(new ScaleShift(3, 1), new TestSigmoid(), new ScaleShift(3, 2));

    public static ProbeBatch Probe() => new(
        Tensor.FromArray([0.5f, -1f, 2f, 1f, 0f, -0.5f], 2, 3),
        Tensor.FromArray([1L, 0L], 2));

    /// <summary>A fresh folder under the temp directory, deleted by the caller's using.</summary>
    public static TempDir Temp() => new();

    /// <summary>One SGD step on a squared-error loss; returns the loss and leaves the gradients on the parameters.</summary>
    public static float Step(Module model, float lr = 0.1f)
    {
        model.ZeroGrad();
        var x = Tensor.FromArray([1f, 2f, -1f, 0.5f, 0.5f, 0.5f], 2, 3);
        var d = model.Call(x) - Tensor.FromArray([1f, 0f, 1f, 0f, 1f, 0f], 2, 3);
        var loss = (d * d).Mean();
        loss.Backward();
        using (GradMode.NoGrad())
            foreach (var p in model.Parameters())
                p.CopyFrom(p - lr * p.Grad!);
        return loss.Item();
    }
}

internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "neurocore-test-" + Guid.NewGuid().ToString("N")[..12]);
    public string Run => System.IO.Path.Combine(Path, "run");
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
