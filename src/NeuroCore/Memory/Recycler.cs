using NeuroCore.Layout;

namespace NeuroCore.Memory;

/// <summary>
/// The one owner of the rule "which tensor memory may be reused, and when". <see cref="TensorMemory"/> is
/// only the pool; everything that decides to give an array back to it, or to write a gradient into an
/// existing array, is here or in the two helpers this class names, and the rest of the library only
/// reports events to it through these hooks:
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>hook</term><description>who calls it, and what the owner does</description></listheader>
/// <item><term><see cref="ActivationHandOff.OutputProduced"/></term><description><see cref="NN.Sequential"/> after each
/// layer (or fused pair): an activation passed privately between two built-in, unobserved layers is marked as owned by
/// its graph, or — without a graph — returned once the next layer has read it.</description></item>
/// <item><term><see cref="BeginBackward"/> and the <see cref="BackwardMemory"/> hooks (gradient pending, consumed,
/// discarded; graph node released; pass finished)</term><description>the autograd engine while it walks a graph:
/// gradients the pass created go back once nothing pending holds them, marked activations once the pass has freed
/// every node that saved them.</description></item>
/// <item><term><see cref="LeafGradientBuffer"/></term><description>backward functions (linear, conv2d) that add a
/// weight gradient straight into the leaf's buffer instead of returning a temporary.</description></item>
/// <item><term><see cref="GradientHandedOut"/>, <see cref="GradientDropped"/>, <see cref="NewLeafGradient"/>,
/// <see cref="SetEngineGradient"/></term><description>a leaf's gradient: handed to user code (never reused from then
/// on), dropped by <c>ZeroGrad(setToNone: true)</c> (its array kept for the next gradient when nobody outside saw
/// it), and the engine's new gradients.</description></item>
/// </list>
/// <para>
/// The per-tensor facts these rules need (<see cref="Tensor.GraphOwned"/>, <see cref="Tensor.GradHandedOut"/>,
/// <see cref="Tensor.SpareGrad"/>) only this folder reads and writes. Guarantees (tested in <c>Memory/TensorMemoryTests</c>): a user-reachable array is never reused,
/// results are bit-identical with the pool on or off and for any thread count, and nothing needs disposing.
/// </para>
/// </remarks>
internal static class Recycler
{
    // The memory bookkeeping of the backward pass running on this thread, or null outside one.
    [ThreadStatic] private static BackwardMemory? t_pass;

    /// <summary>Called by <see cref="TensorMemory.Rent"/> for every array it hands out: arrays rented while a
    /// backward pass runs belong to that pass.</summary>
    internal static void Rented(float[] array) => t_pass?.Rented(array);

    /// <summary>Called by <see cref="TensorMemory.Return"/>: an array the pass returned is no longer its own.</summary>
    internal static void Returned(float[] array) => t_pass?.Forget(array);

    /// <summary>
    /// Starts the memory bookkeeping of a backward pass on this thread (hook: <i>backward started</i>).
    /// Dispose the result when the pass ends, also on failure; a nested pass gets its own bookkeeping.
    /// </summary>
    internal static BackwardScope BeginBackward(BackwardMemory memory)
    {
        var outer = t_pass;
        t_pass = memory;
        return new BackwardScope(outer, memory);
    }

    /// <summary>Ends a backward pass's bookkeeping and restores the outer pass, if any.</summary>
    internal readonly struct BackwardScope(BackwardMemory? outer, BackwardMemory memory) : IDisposable
    {
        public void Dispose()
        {
            t_pass = outer;
            memory.Clear();
        }
    }

    /// <summary>
    /// For a backward function running inside a backward pass: the gradient buffer of <paramref name="input"/> when
    /// it is a leaf that requires grad — its existing gradient if that is a contiguous float tensor of its own shape
    /// (after <c>ZeroGrad(setToNone: false)</c> or an earlier backward) sharing no storage with
    /// <paramref name="operandA"/> or <paramref name="operandB"/> (the tensors the backward reads), or a new zero
    /// gradient when it has none. The backward then adds its contribution into the buffer in place and returns
    /// null for that input: the same sum the engine would form, without a temporary of the parameter's size and
    /// without the copy the engine makes of a gradient it does not own.
    /// </summary>
    internal static bool LeafGradientBuffer(Tensor input, Tensor operandA, Tensor operandB, out Tensor buffer)
    {
        buffer = null!;
        if (t_pass is null || !input.IsLeaf || !input.RequiresGrad || input.DType != DType.Float32) return false;
        if (input.GradInternal is not { } g)
        {
            // The leaf would get a private copy of its first gradient anyway; make it up front as zeros
            // (it is new, so nothing else can reference it).
            buffer = NewLeafGradient(input);
            SetEngineGradient(input, buffer);
            return true;
        }
        if (g.DType != DType.Float32 || !g.IsContiguous || !ShapeUtil.SameShape(g.ShapeRef, input.ShapeRef)) return false;
        if (ReferenceEquals(g.Storage, operandA.Storage) || ReferenceEquals(g.Storage, operandB.Storage)) return false;
        buffer = g;
        return true;
    }

    /// <summary>
    /// Hook <i>gradient handed out</i>: <paramref name="leaf"/>'s gradient reached code outside NeuroCore's engine
    /// and optimizers (the public <see cref="Tensor.Grad"/>). That code may keep it, so its array is never reused.
    /// </summary>
    internal static void GradientHandedOut(Tensor leaf) => leaf.GradHandedOut = true;

    /// <summary>Gives <paramref name="leaf"/> a gradient the engine created: nobody outside has seen it yet.</summary>
    internal static void SetEngineGradient(Tensor leaf, Tensor grad)
    {
        leaf.GradInternal = grad;
        leaf.GradHandedOut = false;
    }

    /// <summary>
    /// Hook <i>gradient dropped</i> (<c>ZeroGrad(setToNone: true)</c>): the leaf's gradient becomes null. If nothing
    /// outside ever saw it, its array is kept for the next gradient (<see cref="NewLeafGradient"/>): the parameter
    /// still gets a new gradient tensor then, as in PyTorch, only without a new array of the parameter's size.
    /// </summary>
    internal static void GradientDropped(Tensor leaf)
    {
        // A gradient nobody outside saw was made by NewLeafGradient: it owns its whole, dense array.
        if (leaf.GradInternal is { OwnsStorage: true } g && !leaf.GradHandedOut) leaf.SpareGrad = g.Storage;
        leaf.GradInternal = null;
    }

    /// <summary>
    /// A new gradient tensor of <paramref name="leaf"/>'s shape, on its spare array when it has one; zeroed unless
    /// <paramref name="clear"/> is false (the caller then writes every element).
    /// </summary>
    internal static Tensor NewLeafGradient(Tensor leaf, bool clear = true)
    {
        var data = leaf.SpareGrad;
        leaf.SpareGrad = null;
        int numel = leaf.Numel;
        if (data is null || data.Length != numel) data = new float[numel];
        else if (clear) Array.Clear(data);
        return Tensor.Wrap(data, (int[])leaf.ShapeRef.Clone());
    }
}
