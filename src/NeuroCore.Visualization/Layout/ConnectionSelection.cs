using System.Numerics;
using NeuroCore.Visualization.Model;

namespace NeuroCore.Visualization.Layout;

/// <summary>
/// Level of detail for connections: which connections of each weighted layer are drawn. A network
/// can have far more connections than a viewer can draw (784-256-10 has 203,264), so a budget
/// (default 50,000) is shared among the layers in proportion to their connection counts, and each
/// layer keeps its strongest |weight| connections in one reference snapshot (usually the last). The
/// same selection is then used for every frame of a timeline, so connections do not flicker.
/// </summary>
/// <remarks>
/// What a connection is: for a dense layer, one weight <c>W[o, i]</c> from neuron i of the previous
/// layer to neuron o (id <c>o·in + i</c>); for a conv layer, one kernel <c>W[o, i, :, :]</c> from
/// plane i of the previous layer to feature map o (id <c>o·inC + i</c>), whose value is the kernel's
/// mean weight.
/// </remarks>
public sealed class ConnectionSelection
{
    /// <summary>The default connection budget.</summary>
    public const int DefaultBudget = 50_000;

    private readonly LayerConnections?[] _layers;

    private ConnectionSelection(LayerConnections?[] layers, int budget)
    {
        _layers = layers;
        Budget = budget;
    }

    /// <summary>The budget the selection was made for.</summary>
    public int Budget { get; }

    /// <summary>Per layer (architecture order): the selection, or null for layers without weights.</summary>
    public IReadOnlyList<LayerConnections?> Layers => _layers;

    /// <summary>Total connections shown over all layers.</summary>
    public long ShownCount => _layers.Sum(l => (long)(l?.Shown.Length ?? 0));

    /// <summary>Total connections of the network.</summary>
    public long TotalCount => _layers.Sum(l => l?.Total ?? 0);

    /// <summary>Number of connections of weighted layer <paramref name="layer"/> (0 for others).</summary>
    public static long CountConnections(NetworkArchitecture architecture, int layer)
    {
        var spec = architecture.Layers[layer];
        if (!spec.HasWeights) return 0;
        var prev = architecture.Layers[layer - 1];
        return spec.Kind == LayerKind.Dense
            ? (long)spec.NeuronCount * prev.NeuronCount
            : (long)spec.Shape[0] * PlanesOf(prev);
    }

    /// <summary>
    /// Selects the connections to draw using the weights of <paramref name="reference"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The budget is negative, or the reference snapshot lacks or mis-shapes a layer's weights.</exception>
    public static ConnectionSelection Select(NetworkArchitecture architecture, NetworkSnapshot reference, int budget = DefaultBudget)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(reference);
        if (budget < 0) throw new ArgumentException($"The connection budget must be 0 or more, got {budget}.", nameof(budget));
        var n = architecture.Layers.Count;
        var totals = new long[n];
        for (var i = 0; i < n; i++) totals[i] = CountConnections(architecture, i);
        var shares = ShareBudget(totals, budget);
        var layers = new LayerConnections?[n];
        for (var i = 0; i < n; i++)
        {
            if (!architecture.Layers[i].HasWeights) continue;
            var w = CheckWeights(architecture, reference, i);
            var magnitudes = ConnectionValues(architecture, i, w);
            // NaN weights (a diverged run) rank as zero rather than confusing the selection.
            for (var k = 0; k < magnitudes.Length; k++) magnitudes[k] = float.IsNaN(magnitudes[k]) ? 0f : MathF.Abs(magnitudes[k]);
            layers[i] = new LayerConnections(i, totals[i], TopK(magnitudes, shares[i]));
        }
        return new ConnectionSelection(layers, budget);
    }

    /// <summary>
    /// Splits <paramref name="budget"/> over layers in proportion to <paramref name="totals"/>
    /// (largest-remainder rounding, so the shares add up to min(budget, Σ totals)) and never gives a
    /// layer more than it has.
    /// </summary>
    public static int[] ShareBudget(IReadOnlyList<long> totals, int budget)
    {
        var shares = new int[totals.Count];
        long sum = 0;
        foreach (var t in totals) sum += t;
        if (sum <= budget)
        {
            for (var i = 0; i < shares.Length; i++) shares[i] = (int)totals[i];
            return shares;
        }
        var remainders = new (double rem, int idx)[totals.Count];
        long given = 0;
        for (var i = 0; i < shares.Length; i++)
        {
            var exact = (double)budget * totals[i] / sum;
            shares[i] = (int)Math.Floor(exact);
            given += shares[i];
            remainders[i] = (exact - shares[i], i);
        }
        // Hand out what rounding down left over, largest remainder first (ties: lower layer index).
        Array.Sort(remainders, (a, b) => a.rem != b.rem ? b.rem.CompareTo(a.rem) : a.idx.CompareTo(b.idx));
        for (var j = 0; given < budget; j = (j + 1) % remainders.Length)
        {
            var i = remainders[j].idx;
            if (shares[i] < totals[i]) { shares[i]++; given++; }
        }
        return shares;
    }

    /// <summary>
    /// The value of every connection of weighted layer <paramref name="layer"/> in id order (see the
    /// class remarks): the weight itself for dense layers, the kernel mean for conv layers.
    /// </summary>
    public static float[] ConnectionValues(NetworkArchitecture architecture, int layer, LayerWeights weights)
    {
        var spec = architecture.Layers[layer];
        if (spec.Kind == LayerKind.Dense) return (float[])weights.Values.Clone();
        var outC = weights.Shape[0];
        var inC = weights.Shape[1];
        var k = weights.Shape[2] * weights.Shape[3];
        var values = new float[outC * inC];
        for (var c = 0; c < values.Length; c++)
            values[c] = System.Numerics.Tensors.TensorPrimitives.Sum(weights.Values.AsSpan(c * k, k)) / k;
        return values;
    }

    /// <summary>The value of connection <paramref name="id"/> (see <see cref="ConnectionValues"/>) without computing the others.</summary>
    public static float ConnectionValue(LayerSpec spec, LayerWeights weights, int id)
    {
        if (spec.Kind == LayerKind.Dense) return weights.Values[id];
        var k = weights.Shape[2] * weights.Shape[3];
        return System.Numerics.Tensors.TensorPrimitives.Sum(weights.Values.AsSpan(id * k, k)) / k;
    }

    /// <summary>The end points (centres of the two neurons or planes) of connection <paramref name="id"/> of a layer.</summary>
    public static (Vector3 From, Vector3 To) Endpoints(NetworkLayout layout, int layer, int id)
    {
        var spec = layout.Architecture.Layers[layer];
        var prev = layout.Layers[layer - 1];
        var cur = layout.Layers[layer];
        if (spec.Kind == LayerKind.Dense)
        {
            var inputs = prev.Spec.NeuronCount;
            return (prev.Positions[id % inputs], cur.Positions[id / inputs]);
        }
        var inC = PlanesOf(prev.Spec);
        return (PlaneCenterOf(prev, id % inC), cur.PlaneCenter(id / inC));
    }

    /// <summary>Checks that <paramref name="snapshot"/> has weights of the right shape for weighted layer <paramref name="layer"/>.</summary>
    /// <exception cref="ArgumentException">Missing weights or a shape that does not fit the architecture.</exception>
    public static LayerWeights CheckWeights(NetworkArchitecture architecture, NetworkSnapshot snapshot, int layer)
    {
        var spec = architecture.Layers[layer];
        var prev = architecture.Layers[layer - 1];
        var w = layer < snapshot.Weights.Count ? snapshot.Weights[layer] : null;
        if (w is null) throw new ArgumentException($"Snapshot at step {snapshot.Step} has no weights for layer '{spec.Name}'.");
        var expected = spec.Kind == LayerKind.Dense
            ? new[] { spec.NeuronCount, prev.NeuronCount }
            : new[] { spec.Shape[0], PlanesOf(prev), -1, -1 };
        var ok = w.Shape.Length == expected.Length && w.Values.Length == w.Shape.Aggregate(1, (a, b) => a * b);
        for (var d = 0; ok && d < expected.Length; d++) ok = expected[d] < 0 ? w.Shape[d] > 0 : w.Shape[d] == expected[d];
        if (!ok)
            throw new ArgumentException($"Layer '{spec.Name}' at step {snapshot.Step}: weights of shape [{string.Join(", ", w.Shape)}] ({w.Values.Length} values) do not fit; expected [{string.Join(", ", expected.Select(e => e < 0 ? "k" : e.ToString()))}].");
        return w;
    }

    internal static int PlanesOf(LayerSpec spec) => spec.Shape.Length == 3 ? spec.Shape[0] : 1;

    private static Vector3 PlaneCenterOf(LayerLayout layout, int plane) =>
        layout.PlaneCount == 1 ? layout.Center : layout.PlaneCenter(plane);

    /// <summary>Ids of the <paramref name="k"/> largest values, ascending; ties broken by lower id (deterministic).</summary>
    internal static int[] TopK(float[] magnitudes, int k)
    {
        var n = magnitudes.Length;
        if (k >= n) return Enumerable.Range(0, n).ToArray();
        if (k <= 0) return [];
        // Threshold = k-th largest, found in O(n) by quickselect on a copy; then take everything
        // above it and fill the rest with ties in id order.
        var copy = (float[])magnitudes.Clone();
        var threshold = QuickSelectDescending(copy, k - 1);
        var result = new int[k];
        var m = 0;
        for (var i = 0; i < n && m < k; i++) if (magnitudes[i] > threshold) result[m++] = i;
        for (var i = 0; i < n && m < k; i++) if (magnitudes[i] == threshold) result[m++] = i;
        Array.Sort(result);
        return result;
    }

    private static float QuickSelectDescending(float[] a, int k)
    {
        int lo = 0, hi = a.Length - 1;
        while (lo < hi)
        {
            var pivot = a[(int)(((long)lo + hi) / 2)];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] > pivot) i++;
                while (a[j] < pivot) j--;
                if (i <= j) { (a[i], a[j]) = (a[j], a[i]); i++; j--; }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return a[k];
        }
        return a[k];
    }
}

/// <summary>The connections of one weighted layer that are drawn.</summary>
/// <param name="Layer">Index of the layer in the architecture (connections come from layer − 1).</param>
/// <param name="Total">How many connections the layer has.</param>
/// <param name="Shown">Ids of the drawn connections, ascending (see <see cref="ConnectionSelection"/>).</param>
public sealed record LayerConnections(int Layer, long Total, int[] Shown)
{
    /// <summary>"12,000 of 200,704 connections", the honest caption used in names and extras.</summary>
    public string Caption => $"{Shown.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} of {Total.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} connections";
}
