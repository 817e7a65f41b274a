namespace NeuroCore.Visualization.Model;

/// <summary>A layer's parameters at one snapshot: weights in PyTorch layout (row-major) and the optional bias.</summary>
/// <param name="Values">Weights, row-major: Dense <c>[out, in]</c>, Conv2d <c>[outC, inC, kH, kW]</c>.</param>
/// <param name="Shape">The weight tensor's shape.</param>
/// <param name="Bias">Bias per output neuron/channel, or null.</param>
public sealed record LayerWeights(float[] Values, int[] Shape, float[]? Bias = null);
