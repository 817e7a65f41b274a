using NeuroCore.NN;
using NeuroCore.Visualization.Model;

namespace NeuroCore.Visualization.Runs;

/// <summary>
/// One drawn layer of a recorded run and where its data lives: the recorded module, the layer whose
/// output holds its activated values, and its weight and bias names in the state dict.
/// </summary>
/// <param name="Spec">The layer as drawn (name, kind, shape per example).</param>
/// <param name="Module">The recorded module's name (state-dict prefix), or null for the input.</param>
/// <param name="ActivationLayer">The recorded layer whose output is drawn as this layer's activations (an activation layer after it, or the module itself).</param>
/// <param name="Activation">The activation function applied after the module, or null.</param>
/// <param name="Weight">The weight's state-dict name, or null.</param>
/// <param name="Bias">The bias's state-dict name, or null.</param>
public sealed record DrawnLayer(LayerSpec Spec, string? Module, string? ActivationLayer, ActivationFunction? Activation, string? Weight, string? Bias);
