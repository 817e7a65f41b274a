namespace NeuroCore.NN;

/// <summary>
/// Stateless neural-network operations, like <c>torch.nn.functional</c>
/// (<c>using F = NeuroCore.NN.Functional;</c> reads as in PyTorch). Each operation is differentiable;
/// the files <c>Functional.*.cs</c> group them by family.
/// </summary>
public static partial class Functional
{
}
