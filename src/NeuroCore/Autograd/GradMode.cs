namespace NeuroCore.Autograd;

/// <summary>
/// Controls whether operations are recorded for backpropagation on the current thread.
/// </summary>
public static class GradMode
{
    [ThreadStatic] private static int _disabledDepth;

    /// <summary>True when operations on tensors that require grad are being recorded.</summary>
    public static bool IsEnabled => _disabledDepth == 0;

    /// <summary>
    /// Disables recording until the returned scope is disposed, like <c>torch.no_grad()</c>:
    /// <code>using (GradMode.NoGrad()) { var prediction = model.Forward(x); }</code>
    /// </summary>
    public static NoGradScope NoGrad()
    {
        _disabledDepth++;
        return new NoGradScope(true);
    }

    /// <summary>True when an operation on <paramref name="a"/> must be recorded.</summary>
    internal static bool ShouldRecord(Tensor a) => _disabledDepth == 0 && a.RequiresGrad;

    /// <summary>True when an operation on <paramref name="a"/> and <paramref name="b"/> must be recorded.</summary>
    internal static bool ShouldRecord(Tensor a, Tensor b) => _disabledDepth == 0 && (a.RequiresGrad || b.RequiresGrad);

    /// <summary>True when an operation on any of <paramref name="inputs"/> must be recorded.</summary>
    internal static bool ShouldRecord(params ReadOnlySpan<Tensor?> inputs)
    {
        if (_disabledDepth != 0) return false;
        foreach (var t in inputs)
            if (t is not null && t.RequiresGrad) return true;
        return false;
    }

    /// <summary>
    /// Attaches a graph node to <paramref name="result"/> when recording is enabled and any input
    /// requires grad; returns <paramref name="result"/> either way.
    /// </summary>
    internal static Tensor Record(Tensor result, string op, Tensor[] inputs, BackwardFunction backward) =>
        Record(result, op, inputs, null, backward);

    /// <summary>
    /// As <see cref="Record(Tensor, string, Tensor[], BackwardFunction)"/>; <paramref name="onRelease"/> runs
    /// when a backward pass frees the node, for buffers only its backward function uses (returned to
    /// <see cref="TensorMemory"/>). It never runs if the node is not recorded or never freed.
    /// </summary>
    internal static Tensor Record(Tensor result, string op, Tensor[] inputs, Action? onRelease, BackwardFunction backward)
    {
        if (_disabledDepth != 0) return result;
        foreach (var t in inputs)
        {
            if (t.RequiresGrad)
            {
                result.SetGradFn(new GradNode(op, inputs, backward, onRelease));
                return result;
            }
        }
        return result;
    }

    internal static void Exit() => _disabledDepth--;

    /// <summary>The scope returned by <see cref="NoGrad"/>; dispose it (with <c>using</c>) to re-enable recording.</summary>
    public readonly struct NoGradScope : IDisposable
    {
        private readonly bool _active;
        internal NoGradScope(bool active) => _active = active;

        /// <summary>Restores recording as it was before the scope began.</summary>
        public void Dispose()
        {
            if (_active) Exit();
        }
    }
}
