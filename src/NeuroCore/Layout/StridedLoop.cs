namespace NeuroCore.Layout;

/// <summary>
/// Walks the elements of up to two strided operands over a common shape, one innermost row at a
/// time. Adjacent dimensions that are laid out contiguously in every operand are merged first, so
/// a dense tensor becomes a single long row and kernels see spans as long as possible.
/// </summary>
internal ref struct StridedLoop
{
    private readonly Span<int> _shape;   // coalesced outer shape (excluding innermost)
    private readonly Span<int> _sa, _sb; // coalesced outer strides
    private readonly Span<int> _index;
    private int _remaining;

    /// <summary>Length of each innermost row.</summary>
    public readonly int RowLength;
    /// <summary>Stride of the innermost dimension in operand A (0 = broadcast, 1 = dense).</summary>
    public readonly int InnerStrideA;
    /// <summary>Stride of the innermost dimension in operand B.</summary>
    public readonly int InnerStrideB;
    /// <summary>Offset of the current row in operand A's storage.</summary>
    public int OffsetA;
    /// <summary>Offset of the current row in operand B's storage.</summary>
    public int OffsetB;
    /// <summary>Number of rows (product of the outer dimensions).</summary>
    public readonly int RowCount;

    /// <summary>
    /// Prepares a loop over <paramref name="shape"/>. <paramref name="buffer"/> must hold at least
    /// 4 * rank ints (use <c>stackalloc</c>).
    /// </summary>
    public StridedLoop(ReadOnlySpan<int> shape, ReadOnlySpan<int> stridesA, int offsetA,
        ReadOnlySpan<int> stridesB, int offsetB, Span<int> buffer)
    {
        int rank = shape.Length;
        var dims = buffer[..rank];
        var sa = buffer.Slice(rank, rank);
        var sb = buffer.Slice(2 * rank, rank);
        // Coalesce: drop size-1 dims, merge i into the previous when contiguous in both operands.
        int n = 0;
        for (int i = 0; i < rank; i++)
        {
            int d = shape[i];
            if (d == 1) continue;
            if (n > 0 && sa[n - 1] == stridesA[i] * d && sb[n - 1] == stridesB[i] * d)
            {
                dims[n - 1] *= d;
                sa[n - 1] = stridesA[i];
                sb[n - 1] = stridesB[i];
            }
            else
            {
                dims[n] = d;
                sa[n] = stridesA[i];
                sb[n] = stridesB[i];
                n++;
            }
        }
        OffsetA = offsetA;
        OffsetB = offsetB;
        if (n == 0)
        {
            RowLength = ShapeUtil.Numel(shape) == 0 ? 0 : 1;
            InnerStrideA = 1;
            InnerStrideB = 1;
            RowCount = RowLength == 0 ? 0 : 1;
            _shape = default; _sa = default; _sb = default; _index = default;
        }
        else
        {
            RowLength = dims[n - 1];
            InnerStrideA = sa[n - 1];
            InnerStrideB = sb[n - 1];
            _shape = dims[..(n - 1)];
            _sa = sa[..(n - 1)];
            _sb = sb[..(n - 1)];
            _index = buffer.Slice(3 * rank, n - 1);
            _index.Clear();
            int rows = 1;
            foreach (int d in _shape) rows *= d;
            RowCount = ShapeUtil.Numel(shape) == 0 ? 0 : rows;
        }
        _remaining = RowCount;
    }

    /// <summary>Moves to the next row; the first call positions on row 0. False when done.</summary>
    public bool MoveNext()
    {
        if (_remaining == 0) return false;
        if (_remaining-- == RowCount) return true; // first row: offsets already set
        for (int i = _shape.Length - 1; i >= 0; i--)
        {
            _index[i]++;
            OffsetA += _sa[i];
            OffsetB += _sb[i];
            if (_index[i] < _shape[i]) return true;
            OffsetA -= _sa[i] * _shape[i];
            OffsetB -= _sb[i] * _shape[i];
            _index[i] = 0;
        }
        return true;
    }
}
