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
/// 70,000-point tree is a few MB and is rebuilt every iteration.
/// </remarks>
internal sealed class BarnesHutTree
{
    // Cells this deep stop splitting (only reached by (near-)duplicate points); their points are then
    // summed one by one.
    private const int MaxDepth = 48;

    private readonly int _dims;
    private int _nodes;
    // One cell's data in one 48-byte record: a traversal touches every field of a cell it visits, and
    // separate arrays per field cost a cache miss each.
    private struct Node
    {
        public double X, Y, Z;   // centre of mass
        public double Width;     // side length of the cell
        public int Count;        // points inside
        public int Lo, Hi;       // range in Order
        public int FirstChild;   // −1 for a leaf; children are contiguous
        public int Children;
    }

    private Node[] _node = [];
    private readonly int[] _order;
    private readonly int[] _position; // inverse of _order
    private readonly int[] _scratch;

    public BarnesHutTree(int count, int dims)
    {
        if (dims is not (2 or 3)) throw new ArgumentOutOfRangeException(nameof(dims), dims, "Barnes-Hut t-SNE supports 2 or 3 dimensions.");
        _dims = dims;
        _order = new int[count];
        _position = new int[count];
        _scratch = new int[count];
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
        for (int i = 0; i < n; i++) _order[i] = i;
        _nodes = 1;
        Make(0, 0, n, width);
        Split(y, 0, center, width, 0);
        for (int i = 0; i < n; i++) _position[_order[i]] = i;
    }

    private void Make(int node, int lo, int hi, double width) =>
        _node[node] = new Node { Lo = lo, Hi = hi, Count = hi - lo, Width = width, FirstChild = -1 };

    private void Split(ReadOnlySpan<double> y, int node, ReadOnlySpan<double> center, double width, int depth)
    {
        int d = _dims, lo = _node[node].Lo, hi = _node[node].Hi;
        // Centre of mass of the cell.
        double sx = 0, sy = 0, sz = 0;
        for (int e = lo; e < hi; e++)
        {
            int p = _order[e] * d;
            sx += y[p]; sy += y[p + 1];
            if (d == 3) sz += y[p + 2];
        }
        _node[node].X = sx / (hi - lo);
        _node[node].Y = sy / (hi - lo);
        _node[node].Z = sz / (hi - lo);
        if (hi - lo <= 1 || depth >= MaxDepth) return;
        // Counting sort of the range by child cell (bit a set = above the centre along axis a).
        int cells = 1 << d;
        Span<int> counts = stackalloc int[8];
        counts.Clear();
        for (int e = lo; e < hi; e++) counts[Cell(y, _order[e], center)]++;
        Span<int> starts = stackalloc int[9];
        starts[0] = lo;
        for (int c = 0; c < cells; c++) starts[c + 1] = starts[c] + counts[c];
        Span<int> fill = stackalloc int[8];
        starts[..cells].CopyTo(fill);
        for (int e = lo; e < hi; e++)
        {
            int p = _order[e];
            _scratch[fill[Cell(y, p, center)]++] = p;
        }
        _scratch.AsSpan(lo, hi - lo).CopyTo(_order.AsSpan(lo));
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
            Split(y, child, sub[..d], half, depth + 1);
            child++;
        }
    }

    private int Cell(ReadOnlySpan<double> y, int p, ReadOnlySpan<double> center)
    {
        int c = 0;
        for (int a = 0; a < _dims; a++) if (y[p * _dims + a] > center[a]) c |= 1 << a;
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
        int top = 0;
        stack[top++] = 0;
        while (top > 0)
        {
            ref readonly Node cell = ref nodes[stack[--top]];
            int cnt = cell.Count;
            bool containsSelf = pos >= cell.Lo && pos < cell.Hi;
            if (containsSelf && cnt == 1) continue;
            int first = cell.FirstChild;
            if (!containsSelf)
            {
                double dx = yi0 - cell.X, dy = yi1 - cell.Y, dz = yi2 - cell.Z;
                double dist2 = dx * dx + dy * dy + dz * dz;
                double w = cell.Width;
                if (first < 0 && cnt == 1 || w * w < theta2 * dist2)
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
                for (int e = cell.Lo; e < cell.Hi; e++)
                {
                    int j = _order[e];
                    if (j == i) continue;
                    double dx = yi0 - y[j * d], dy = yi1 - y[j * d + 1], dz = d == 3 ? yi2 - y[j * d + 2] : 0;
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
