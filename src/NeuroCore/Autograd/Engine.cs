using NeuroCore.Layout;
using NeuroCore.Memory;

namespace NeuroCore.Autograd;

/// <summary>
/// Reverse-mode differentiation over the recorded graph: orders the nodes topologically, calls each
/// node's backward function once with the summed gradient of its output, reduces broadcast gradients
/// to their input's shape (the one place broadcasting is undone), and accumulates into leaves' <see cref="Tensor.Grad"/>.
/// </summary>
internal static class Engine
{
    public static void Run(Tensor root, Tensor rootGrad, bool retainGraph)
    {
        // One reusable state per thread; a nested backward (from inside a backward function) gets a fresh one.
        var state = t_state is { InUse: false } cached ? cached : new RunState();
        if (t_state is null) t_state = state;
        state.InUse = true;
        try
        {
            using (Recycler.BeginBackward(state.Memory))
            {
                Walk(state, root, rootGrad, retainGraph);
                if (!retainGraph) state.Memory.PassFinished();
            }
        }
        finally
        {
            state.Clear();
        }
    }

    private static void Walk(RunState state, Tensor root, Tensor rootGrad, bool retainGraph)
    {
        var order = TopologicalOrder(root, state);
        var grads = state.Grads;
        var memory = state.Memory;
        grads[root] = rootGrad;

        using var _ = GradMode.NoGrad(); // gradient arithmetic is not itself recorded
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            if (!grads.Remove(t, out var g)) continue; // does not influence the root
            if (t.GradFn is null)
            {
                AccumulateLeaf(t, g);
                memory.GradientConsumed(g);
                memory.NodeFinished();
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
                    memory.GradientDiscarded(ig);
                    continue;
                }
                var reduced = ReduceToShape(ig, input.ShapeRef, node.Op);
                if (!ReferenceEquals(reduced, ig)) memory.GradientDiscarded(ig);
                if (grads.TryGetValue(input, out var existing))
                {
                    var sum = existing + reduced;
                    memory.GradientPending(sum);
                    memory.GradientConsumed(existing);
                    memory.GradientDiscarded(reduced);
                    grads[input] = sum;
                }
                else
                {
                    memory.GradientPending(reduced);
                    grads[input] = reduced;
                }
            }
            memory.GradientConsumed(g);
            if (!retainGraph)
            {
                node.Release();
                memory.GraphNodeReleased(t);
            }
            memory.NodeFinished();
        }
    }

    private static void AccumulateLeaf(Tensor leaf, Tensor g)
    {
        if (!leaf.RequiresGrad) return;
        var grad = leaf.GradInternal;
        if (grad is null)
        {
            // Own the memory: g may alias another tensor (add's backward passes its input through).
            grad = Recycler.NewLeafGradient(leaf, clear: false);
            Kernels.ElementwiseKernels.Copy(g.Storage, g.StridesRef, g.Offset, g.ShapeRef, grad.Span);
            Recycler.SetEngineGradient(leaf, grad);
        }
        else
        {
            grad.AccumulateInPlace(g);
        }
    }

    /// <summary>
    /// The reusable state of one backward pass: the topological order and the pending gradients, plus the
    /// memory owner's bookkeeping of the pass (<see cref="BackwardMemory"/>), which the walk reports to.
    /// </summary>
    private sealed class RunState
    {
        public bool InUse;
        public readonly List<Tensor> Order = [];
        public readonly HashSet<Tensor> Visited = new(ReferenceEqualityComparer.Instance);
        public readonly Stack<(Tensor t, int next)> Stack = new();
        public readonly Dictionary<Tensor, Tensor> Grads = new(ReferenceEqualityComparer.Instance);
        public readonly BackwardMemory Memory = new();

        public void Clear()
        {
            Order.Clear();
            Visited.Clear();
            Stack.Clear();
            Grads.Clear();
            Memory.Clear();
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
