using NeuroCore.Layout;

namespace NeuroCore.Autograd;

/// <summary>
/// Reverse-mode differentiation over the recorded graph: orders the nodes topologically, calls each
/// node's backward function once with the summed gradient of its output, reduces broadcast gradients
/// to their input's shape (the one place broadcasting is undone), and accumulates into leaves' <see cref="Tensor.Grad"/>.
/// </summary>
internal static class Engine
{
    // > 0 while Run walks a graph on this thread: backward functions called from it may add a leaf's
    // contribution straight into the leaf's existing gradient (TryGetLeafGradBuffer).
    [ThreadStatic] private static int t_running;

    public static void Run(Tensor root, Tensor rootGrad, bool retainGraph)
    {
        t_running++;
        try
        {
            RunCore(root, rootGrad, retainGraph);
        }
        finally
        {
            t_running--;
        }
    }

    /// <summary>
    /// For a backward function running inside <see cref="Run"/>: the gradient buffer of
    /// <paramref name="input"/> when it is a leaf that requires grad — its existing gradient if that is a
    /// contiguous float tensor of its own shape (after <c>ZeroGrad(setToNone: false)</c> or an earlier
    /// backward) sharing no storage with <paramref name="operandA"/> or <paramref name="operandB"/> (the
    /// tensors the backward reads), or a new zero gradient when it has none. The backward then adds its
    /// contribution into the buffer in place and returns null for that input: the same sum the engine would
    /// form, without a temporary of the parameter's size and without the copy the engine makes of a
    /// gradient it does not own.
    /// </summary>
    public static bool TryGetLeafGradBuffer(Tensor input, Tensor operandA, Tensor operandB, out Tensor buffer)
    {
        buffer = null!;
        if (t_running == 0 || !input.IsLeaf || !input.RequiresGrad || input.DType != DType.Float32) return false;
        if (input.GradInternal is not { } g)
        {
            // The leaf would get a private copy of its first gradient anyway; make it up front as zeros
            // (it is new, so nothing else can reference it).
            buffer = input.NewGradBuffer();
            input.SetEngineGrad(buffer);
            return true;
        }
        if (g.DType != DType.Float32 || !g.IsContiguous || !ShapeUtil.SameShape(g.ShapeRef, input.ShapeRef)) return false;
        if (ReferenceEquals(g.Storage, operandA.Storage) || ReferenceEquals(g.Storage, operandB.Storage)) return false;
        buffer = g;
        return true;
    }

    private static void RunCore(Tensor root, Tensor rootGrad, bool retainGraph)
    {
        // One reusable state per thread; a nested backward (from inside a backward function) gets a fresh one.
        var state = t_state is { InUse: false } cached ? cached : new RunState();
        if (t_state is null) t_state = state;
        state.InUse = true;
        var outerArena = TensorMemory.t_backwardArena;
        TensorMemory.t_backwardArena = state.Arena;
        try
        {
            Walk(state, root, rootGrad, retainGraph);
            if (!retainGraph) RecycleForwardActivations(state);
        }
        finally
        {
            TensorMemory.t_backwardArena = outerArena;
            state.Clear();
        }
    }

    private static void Walk(RunState state, Tensor root, Tensor rootGrad, bool retainGraph)
    {
        var order = TopologicalOrder(root, state);
        var grads = state.Grads;
        grads[root] = rootGrad;

        using var _ = GradMode.NoGrad(); // gradient arithmetic is not itself recorded
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            if (!grads.Remove(t, out var g)) continue; // does not influence the root
            if (t.GradFn is null)
            {
                AccumulateLeaf(t, g, state);
                state.Drop(g);
                state.RecycleDeadGradients();
                continue;
            }
            var node = t.GradFn;
            var inputGrads = node.Apply(g);
            if (inputGrads.Length != node.Inputs.Length)
                throw new InvalidOperationException($"Internal: backward of '{node.Op}' returned {inputGrads.Length} gradients for {node.Inputs.Length} inputs.");
            for (int k = 0; k < node.Inputs.Length; k++)
            {
                var input = node.Inputs[k];
                var ig = inputGrads[k];
                if (ig is null) continue;
                if (!input.RequiresGrad)
                {
                    state.Candidate(ig);
                    continue;
                }
                var reduced = ReduceToShape(ig, input.ShapeRef, node.Op);
                if (!ReferenceEquals(reduced, ig)) state.Candidate(ig);
                if (grads.TryGetValue(input, out var existing))
                {
                    var sum = existing + reduced;
                    state.Hold(sum);
                    state.Drop(existing);
                    state.Candidate(reduced);
                    grads[input] = sum;
                }
                else
                {
                    state.Hold(reduced);
                    grads[input] = reduced;
                }
            }
            state.Drop(g);
            if (!retainGraph)
            {
                node.Release();
                if (t.GraphOwned) state.ForwardRecyclable.Add(t);
            }
            state.RecycleDeadGradients();
        }
    }

    /// <summary>
    /// Returns the storage of <see cref="NN.Sequential"/>-marked activations that this pass processed: every
    /// node that saved them has run and been released, and nothing outside the graph can reach them.
    /// </summary>
    private static void RecycleForwardActivations(RunState state)
    {
        foreach (var t in state.ForwardRecyclable)
        {
            t.GraphOwned = false;
            var storage = t.Storage;
            if (state.Returned.Add(storage)) TensorMemory.Return(storage);
        }
    }

    private static void AccumulateLeaf(Tensor leaf, Tensor g, RunState state)
    {
        if (!leaf.RequiresGrad) return;
        var grad = leaf.GradInternal;
        if (grad is null)
        {
            // Own the memory: g may alias another tensor (add's backward passes its input through).
            grad = leaf.NewGradBuffer(clear: false);
            Kernels.ElementwiseKernels.Copy(g.Storage, g.StridesRef, g.Offset, g.ShapeRef, grad.Span);
            leaf.SetEngineGrad(grad);
        }
        else
        {
            grad.AccumulateInPlace(g);
        }
    }

    /// <summary>
    /// The bookkeeping of one backward pass. Gradients created by backward functions during the pass
    /// (their arrays are in <see cref="Arena"/>) are counted by storage while the pass holds them as pending
    /// gradients; once nothing holds a storage any more — its consumer has run, it was summed into another,
    /// or it was reduced to a smaller shape — it goes back to <see cref="TensorMemory"/>.
    /// Gradients the pass did not create (the root gradient, a backward function's view of a saved tensor)
    /// are never in the arena, so they are never recycled.
    /// </summary>
    private sealed class RunState
    {
        public bool InUse;
        public readonly List<Tensor> Order = [];
        public readonly HashSet<Tensor> Visited = new(ReferenceEqualityComparer.Instance);
        public readonly Stack<(Tensor t, int next)> Stack = new();
        public readonly Dictionary<Tensor, Tensor> Grads = new(ReferenceEqualityComparer.Instance);
        public readonly HashSet<float[]> Arena = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<float[], int> _holds = new(ReferenceEqualityComparer.Instance);
        private readonly List<float[]> _candidates = [];
        public readonly List<Tensor> ForwardRecyclable = [];
        public readonly HashSet<float[]> Returned = new(ReferenceEqualityComparer.Instance);

        private bool Owned(Tensor t, out float[] storage)
        {
            storage = null!;
            if (t.DType != DType.Float32) return false;
            storage = t.Storage;
            return Arena.Contains(storage);
        }

        /// <summary>One more pending gradient uses <paramref name="t"/>'s storage.</summary>
        public void Hold(Tensor t)
        {
            if (Owned(t, out var s)) System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_holds, s, out _)++;
        }

        /// <summary>A pending gradient on <paramref name="t"/>'s storage is gone (consumed or replaced).</summary>
        public void Drop(Tensor t)
        {
            if (!Owned(t, out var s) || !_holds.TryGetValue(s, out int n)) return;
            if (n > 1) _holds[s] = n - 1;
            else
            {
                _holds.Remove(s);
                _candidates.Add(s);
            }
        }

        /// <summary><paramref name="t"/> was produced but not kept; its storage may be free.</summary>
        public void Candidate(Tensor t)
        {
            if (Owned(t, out var s)) _candidates.Add(s);
        }

        /// <summary>Returns the candidates that no pending gradient holds any more.</summary>
        public void RecycleDeadGradients()
        {
            foreach (var s in _candidates)
            {
                if (_holds.ContainsKey(s) || !Arena.Contains(s)) continue; // still pending, or already returned
                TensorMemory.Return(s); // also leaves the arena
            }
            _candidates.Clear();
        }

        public void Clear()
        {
            Order.Clear();
            Visited.Clear();
            Stack.Clear();
            Grads.Clear();
            Arena.Clear();
            _holds.Clear();
            _candidates.Clear();
            ForwardRecyclable.Clear();
            Returned.Clear();
            InUse = false;
        }
    }

    [ThreadStatic] private static RunState? t_state;

    /// <summary>
    /// Sums <paramref name="grad"/> over the dimensions that broadcasting expanded so that it has
    /// <paramref name="shape"/>: extra leading dimensions, and dimensions where the input had size 1.
    /// </summary>
    public static Tensor ReduceToShape(Tensor grad, int[] shape, string op)
    {
        var gs = grad.ShapeRef;
        if (ShapeUtil.SameShape(gs, shape)) return grad;
        if (ShapeUtil.Numel(shape) == grad.Numel && gs.Length >= shape.Length)
        {
            // Only size-1 dimensions differ: a reshape suffices.
            bool onlyOnes = true;
            int lead = gs.Length - shape.Length;
            for (int i = 0; i < lead; i++) onlyOnes &= gs[i] == 1;
            if (onlyOnes) return grad.Reshape(shape);
        }
        int extra = gs.Length - shape.Length;
        if (extra < 0) throw new InvalidOperationException($"Internal: gradient of '{op}' has shape {ShapeUtil.Format(gs)}, smaller than its input {ShapeUtil.Format(shape)}.");
        var r = grad;
        for (int i = 0; i < extra; i++) r = r.Sum(0);
        for (int i = 0; i < shape.Length; i++)
            if (shape[i] == 1 && r.ShapeRef[i] != 1) r = r.Sum(i, keepDim: true);
        if (!ShapeUtil.SameShape(r.ShapeRef, shape))
            throw new InvalidOperationException($"Internal: gradient of '{op}' with shape {ShapeUtil.Format(gs)} does not reduce to input shape {ShapeUtil.Format(shape)}.");
        return r;
    }

    private static List<Tensor> TopologicalOrder(Tensor root, RunState state)
    {
        // Iterative DFS (deep graphs must not overflow the stack); post-order gives inputs before outputs.
        var order = state.Order;
        var visited = state.Visited;
        var stack = state.Stack;
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.GradFn?.Inputs;
            if (inputs is not null && next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child.RequiresGrad && visited.Add(child)) stack.Push((child, 0));
            }
            else
            {
                order.Add(t);
            }
        }
        return order;
    }
}
