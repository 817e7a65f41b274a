using NeuroCore.Visualization.Runs;

namespace NeuroCore.Visualization.Rendering;

/// <summary>A frame's per-neuron activation: the mean and mean |value| over the glow inputs, layer by layer.</summary>
internal sealed class FrameActivations
{
    private readonly float[]?[] _layers;

    public FrameActivations(IReadOnlyList<int> sizes)
    {
        Mean = [.. sizes.Select(s => new float[s])];
        MeanAbs = [.. sizes.Select(s => new float[s])];
        _layers = new float[]?[sizes.Count];
    }

    public float[][] Mean { get; }
    public float[][] MeanAbs { get; }

    /// <summary>Runs <paramref name="probes"/> through <paramref name="network"/> and averages every layer over them.</summary>
    public void Compute(FrameNetwork network, Tensor probes)
    {
        network.Forward(probes, _layers);
        int n = probes.Size(0);
        for (int k = 0; k < Mean.Length; k++)
        {
            Array.Clear(Mean[k]);
            Array.Clear(MeanAbs[k]);
            if (_layers[k] is not { } values) continue;
            int size = Mean[k].Length;
            for (int p = 0; p < n; p++)
                for (int i = 0; i < size; i++)
                {
                    // A diverged run's NaN must not light up (or blank) the frame: it counts as silent.
                    float v = values[p * size + i];
                    if (!float.IsFinite(v)) continue;
                    Mean[k][i] += v;
                    MeanAbs[k][i] += MathF.Abs(v);
                }
            float inv = 1f / n;
            System.Numerics.Tensors.TensorPrimitives.Multiply(Mean[k], inv, Mean[k]);
            System.Numerics.Tensors.TensorPrimitives.Multiply(MeanAbs[k], inv, MeanAbs[k]);
        }
    }

    /// <summary>Recorded activations interpolated between two snapshots.</summary>
    public void Interpolate(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b, float t)
    {
        for (int k = 0; k < Mean.Length && k < a.Count && k < b.Count; k++)
        {
            System.Numerics.Tensors.TensorPrimitives.Subtract(b[k], a[k], Mean[k]);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(Mean[k], t, a[k], Mean[k]);
            System.Numerics.Tensors.TensorPrimitives.Abs(Mean[k], MeanAbs[k]);
        }
    }
}
