using Onnx;

namespace NeuroCore.Onnx.Import;

/// <summary>
/// Recognizes an activation that exporters spell as a small element-wise subgraph (GELU: exact as
/// Div/Erf/Add/Mul/Mul, tanh-approximated as Mul/Add/Tanh chains): it collects the nodes from a value that
/// several nodes read up to the single value where they meet again, evaluates that subgraph on probe points,
/// and compares it with the known functions. Exporters order and associate the arithmetic differently; the
/// values, not the node order, decide.
/// </summary>
internal static class ElementwiseSubgraph
{
    private static readonly HashSet<string> ElementwiseOps = ["Mul", "Add", "Sub", "Div", "Erf", "Tanh", "Pow", "Sqrt"];

    /// <summary>
    /// Every closed element-wise region that starts at <paramref name="x"/> (its nodes in graph order and the single
    /// value where they meet), shortest first: x·(1 + erf(x/√2)) closes before its final ·0.5 does.
    /// </summary>
    public static IEnumerable<(List<NodeProto> Nodes, string Output)> Candidates(ImportGraph g, string x, string graphOutput, int maxNodes = 32)
    {
        var pending = new Dictionary<string, int> { [x] = g.ConsumersOf(x).Count };
        var region = new List<NodeProto>();
        // Nodes are topologically sorted: nothing before x's first reader can belong to the region.
        int first = g.ConsumersOf(x).Select(g.PositionOf).DefaultIfEmpty(g.Nodes.Count).Min();
        for (int index = first; index < g.Nodes.Count; index++)
        {
            var node = g.Nodes[index];
            bool readsRegion = node.Input.Any(i => pending.ContainsKey(i));
            if (!readsRegion) continue;
            if (!ElementwiseOps.Contains(node.OpType) || node.Output.Count != 1) yield break;
            foreach (var input in node.Input)
                if (!pending.ContainsKey(input) && !IsScalar(g, input, node)) yield break;
            foreach (var input in node.Input.Distinct())
                if (pending.ContainsKey(input)) pending[input]--;
            var o = node.Output[0];
            pending[o] = g.ConsumersOf(o).Count + (o == graphOutput ? 1 : 0);
            region.Add(node);
            if (region.Count > maxNodes) yield break;
            var live = pending.Where(p => p.Value > 0).Select(p => p.Key).ToList();
            if (live.Count == 1 && live[0] == o) yield return ([.. region], o);
            if (live.Count == 0) yield break;
        }
    }

    /// <summary>Evaluates the region at <paramref name="t"/> (the region's input), in double precision.</summary>
    public static double Evaluate(ImportGraph g, List<NodeProto> nodes, string x, double t)
    {
        var values = new Dictionary<string, double> { [x] = t };
        double V(string name, NodeProto n) => values.TryGetValue(name, out var v) ? v : g.Constant(name, n).ToArray()[0];
        foreach (var n in nodes)
        {
            double a = V(n.Input[0], n), b = n.Input.Count > 1 ? V(n.Input[1], n) : 0;
            values[n.Output[0]] = n.OpType switch
            {
                "Mul" => a * b,
                "Add" => a + b,
                "Sub" => a - b,
                "Div" => a / b,
                "Pow" => Math.Pow(a, b),
                "Sqrt" => Math.Sqrt(a),
                "Erf" => Erf(a),
                "Tanh" => Math.Tanh(a),
                _ => double.NaN,
            };
        }
        return values[nodes[^1].Output[0]];
    }

    /// <summary>True when the region equals <paramref name="f"/> at 41 points in [−5, 5] (to 2e-5, below GELU's two forms' 4.7e-4 gap).</summary>
    public static bool Matches(ImportGraph g, List<NodeProto> nodes, string x, Func<double, double> f)
    {
        for (int i = 0; i <= 40; i++)
        {
            double t = -5 + i * 0.25;
            double got = Evaluate(g, nodes, x, t), want = f(t);
            if (!(Math.Abs(got - want) <= 2e-5 * Math.Max(1, Math.Abs(want)))) return false;
        }
        return true;
    }

    public static double GeluExact(double t) => 0.5 * t * (1 + Erf(t / Math.Sqrt(2)));

    public static double GeluTanh(double t) => 0.5 * t * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (t + 0.044715 * t * t * t)));

    private static bool IsScalar(ImportGraph g, string name, NodeProto node) =>
        g.IsConstant(name) && g.Constant(name, node) is { Numel: 1, DType: DType.Float32 };

    /// <summary>erf to about 1e-15 (series below 3, continued fraction above), enough to tell GELU's forms apart.</summary>
    internal static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double ax = Math.Abs(x);
        if (ax > 6) return Math.Sign(x);
        if (ax < 3)
        {
            // erf(x) = 2/√π · Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
            double sum = 0, term = ax;
            for (int n = 0; n < 100; n++)
            {
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
                term *= -ax * ax / (n + 1);
            }
            return Math.Sign(x) * 2 / Math.Sqrt(Math.PI) * sum;
        }
        // erfc(x) = exp(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))) (Lentz-free backward evaluation)
        double f = ax;
        for (int k = 60; k >= 1; k--) f = ax + k / 2.0 / f;
        double erfc = Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / f;
        return Math.Sign(x) * (1 - erfc);
    }
}
