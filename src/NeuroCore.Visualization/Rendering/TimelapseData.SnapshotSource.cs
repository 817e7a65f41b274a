using NeuroCore.Visualization.Model;

namespace NeuroCore.Visualization.Rendering;

public sealed partial class TimelapseData
{
    /// <summary>
    /// The same run as an <see cref="ISnapshotSource"/> for the glTF exporter, so a video and a glTF timeline
    /// can be made from one read of a run. Activations (one probe: the first probe input, 2-D point or
    /// the probe image) are computed from each snapshot's parameters; metrics carry loss, accuracy and
    /// learning rate.
    /// </summary>
    public ISnapshotSource ToSnapshotSource()
    {
        Validate();
        var architecture = SharedLayout.Architecture(this);
        float[] probe = ProbeImage ?? ProbeInputs?.FirstOrDefault()
            ?? (Points is { Length: >= 2 } p ? [p[0], p[1]] : new float[LayerSizes[0]]);
        var layers = LayerSizes.Select(n => new float[n]).ToArray();
        var snapshots = new List<Model.NetworkSnapshot>(Snapshots.Count);
        foreach (var s in Snapshots)
        {
            var weights = new LayerWeights?[LayerSizes.Count];
            for (int k = 0; k + 1 < LayerSizes.Count; k++)
                weights[k + 1] = new LayerWeights(s.Weights[k], [LayerSizes[k + 1], LayerSizes[k]],
                    s.Biases is { } b && b.Count > k ? b[k] : null);
            MlpEvaluator.Forward(LayerSizes, Activations, [.. s.Weights], [.. Enumerable.Range(0, LayerSizes.Count - 1).Select(k => s.Biases is { } b && b.Count > k ? b[k] : null)],
                probe, layers);
            var metrics = new Dictionary<string, double>();
            if (s.Loss is { } loss) metrics["loss"] = loss;
            if (s.Accuracy is { } acc) metrics["accuracy"] = acc;
            if (s.LearningRate is { } lr) metrics["lr"] = lr;
            snapshots.Add(new Model.NetworkSnapshot(s.Step, weights, [.. layers.Select(a => (float[]?)a.ToArray())]) { Metrics = metrics });
        }
        var metadata = new Dictionary<string, string>();
        if (Title is not null) metadata["title"] = Title;
        return new InMemorySnapshotSource(architecture, snapshots, metadata);
    }
}
