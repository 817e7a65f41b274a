using System.Runtime.CompilerServices;
namespace NeuroCore.Embeddings;

/// <summary>
/// The space-partitioning tree of Barnes-Hut t-SNE over the embedded points: a quadtree in 2-D, an
/// octree in 3-D (a cell splits into 2^D equal children). A cell far enough from a point stands in for
/// all the points inside it, at its centre of mass, in the repulsive part of the gradient.
/// </summary>
/// <remarks>
/// Built top-down by partitioning a permutation of the points, so every cell owns a contiguous range of
/// <see cref="Order"/>; children of a cell are stored next to each other. Arrays, not node objects: a
/// 70,000-point tree is a few MB and is rebuilt every iteration. The coordinates are partitioned along
/// with the permutation (a copy in tree order), so the build reads memory sequentially rather than
/// jumping through the layout by point index, and each build starts from the previous one's order, in
/// which a slowly moving layout is already almost sorted.
/// </remarks>
internal sealed class BarnesHutTree
{
    // Cells this deep stop splitting (only reached by (near-)duplicate points); their points are then
    // summed one by one.
    private const int MaxDepth = 48;

    private readonly int _dims;
    private int _nodes;
    // One cell's data in one 32-byte record (two to a cache line): a traversal touches every field of a cell it
    // visits, and separate arrays per field cost a cache miss each. Float centres are ample for a summarized cell
    // (θ already approximates); a single point is always taken at its exact (double) coordinates.
    private struct Node
    {
        public float X, Y, Z;    // centre of mass
        public float Width2;     // squared side length of the cell
        public int Lo, Hi;       // range in Order (Hi − Lo points)
        public int FirstChild;   // −1 for a leaf; children are contiguous
        public int Children;
    }

    private Node[] _node = [];
    private readonly int[] _order;
    private readonly int[] _position; // inverse of _order
    private readonly int[] _scratch;
    private readonly double[] _pos, _posScratch; // coordinates in tree order, N × D
    private bool _built;

    public BarnesHutTree(int count, int dims)
    {
        if (dims is not (2 or 3)) throw new ArgumentOutOfRangeException(nameof(dims), dims, "Barnes-Hut t-SNE supports 2 or 3 dimensions.");
        _dims = dims;
        _order = new int[count];
        _position = new int[count];
        _scratch = new int[count];
        _pos = new double[count * dims];
        _posScratch = new double[count * dims];
        Grow(Math.Max(16, 2 * count));
    }

    /// <summary>The points in tree order (nearby points are nearby in this order).</summary>
    public ReadOnlySpan<int> Order => _order;

    /// <summary>The same array, for lambdas that cannot capture a span.</summary>
    public int[] OrderArray => _order;

    /// <summary>Cells in the current tree.</summary>
    public int NodeCount => _nodes;

    private void Grow(int capacity) => Array.Resize(ref _node, capacity);

    /// <summary>Rebuilds the tree over <paramref name="y"/> (N × D, row-major).</summary>
    public void Build(ReadOnlySpan<double> y)
    {
        int n = _order.Length, d = _dims;
        Span<double> min = stackalloc double[3], max = stackalloc double[3];
        for (int a = 0; a < d; a++) { min[a] = double.PositiveInfinity; max[a] = double.NegativeInfinity; }
        for (int i = 0; i < n; i++)
            for (int a = 0; a < d; a++)
            {
                double v = y[i * d + a];
                if (v < min[a]) min[a] = v;
                if (v > max[a]) max[a] = v;
            }
        double width = 0;
        Span<double> center = stackalloc double[3];
        for (int a = 0; a < d; a++)
        {
            width = Math.Max(width, max[a] - min[a]);
            center[a] = (min[a] + max[a]) / 2;
        }
        // A little margin so that points on the upper bound fall inside; a zero-size cloud still gets a cell.
        width = width * (1 + 1e-6) + 1e-12;
        if (!_built)
            for (int i = 0; i < n; i++) _order[i] = i;
        _built = true;
        for (int e = 0; e < n; e++)
            for (int a = 0; a < d; a++) _pos[e * d + a] = y[_order[e] * d + a];
        _nodes = 1;
        Make(0, 0, n, width);
        Split(0, center, width, 0);
        for (int i = 0; i < n; i++) _position[_order[i]] = i;
    }

    private void Make(int node, int lo, int hi, double width) =>
        _node[node] = new Node { Lo = lo, Hi = hi, Width2 = (float)(width * width), FirstChild = -1 };

    private void Split(int node, ReadOnlySpan<double> center, double width, int depth)
    {
        int d = _dims, lo = _node[node].Lo, hi = _node[node].Hi;
        var pos = _pos;
        // Centre of mass of the cell.
        double sx = 0, sy = 0, sz = 0;
        for (int e = lo; e < hi; e++)
        {
            int p = e * d;
            sx += pos[p]; sy += pos[p + 1];
            if (d == 3) sz += pos[p + 2];
        }
        _node[node].X = (float)(sx / (hi - lo));
        _node[node].Y = (float)(sy / (hi - lo));
        _node[node].Z = (float)(sz / (hi - lo));
        if (hi - lo <= 1 || depth >= MaxDepth) return;
        // Counting sort of the range by child cell (bit a set = above the centre along axis a).
        int cells = 1 << d;
        Span<int> counts = stackalloc int[8];
        counts.Clear();
        for (int e = lo; e < hi; e++) counts[Cell(e, center)]++;
        Span<int> starts = stackalloc int[9];
        starts[0] = lo;
        for (int c = 0; c < cells; c++) starts[c + 1] = starts[c] + counts[c];
        Span<int> fill = stackalloc int[8];
        starts[..cells].CopyTo(fill);
        for (int e = lo; e < hi; e++)
        {
            int to = fill[Cell(e, center)]++;
            _scratch[to] = _order[e];
            for (int a = 0; a < d; a++) _posScratch[to * d + a] = pos[e * d + a];
        }
        _scratch.AsSpan(lo, hi - lo).CopyTo(_order.AsSpan(lo));
        _posScratch.AsSpan(lo * d, (hi - lo) * d).CopyTo(pos.AsSpan(lo * d));
        int nonEmpty = 0;
        for (int c = 0; c < cells; c++) if (counts[c] > 0) nonEmpty++;
        if (_nodes + nonEmpty > _node.Length) Grow(Math.Max(2 * _node.Length, _nodes + nonEmpty));
        int first = _nodes;
        _node[node].FirstChild = first;
        _node[node].Children = nonEmpty;
        _nodes += nonEmpty;
        int child = first;
        double half = width / 2;
        Span<double> sub = stackalloc double[3];
        for (int c = 0; c < cells; c++)
        {
            if (counts[c] == 0) continue;
            Make(child, starts[c], starts[c + 1], half);
            for (int a = 0; a < d; a++) sub[a] = center[a] + ((c >> a & 1) == 1 ? half / 2 : -half / 2);
            Split(child, sub[..d], half, depth + 1);
            child++;
        }
    }

    // The child cell of the point at tree position e (bit a set = above the centre along axis a).
    private int Cell(int e, ReadOnlySpan<double> center)
    {
        int c = 0;
        for (int a = 0; a < _dims; a++) if (_pos[e * _dims + a] > center[a]) c |= 1 << a;
        return c;
    }

    /// <summary>
    /// The repulsive force on point <paramref name="i"/>, Σ_j q_ij² (y_i − y_j) with q_ij = 1/(1 + ‖y_i − y_j‖²),
    /// into <paramref name="force"/> (D values), and returns Σ_j q_ij; cells whose side over distance is
    /// below <paramref name="theta"/> count as one point of their mass. θ = 0 gives the exact sums.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code, which is ~10x slower on vector code
    public double Repulsion(ReadOnlySpan<double> y, int i, double theta, Span<double> force, Span<int> stack)
    {
        int d = _dims, pos = _position[i];
        double yi0 = y[i * d], yi1 = y[i * d + 1], yi2 = d == 3 ? y[i * d + 2] : 0;
        double f0 = 0, f1 = 0, f2 = 0, sumQ = 0, theta2 = theta * theta;
        var nodes = _node;
        var at = _pos;
        int top = 0;
        stack[top++] = 0;
        while (top > 0)
        {
            ref readonly Node cell = ref nodes[stack[--top]];
            int lo = cell.Lo, cnt = cell.Hi - lo;
            bool containsSelf = pos >= lo && pos < cell.Hi;
            if (containsSelf && cnt == 1) continue;
            int first = cell.FirstChild;
            if (first < 0 && cnt == 1)
            {
                // One point: at its exact coordinates (so θ = 0 reproduces the exact sums).
                double dx = yi0 - at[lo * d], dy = yi1 - at[lo * d + 1], dz = d == 3 ? yi2 - at[lo * d + 2] : 0;
                double q = 1 / (1 + dx * dx + dy * dy + dz * dz), q2 = q * q;
                sumQ += q;
                f0 += q2 * dx; f1 += q2 * dy; f2 += q2 * dz;
                continue;
            }
            if (!containsSelf)
            {
                double dx = yi0 - cell.X, dy = yi1 - cell.Y, dz = yi2 - cell.Z;
                double dist2 = dx * dx + dy * dy + dz * dz;
                if (cell.Width2 < theta2 * dist2)
                {
                    double q = 1 / (1 + dist2), mq = cnt * q, mq2 = mq * q;
                    sumQ += mq;
                    f0 += mq2 * dx; f1 += mq2 * dy; f2 += mq2 * dz;
                    continue;
                }
            }
            if (first < 0)
            {
                // A leaf of several (near-)duplicate points: each one by itself, except i.
                for (int e = lo; e < cell.Hi; e++)
                {
                    if (e == pos) continue;
                    double dx = yi0 - at[e * d], dy = yi1 - at[e * d + 1], dz = d == 3 ? yi2 - at[e * d + 2] : 0;
                    double q = 1 / (1 + dx * dx + dy * dy + dz * dz), q2 = q * q;
                    sumQ += q;
                    f0 += q2 * dx; f1 += q2 * dy; f2 += q2 * dz;
                }
                continue;
            }
            for (int c = cell.Children - 1; c >= 0; c--) stack[top++] = first + c;
        }
        force[0] = f0; force[1] = f1;
        if (d == 3) force[2] = f2;
        return sumQ;
    }

    /// <summary>Stack entries a traversal can need: (2^D − 1) per level plus one.</summary>
    public int StackSize => (MaxDepth + 2) * ((1 << _dims) - 1) + 2;
}
