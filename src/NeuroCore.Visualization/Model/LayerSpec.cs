namespace NeuroCore.Visualization.Model;

/// <summary>One drawn layer: a unique name (used in node names, e.g. <c>dense_1</c>), its kind and its output shape per sample.</summary>
/// <param name="Name">Unique name; node names are built from it (<c>dense_1/neuron_17</c>).</param>
/// <param name="Kind">How the layer is laid out and connected.</param>
/// <param name="Shape">Output shape of one sample: <c>[N]</c>, <c>[H, W]</c> or <c>[C, H, W]</c>.</param>
public sealed record LayerSpec(string Name, LayerKind Kind, int[] Shape)
{
    /// <summary>Number of neurons (units): the product of <see cref="Shape"/>.</summary>
    public int NeuronCount
    {
        get
        {
            var n = 1;
            foreach (var d in Shape) n = checked(n * d);
            return n;
        }
    }

    /// <summary>True for a layer whose connections come from a weight tensor (dense and convolution layers).</summary>
    public bool HasWeights => Kind is LayerKind.Dense or LayerKind.Conv2d;
}
