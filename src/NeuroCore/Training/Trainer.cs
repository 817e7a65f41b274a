namespace NeuroCore.Training;

/// <summary>A training loop helper (to be filled in).</summary>
public sealed class Trainer
{
}
