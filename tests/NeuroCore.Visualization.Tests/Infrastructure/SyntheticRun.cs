using NeuroCore.Visualization.Model;

namespace NeuroCore.Visualization.Tests.Infrastructure;

/// <summary>
/// Deterministic made-up runs (random weights that drift from step to step, ReLU-like activations)
/// for demos, documentation, tests and benchmarks of the renderers, without training anything.
/// </summary>
internal static class SyntheticRun
{
    /// <summary>
    /// A dense network with the given layer sizes (e.g. 784, 256, 10; a 784 input is laid out as a
    /// 28×28 image) and <paramref name="snapshots"/> snapshots, <paramref name="stepsBetween"/> steps apart.
    /// </summary>
    public static InMemorySnapshotSource Dense(int[] sizes, int snapshots, int seed = 1, int stepsBetween = 100)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Length < 2) throw new ArgumentException("A dense network needs at least an input and one layer.", nameof(sizes));
        var layers = new List<LayerSpec>();
        var side = (int)Math.Round(Math.Sqrt(sizes[0]));
        layers.Add(side * side == sizes[0] && sizes[0] >= 16 ? new LayerSpec("input", LayerKind.Input, [side, side]) : new LayerSpec("input", LayerKind.Input, [sizes[0]]));
        for (var i = 1; i < sizes.Length; i++) layers.Add(new LayerSpec($"dense_{i}", LayerKind.Dense, [sizes[i]]));
        return Build(new NetworkArchitecture(layers), snapshots, seed, stepsBetween);
    }

    /// <summary>A small conv network: 1×12×12 input, conv 4×10×10 (3×3 kernels), pool 4×5×5, dense 10.</summary>
    public static InMemorySnapshotSource SmallConv(int snapshots, int seed = 1)
    {
        var arch = new NetworkArchitecture(
        [
            new LayerSpec("input", LayerKind.Input, [1, 12, 12]),
            new LayerSpec("conv_1", LayerKind.Conv2d, [4, 10, 10]),
            new LayerSpec("pool_1", LayerKind.Pool2d, [4, 5, 5]),
            new LayerSpec("dense_1", LayerKind.Dense, [10]),
        ]);
        return Build(arch, snapshots, seed, 50);
    }

    private static InMemorySnapshotSource Build(NetworkArchitecture arch, int snapshots, int seed, int stepsBetween)
    {
        if (snapshots < 1) throw new ArgumentException("A run needs at least one snapshot.", nameof(snapshots));
        var layers = arch.Layers;
        var shapes = new int[]?[layers.Count];
        for (var l = 1; l < layers.Count; l++)
        {
            var prev = layers[l - 1];
            shapes[l] = layers[l].Kind switch
            {
                LayerKind.Dense => [layers[l].NeuronCount, prev.NeuronCount],
                LayerKind.Conv2d => [layers[l].Shape[0], prev.Shape.Length == 3 ? prev.Shape[0] : 1, 3, 3],
                _ => null,
            };
        }
        // Initial weights and one fixed drift direction per weight: snapshot s = w0 + (s/(S-1))·drift,
        // computed on demand so a 100-snapshot run costs no more memory than one snapshot.
        var rng = new Random(seed);
        var w0 = new float[]?[layers.Count];
        var drift = new float[]?[layers.Count];
        for (var l = 0; l < layers.Count; l++)
        {
            if (shapes[l] is not { } s) continue;
            var n = s.Aggregate(1, (a, b) => a * b);
            var fanIn = n / s[0];
            var scale = 1f / MathF.Sqrt(fanIn);
            w0[l] = new float[n];
            drift[l] = new float[n];
            for (var i = 0; i < n; i++)
            {
                w0[l]![i] = (float)(rng.NextDouble() * 2 - 1) * scale;
                drift[l]![i] = (float)(rng.NextDouble() * 2 - 1) * scale;
            }
        }
        var probe = new float[layers[0].NeuronCount];
        for (var i = 0; i < probe.Length; i++) probe[i] = rng.NextDouble() < 0.3 ? (float)rng.NextDouble() : 0f;

        var loaders = new Func<int, NetworkSnapshot>[snapshots];
        var steps = new long[snapshots];
        for (var s = 0; s < snapshots; s++)
        {
            var t = snapshots == 1 ? 1f : (float)s / (snapshots - 1);
            steps[s] = (long)s * stepsBetween;
            var step = steps[s];
            loaders[s] = probeIndex =>
            {
                var weights = new LayerWeights?[layers.Count];
                var acts = new float[]?[layers.Count];
                acts[0] = (float[])probe.Clone();
                for (var l = 1; l < layers.Count; l++)
                {
                    var n = layers[l].NeuronCount;
                    if (shapes[l] is { } shape)
                    {
                        var w = new float[w0[l]!.Length];
                        for (var i = 0; i < w.Length; i++) w[i] = w0[l]![i] + t * drift[l]![i];
                        weights[l] = new LayerWeights(w, shape, new float[shape[0]]);
                    }
                    var a = new float[n];
                    for (var k = 0; k < n; k++) a[k] = MathF.Max(0f, MathF.Sin(k * 0.37f + l + 3f * t + probeIndex));
                    acts[l] = a;
                }
                return new NetworkSnapshot(step, weights, acts) { Metrics = new Dictionary<string, double> { ["loss"] = 2.3 * (1 - 0.8 * t) } };
            };
        }
        var meta = new Dictionary<string, string> { ["name"] = "synthetic", ["source"] = "NeuroCore.Visualization.Tests.Infrastructure.SyntheticRun" };
        return new InMemorySnapshotSource(arch, loaders, steps, probeCount: 2, meta);
    }
}
