using NeuroCore.Layout;

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
        var order = TopologicalOrder(root);
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance) { [root] = rootGrad };

        using var _ = GradMode.NoGrad(); // gradient arithmetic is not itself recorded
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            if (!grads.Remove(t, out var g)) continue; // does not influence the root
            if (t.GradFn is null)
            {
                AccumulateLeaf(t, g);
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
                if (ig is null || !input.RequiresGrad) continue;
                ig = ReduceToShape(ig, input.ShapeRef, node.Op);
                grads[input] = grads.TryGetValue(input, out var existing) ? existing + ig : ig;
            }
            if (!retainGraph) node.Release();
        }
    }

    private static void AccumulateLeaf(Tensor leaf, Tensor g)
    {
        if (!leaf.RequiresGrad) return;
        if (leaf.Grad is null)
        {
            // Own the memory: g may alias another tensor (add's backward passes its input through).
            leaf.Grad = g.Contiguous() is var c && ReferenceEquals(c, g) ? g.Clone() : c;
        }
        else
        {
            leaf.Grad.AccumulateInPlace(g);
        }
    }

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

    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        // Iterative DFS (deep graphs must not overflow the stack); post-order gives inputs before outputs.
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor t, int next)>();
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
