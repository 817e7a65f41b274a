using NeuroCore.NN;

namespace NeuroCore.Memory;

/// <summary>
/// The memory owner's view of one <see cref="Sequential"/> forward pass: which activations are handed privately
/// from one built-in layer to the next, so that their memory can go back to <see cref="TensorMemory"/>.
/// </summary>
/// <remarks>
/// An activation handed from one built-in layer to the next, with no forward hook on either
/// (<see cref="Module.IsGraphPrivate"/>), can be reached only by the layers that read it and by the autograd
/// graph, as long as later layers at most view it (Flatten) and the view stays inside the model and away from
/// hooks. It is never the model's input or output, nor a view of them. Its memory then goes back: after the
/// backward pass that frees the graph (it is marked <see cref="Tensor.GraphOwned"/>, and
/// <see cref="BackwardMemory.PassFinished"/> returns it), or — when no graph was recorded
/// (<see cref="Autograd.GradMode.NoGrad"/>, or nothing requires grad) — as soon as a layer has read it into a
/// new output.
/// </remarks>
internal struct ActivationHandOff(Tensor modelInput)
{
    // The latest activation handed over privately, while the layers after it only view its storage.
    private Tensor? _pending;

    /// <summary>
    /// Hook <i>forward output produced</i>: <paramref name="producer"/> (the last module of a layer or fused pair)
    /// returned <paramref name="output"/>, which goes on to <paramref name="consumer"/>, or leaves the model when that
    /// is null.
    /// </summary>
    public void OutputProduced(Tensor output, Module producer, Module? consumer)
    {
        // Every module of a fused pair is private, so the pair's last module answers for it.
        bool handOver = consumer is not null && producer.IsGraphPrivate && consumer.IsGraphPrivate;
        if (_pending is not null)
        {
            if (!ReferenceEquals(_pending.StorageObject, output.StorageObject))
            {
                // Read into new storage. Without a graph node that may have saved it, it is dead now;
                // with a graph, the backward pass returns it (GraphOwned).
                if (!_pending.GraphOwned && !output.RequiresGrad) TensorMemory.Return(_pending.Storage);
                _pending = null;
            }
            else if (!handOver)
            {
                _pending.GraphOwned = false; // a view of it leaves the model or meets a hook
                _pending = null;
            }
        }
        if (_pending is null && handOver && output.OwnsStorage && !ReferenceEquals(output.StorageObject, modelInput.StorageObject))
        {
            _pending = output;
            // Recorded: the backward pass that frees its graph returns it.
            output.GraphOwned = output.RequiresGrad && !output.IsLeaf;
        }
    }
}
