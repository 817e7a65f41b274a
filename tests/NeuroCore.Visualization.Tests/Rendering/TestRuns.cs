using NeuroCore.Visualization.Rendering;

namespace NeuroCore.Visualization.Tests.Rendering;

/// <summary>Small synthetic runs for rendering tests.</summary>
internal static class TestRuns
{
    /// <summary>A 2-16-16-3 tanh MLP on a 3-arm spiral whose weights drift from random to larger values.</summary>
    public static TimelapseData Spiral(int snapshots = 6, int seed = 1)
    {
        var rng = new Random(seed);
        int[] sizes = [2, 16, 16, 3];
        var w0 = new float[3][];
        var w1 = new float[3][];
        for (int k = 0; k < 3; k++)
        {
            w0[k] = new float[sizes[k] * sizes[k + 1]];
            w1[k] = new float[sizes[k] * sizes[k + 1]];
            for (int i = 0; i < w0[k].Length; i++)
            {
                w0[k][i] = (float)(rng.NextDouble() - 0.5) * 0.4f;
                w1[k][i] = (float)(rng.NextDouble() - 0.5) * 3f;
            }
        }
        var snaps = new List<WeightSnapshot>();
        var history = new List<MetricSample>();
        for (int s = 0; s < snapshots; s++)
        {
            float t = snapshots == 1 ? 0 : s / (float)(snapshots - 1);
            var weights = new float[3][];
            var biases = new float[]?[3];
            for (int k = 0; k < 3; k++)
            {
                weights[k] = new float[w0[k].Length];
                for (int i = 0; i < weights[k].Length; i++) weights[k][i] = w0[k][i] + (w1[k][i] - w0[k][i]) * t;
                biases[k] = new float[sizes[k + 1]];
            }
            float loss = 1.1f * MathF.Exp(-3 * t) + 0.05f;
            snaps.Add(new WeightSnapshot(s * 100, s, weights, biases) { Loss = loss, Accuracy = 0.33f + 0.6f * t, LearningRate = 0.05f });
        }
        for (int step = 0; step <= (snapshots - 1) * 100; step += 10)
        {
            float t = snapshots == 1 ? 0 : step / (float)((snapshots - 1) * 100);
            history.Add(new MetricSample(step, 1.1f * MathF.Exp(-3 * t) + 0.05f + 0.03f * (float)rng.NextDouble(), 0.33f + 0.6f * t, 0.05f));
        }
        var (points, labels) = SpiralPoints(60, 3);
        return new TimelapseData
        {
            LayerSizes = sizes,
            Activations = ["tanh", "tanh", "identity"],
            Snapshots = snaps,
            History = history,
            Epochs = snapshots,
            Title = "spiral · MLP 2-16-16-3",
            Points = points,
            Labels = labels,
        };
    }

    public static (float[] Points, int[] Labels) SpiralPoints(int perClass, int classes)
    {
        var rng = new Random(7);
        var pts = new float[perClass * classes * 2];
        var labels = new int[perClass * classes];
        for (int c = 0; c < classes; c++)
            for (int i = 0; i < perClass; i++)
            {
                float r = i / (float)perClass;
                float th = c * 4f + 4f * r + (float)rng.NextDouble() * 0.2f;
                int p = c * perClass + i;
                pts[2 * p] = r * MathF.Sin(th);
                pts[2 * p + 1] = r * MathF.Cos(th);
                labels[p] = c;
            }
        return (pts, labels);
    }

    /// <summary>One input, one output, a single weight per snapshot.</summary>
    public static TimelapseData SingleWeight(params float[] weights) => new()
    {
        LayerSizes = [1, 1],
        Activations = ["identity"],
        Snapshots = [.. weights.Select((w, i) => new WeightSnapshot(i * 10, i, [new[] { w }]))],
    };
}
