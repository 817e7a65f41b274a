using NeuroCore.Layout;

namespace NeuroCore.Optim;

/// <summary>
/// Base class of optimizers, like <c>torch.optim.Optimizer</c>: updates parameters from their
/// <see cref="Tensor.Grad"/> in <see cref="Step"/>.
/// </summary>
/// <remarks>
/// Subclasses update each parameter's storage in place (so views and the model see the new values) and
/// allocate their per-parameter state on the first step only; later steps do not allocate.
/// </remarks>
public abstract class Optimizer
{
    private float[] _scratch = [];

    /// <summary>Creates an optimizer over <paramref name="parameters"/> (float32 leaves that require grad).</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0) throw new ArgumentException("The optimizer got an empty parameter list.", nameof(parameters));
        foreach (var p in Parameters)
            if (!p.IsLeaf || !p.RequiresGrad)
                throw new ArgumentException("Optimizers can only update leaf tensors that require grad (model parameters).", nameof(parameters));
        if (Parameters.Distinct(ReferenceEqualityComparer.Instance).Count() != Parameters.Count)
            throw new ArgumentException("The optimizer got the same parameter more than once.", nameof(parameters));
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

    /// <summary>
    /// Clears the gradients of all parameters, like <c>zero_grad(set_to_none)</c>.
    /// </summary>
    /// <param name="setToNone">
    /// True (the default, as in PyTorch): set each <see cref="Tensor.Grad"/> to null, so the next backward
    /// creates new gradient tensors and gradients you kept from earlier steps stay unchanged. (A gradient
    /// that no code outside NeuroCore ever read lends its array to the next one, so a training loop that
    /// does not look at <c>Grad</c> allocates no gradient memory either way.)
    /// False: fill the existing gradient tensors with zeros and keep them, so the next backward adds into
    /// the same buffers, even when you read them. A gradient tensor you kept a
    /// reference to is then overwritten by later steps (copy it with <c>Clone()</c> to keep it), and a
    /// parameter that gets no gradient in a step keeps a zero gradient rather than null, so optimizers
    /// with momentum or weight decay still update it — both exactly as <c>set_to_none=False</c> in PyTorch.
    /// </param>
    public virtual void ZeroGrad(bool setToNone = true)
    {
        // Indexed: foreach over an IReadOnlyList allocates an enumerator on every call.
        for (int i = 0; i < Parameters.Count; i++) Tensor.ZeroGrad(Parameters[i], setToNone);
    }

    /// <summary>Throws a clear error for a hyper-parameter outside its valid range.</summary>
    protected static void Check(bool valid, string name, object value, string rule, string optimizer)
    {
        if (!valid) throw new ArgumentOutOfRangeException(name, $"{optimizer}: invalid {name} {value}; it must be {rule}.");
    }

    /// <summary>
    /// The parameter's values and its gradient as spans (the parameter must be contiguous, the gradient
    /// must have the parameter's shape), or false when the parameter has no gradient this step.
    /// </summary>
    protected static bool TryGetValues(Tensor parameter, out Span<float> values, out ReadOnlySpan<float> grad)
    {
        var g = parameter.GradInternal; // not a user read: keeps the gradient's array reusable
        if (g is null)
        {
            values = default;
            grad = default;
            return false;
        }
        if (!ShapeUtil.SameShape(g.ShapeRef, parameter.ShapeRef))
            throw new InvalidOperationException(
                $"Optimizer: a gradient of shape {ShapeUtil.Format(g.ShapeRef)} was set on a parameter of shape {ShapeUtil.Format(parameter.ShapeRef)}.");
        if (!parameter.IsContiguous)
            throw new InvalidOperationException("Optimizer: parameters must be contiguous tensors (views cannot be updated in place).");
        g.RequireFloat("Optimizer");
        values = parameter.Span;
        // A non-contiguous gradient (rare: set by hand) is copied; engine gradients are contiguous.
        grad = g.IsContiguous ? g.Span : g.Contiguous().Span;
        return true;
    }

    /// <summary>A scratch buffer of at least the largest parameter's size, allocated once and reused by every step.</summary>
    protected Span<float> Scratch(int length)
    {
        if (_scratch.Length < length)
            _scratch = new float[Parameters.Max(p => p.Numel)];
        return _scratch.AsSpan(0, length);
    }

    /// <summary>Per-parameter state buffers (one float array per parameter), allocated on first use.</summary>
    protected static float[] StateFor(float[]?[] state, int index, int length) => state[index] ??= new float[length];
}
