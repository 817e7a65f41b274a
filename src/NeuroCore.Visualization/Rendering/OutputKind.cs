using NeuroCore.Autograd;
using NeuroCore.NN;

namespace NeuroCore.Visualization.Rendering;

/// <summary>What a network's last layer produces.</summary>
internal enum OutputKind
{
    /// <summary>Unnormalized scores (softmax or sigmoid gives probabilities).</summary>
    Logits,
    /// <summary>Probabilities already (a final Softmax, or a Sigmoid on one output).</summary>
    Probabilities,
    /// <summary>Log-probabilities (a final LogSoftmax).</summary>
    LogProbabilities,
}
