using System.Runtime.InteropServices;

namespace NeuroCore.Memory;

/// <summary>
/// The memory bookkeeping of one backward pass, driven by the engine through named hooks. Gradients created
/// by backward functions during the pass (their arrays are rented while the pass runs, see
/// <see cref="Recycler.Rented"/>) are counted by storage while the pass holds them as pending gradients; once
/// nothing holds a storage any more — its consumer has run, it was summed into another, or it was reduced to a
/// smaller shape — it goes back to <see cref="TensorMemory"/>. Gradients the pass did not create (the root
/// gradient, a backward function's view of a saved tensor) are never its own, so they are never recycled.
/// Activations marked by <see cref="ActivationHandOff"/> go back when the pass has released every node.
/// </summary>
/// <remarks>One instance per thread is reused from pass to pass (the engine keeps it); <see cref="Clear"/> resets it.</remarks>
internal sealed class BackwardMemory
{
    // Arrays rented while the pass runs and not yet returned: the only ones it may give back.
    private readonly HashSet<float[]> _own = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<float[], int> _holds = new(ReferenceEqualityComparer.Instance);
    private readonly List<float[]> _candidates = [];
    private readonly List<Tensor> _activations = [];
    private readonly HashSet<float[]> _returnedActivations = new(ReferenceEqualityComparer.Instance);

    internal void Rented(float[] array) => _own.Add(array);

    internal void Forget(float[] array) => _own.Remove(array);

    private bool Owned(Tensor t, out float[] storage)
    {
        storage = null!;
        if (t.DType != DType.Float32) return false;
        storage = t.Storage;
        return _own.Contains(storage);
    }

    /// <summary>Hook <i>gradient pending</i>: one more pending gradient uses <paramref name="t"/>'s storage.</summary>
    public void GradientPending(Tensor t)
    {
        if (Owned(t, out var s)) CollectionsMarshal.GetValueRefOrAddDefault(_holds, s, out _)++;
    }

    /// <summary>Hook <i>gradient consumed</i>: a pending gradient on <paramref name="t"/>'s storage is gone (its
    /// node ran, it reached a leaf, or it was summed into another).</summary>
    public void GradientConsumed(Tensor t)
    {
        if (!Owned(t, out var s) || !_holds.TryGetValue(s, out int n)) return;
        if (n > 1) _holds[s] = n - 1;
        else
        {
            _holds.Remove(s);
            _candidates.Add(s);
        }
    }

    /// <summary>Hook <i>gradient discarded</i>: <paramref name="t"/> was produced but not kept (reduced to a smaller
    /// shape, summed, or meant for an input that needs no gradient); its storage may be free.</summary>
    public void GradientDiscarded(Tensor t)
    {
        if (Owned(t, out var s)) _candidates.Add(s);
    }

    /// <summary>Hook <i>graph node released</i>: the node that produced <paramref name="output"/> has run and dropped
    /// what it saved. A marked activation's storage goes back once the whole pass is done.</summary>
    public void GraphNodeReleased(Tensor output)
    {
        if (output.GraphOwned) _activations.Add(output);
    }

    /// <summary>Hook <i>node finished</i>: returns the gradients that no pending gradient holds any more.</summary>
    public void NodeFinished()
    {
        foreach (var s in _candidates)
        {
            if (_holds.ContainsKey(s) || !_own.Contains(s)) continue; // still pending, or already returned
            TensorMemory.Return(s); // also leaves _own
        }
        _candidates.Clear();
    }

    /// <summary>
    /// Hook <i>pass finished</i> (without <c>retainGraph</c>): returns the storage of the marked activations this pass
    /// processed. Every node that saved them has run and been released, and nothing outside the graph can reach them.
    /// </summary>
    public void PassFinished()
    {
        foreach (var t in _activations)
        {
            t.GraphOwned = false;
            var storage = t.Storage;
            if (_returnedActivations.Add(storage)) TensorMemory.Return(storage);
        }
    }

    /// <summary>Forgets everything, ready for the next pass.</summary>
    public void Clear()
    {
        _own.Clear();
        _holds.Clear();
        _candidates.Clear();
        _activations.Clear();
        _returnedActivations.Clear();
    }
}
