using NeuroCore.Autograd;
using NeuroCore.Layout;
using NeuroCore.Memory;

namespace NeuroCore;

/// <summary>
/// An n-dimensional array of <see cref="DType.Float32"/> (or <see cref="DType.Int64"/>) values with
/// PyTorch semantics: NumPy broadcasting, views that share storage (reshape of contiguous data,
/// transpose, permute, narrow, expand) and reverse-mode automatic differentiation.
/// </summary>
/// <remarks>
/// Tensors are ordinary managed objects: there is nothing to dispose. A tensor's storage is a
/// managed array that may be shared by several views; <see cref="Shape"/>, strides and an offset say
/// how a view reads it. Methods are split by concern over partial files (<c>Tensor.*.cs</c>) and the
/// operations themselves live in <c>Ops/</c>, each with its forward and backward side by side.
/// </remarks>
public sealed partial class Tensor
{
    private readonly float[]? _data;
    private readonly long[]? _longData;
    private readonly int _offset;
    private readonly int[] _shape;
    private readonly int[] _strides;
    private readonly int _numel;
    private bool _requiresGrad;

    internal Tensor(float[] data, int[] shape, int[]? strides = null, int offset = 0)
    {
        _data = data;
        _shape = shape;
        _strides = strides ?? ShapeUtil.ContiguousStrides(shape);
        _numel = ShapeUtil.Numel(shape);
        _offset = _numel == 0 ? 0 : offset; // an empty view reads nothing: keep its offset inside the storage
        IsContiguous = ShapeUtil.IsContiguous(_shape, _strides);
    }

    internal Tensor(long[] data, int[] shape, int[]? strides = null, int offset = 0)
    {
        _longData = data;
        _shape = shape;
        _strides = strides ?? ShapeUtil.ContiguousStrides(shape);
        _numel = ShapeUtil.Numel(shape);
        _offset = _numel == 0 ? 0 : offset; // an empty view reads nothing: keep its offset inside the storage
        IsContiguous = ShapeUtil.IsContiguous(_shape, _strides);
    }

    /// <summary>The element type.</summary>
    public DType DType => _data is not null ? DType.Float32 : DType.Int64;

    /// <summary>The size of each dimension (a copy; changing it does not change the tensor).</summary>
    public int[] Shape => (int[])_shape.Clone();

    /// <summary>The number of dimensions (0 for a scalar).</summary>
    public int Rank => _shape.Length;

    /// <summary>The total number of elements.</summary>
    public int Numel => _numel;

    /// <summary>True when the elements are laid out densely in row-major order.</summary>
    public bool IsContiguous { get; }

    /// <summary>The size of dimension <paramref name="dim"/> (negative values count from the end).</summary>
    public int Size(int dim) => _shape[ShapeUtil.NormalizeDim(dim, Rank, nameof(Size))];

    /// <summary>
    /// Whether operations on this tensor are recorded for <see cref="Backward"/>. Settable on leaf
    /// tensors (inputs and parameters); results of recorded operations report true.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (!IsLeaf)
                throw new InvalidOperationException(
                    $"RequiresGrad can only be changed on leaf tensors; this tensor is the result of '{GradFn!.Op}'. Use Detach() first.");
            if (value && DType != DType.Float32)
                throw new InvalidOperationException("Only float32 tensors can require gradients; this tensor is int64.");
            _requiresGrad = value;
        }
    }

    /// <summary>
    /// The accumulated gradient of a leaf tensor after <see cref="Backward"/>, or null. Gradients add up
    /// over several backward passes until reset (set to null, or use an optimizer's <c>ZeroGrad</c>).
    /// </summary>
    /// <remarks>
    /// Reading it hands the gradient to your code: its memory is then never reused by NeuroCore (see
    /// <c>Memory/Recycler.cs</c>), so a gradient you keep keeps its values after later steps.
    /// </remarks>
    public Tensor? Grad
    {
        get
        {
            if (GradInternal is not null) Recycler.GradientHandedOut(this);
            return GradInternal;
        }
        set
        {
            GradInternal = value;
            Recycler.GradientHandedOut(this);
        }
    }

    /// <summary>The gradient as the engine, optimizers and the memory owner see it: reading it does not hand it out.</summary>
    internal Tensor? GradInternal { get; set; }

    // ---- What the memory owner (Memory/Recycler.cs) knows about this tensor: only Memory/ reads or writes these.
    // (Plain fields rather than one struct, so the bools pack with the tensor's other flags.)

    /// <summary>An intermediate activation that only the autograd graph can reach: the backward pass that frees
    /// that graph returns its storage (set by <see cref="ActivationHandOff"/>, read by <see cref="BackwardMemory"/>).</summary>
    internal bool GraphOwned;

    /// <summary>This leaf's current gradient has been handed to (or set by) code outside the engine and optimizers.</summary>
    internal bool GradHandedOut;

    /// <summary>The array of a dropped gradient nobody outside saw, kept for this leaf's next gradient.</summary>
    internal float[]? SpareGrad;

    /// <summary>True for tensors not produced by a recorded operation (user inputs and parameters).</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>The name of the operation that produced this tensor in the autograd graph, or null for leaves.</summary>
    public string? GradFnName => GradFn?.Op;

    /// <summary>The graph node that produced this tensor, when it was recorded.</summary>
    internal GradNode? GradFn { get; private set; }

    internal void SetGradFn(GradNode node)
    {
        GradFn = node;
        _requiresGrad = true;
    }

    // ---- Internal layout access used by ops and kernels ----

    /// <summary>
    /// True when the storage was allocated for this tensor by the operation that produced it (not a view,
    /// not user data): the precondition for recycling it once the graph that saved it is freed.
    /// </summary>
    internal bool OwnsStorage { get; private init; }

    /// <summary>The storage array, float or int64 (identity comparisons only).</summary>
    internal object StorageObject => (object?)_data ?? _longData!;

    internal int[] ShapeRef => _shape;
    internal int[] StridesRef => _strides;
    internal int Offset => _offset;

    /// <summary>The float storage (shared with views).</summary>
    internal float[] Storage =>
        _data ?? throw new InvalidOperationException("This operation needs a float32 tensor, but the tensor is int64.");

    /// <summary>The int64 storage (shared with views).</summary>
    internal long[] LongStorage =>
        _longData ?? throw new InvalidOperationException("This operation needs an int64 tensor, but the tensor is float32.");

    /// <summary>The elements of a contiguous float tensor as a span over its storage.</summary>
    internal Span<float> Span
    {
        get
        {
            if (!IsContiguous) throw new InvalidOperationException("Internal: Span requires a contiguous tensor; call Contiguous() first.");
            // An empty view (e.g. narrowed from an empty tensor) may have an offset past the storage.
            return _numel == 0 ? Span<float>.Empty : Storage.AsSpan(_offset, _numel);
        }
    }

    /// <summary>The elements of a contiguous int64 tensor.</summary>
    internal Span<long> LongSpan
    {
        get
        {
            if (!IsContiguous) throw new InvalidOperationException("Internal: LongSpan requires a contiguous tensor; call Contiguous() first.");
            return _numel == 0 ? Span<long>.Empty : LongStorage.AsSpan(_offset, _numel);
        }
    }

    /// <summary>A view of the same storage with another shape/strides/offset (no autograd record).</summary>
    internal Tensor ViewOf(int[] shape, int[] strides, int offset) =>
        _data is not null ? new Tensor(_data, shape, strides, offset) : new Tensor(_longData!, shape, strides, offset);

    /// <summary>Throws unless this tensor is float32, naming the operation.</summary>
    internal void RequireFloat(string op)
    {
        if (_data is null) throw new ArgumentException($"{op}: expected a float32 tensor, got int64 with shape {ShapeUtil.Format(_shape)}.");
    }
}
