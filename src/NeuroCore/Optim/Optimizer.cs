namespace NeuroCore.Optim;

/// <summary>
/// Base class of optimizers, like <c>torch.optim.Optimizer</c>: updates parameters from their
/// <see cref="Tensor.Grad"/> in <see cref="Step"/>.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Creates an optimizer over <paramref name="parameters"/> (float32 leaves that require grad).</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0) throw new ArgumentException("The optimizer got an empty parameter list.", nameof(parameters));
        foreach (var p in Parameters)
            if (!p.IsLeaf || !p.RequiresGrad)
                throw new ArgumentException("Optimizers can only update leaf tensors that require grad (model parameters).", nameof(parameters));
        if (!(learningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), $"Invalid learning rate: {learningRate}.");
        LearningRate = learningRate;
    }

    /// <summary>The parameters this optimizer updates.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The current learning rate (schedulers change it between steps).</summary>
    public float LearningRate { get; set; }

    /// <summary>The number of steps taken so far.</summary>
    public int StepCount { get; protected set; }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public abstract void Step();

    /// <summary>Clears the gradients of all parameters (sets them to null), like <c>zero_grad(set_to_none=True)</c>.</summary>
    public virtual void ZeroGrad()
    {
        foreach (var p in Parameters) p.Grad = null;
    }
}
