namespace NeuroCore.Autograd;

/// <summary>
/// Computes the gradients of an operation's inputs from the gradient of its output. Entry i is
/// d(loss)/d(input i), or null where input i needs no gradient. An entry may have the
/// broadcast output shape: the engine sums it back to the input's shape (<see cref="Engine"/>),
/// so ops never undo broadcasting themselves.
/// </summary>
internal delegate Tensor?[] BackwardFunction(Tensor gradOutput);

/// <summary>One recorded operation in the autograd graph: its inputs and how to differentiate it.</summary>
internal sealed class GradNode
{
    private BackwardFunction? _backward;
    private Action? _onRelease;

    public GradNode(string op, Tensor[] inputs, BackwardFunction backward, Action? onRelease = null)
    {
        Op = op;
        Inputs = inputs;
        _backward = backward;
        _onRelease = onRelease;
    }

    /// <summary>The operation's name, as shown in errors and <see cref="Tensor.GradFnName"/>.</summary>
    public string Op { get; }

    /// <summary>The operation's tensor inputs, in the order its backward function answers.</summary>
    public Tensor[] Inputs { get; }

    /// <summary>True once a backward pass without <c>retainGraph</c> has freed this node's saved tensors.</summary>
    public bool Released => _backward is null;

    public Tensor?[] Apply(Tensor gradOutput)
    {
        var backward = _backward ?? throw new InvalidOperationException(
            $"Trying to backward through the graph a second time (at '{Op}'): its saved values were freed by the first Backward(). " +
            "Call Backward(retainGraph: true) the first time if you need to backward twice.");
        return backward(gradOutput);
    }

    /// <summary>Drops the closure (and with it the tensors it saved) so their memory can be reclaimed.</summary>
    public void Release()
    {
        _backward = null;
        var onRelease = _onRelease;
        _onRelease = null;
        onRelease?.Invoke();
    }
}
