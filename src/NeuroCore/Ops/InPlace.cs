using NeuroCore.Autograd;
using NeuroCore.Kernels;
using NeuroCore.Layout;

namespace NeuroCore;

// In-place operations (PyTorch's add_, mul_, relu_, clamp_, fill_, zero_, copy_). They write into this
// tensor's storage — through its strides, so a view writes into its base — and return this tensor.
//
// They are never recorded for autograd, and to stay safe they refuse every case where that would
// matter: a tensor produced by a recorded operation (backward may need its values), a leaf that
// requires grad while grad mode is on, or an operand that requires grad while grad mode is on. Use
// them for no-grad work — optimizer updates, data preparation, inference — inside GradMode.NoGrad()
// when parameters are involved. Unlike PyTorch there is no version counter: modifying a tensor that a
// recorded graph saved as an input (one that does not itself require grad) changes what backward sees.
public sealed partial class Tensor
{
    /// <summary>
    /// Adds <paramref name="other"/> (broadcast to this tensor's shape) into this tensor, like
    /// <c>Tensor.add_</c>; returns this tensor. Not recorded for autograd: see <see cref="ZeroInPlace"/>
    /// for the rules every in-place operation follows.
    /// </summary>
    public Tensor AddInPlace(Tensor other) => BinaryInPlace<AddOp>(other, nameof(AddInPlace));

    /// <summary>Adds <paramref name="value"/> to every element in place, like <c>Tensor.add_</c>; returns this tensor.</summary>
    public Tensor AddInPlace(float value) => ScalarInPlace<AddOp>(value, nameof(AddInPlace));

    /// <summary>Subtracts <paramref name="other"/> (broadcast to this tensor's shape) in place, like <c>Tensor.sub_</c>; returns this tensor.</summary>
    public Tensor SubInPlace(Tensor other) => BinaryInPlace<SubOp>(other, nameof(SubInPlace));

    /// <summary>Subtracts <paramref name="value"/> from every element in place, like <c>Tensor.sub_</c>; returns this tensor.</summary>
    public Tensor SubInPlace(float value) => ScalarInPlace<SubOp>(value, nameof(SubInPlace));

    /// <summary>Multiplies by <paramref name="other"/> (broadcast to this tensor's shape) in place, like <c>Tensor.mul_</c>; returns this tensor.</summary>
    public Tensor MulInPlace(Tensor other) => BinaryInPlace<MulOp>(other, nameof(MulInPlace));

    /// <summary>Multiplies every element by <paramref name="value"/> in place, like <c>Tensor.mul_</c>; returns this tensor.</summary>
    public Tensor MulInPlace(float value) => ScalarInPlace<MulOp>(value, nameof(MulInPlace));

    /// <summary>Divides by <paramref name="other"/> (broadcast to this tensor's shape) in place, like <c>Tensor.div_</c>; returns this tensor.</summary>
    public Tensor DivInPlace(Tensor other) => BinaryInPlace<DivOp>(other, nameof(DivInPlace));

    /// <summary>Divides every element by <paramref name="value"/> in place, like <c>Tensor.div_</c>; returns this tensor.</summary>
    public Tensor DivInPlace(float value) => ScalarInPlace<DivOp>(value, nameof(DivInPlace));

    /// <summary>
    /// Copies <paramref name="src"/> (broadcast to this tensor's shape) into this tensor, like
    /// <c>Tensor.copy_</c>; returns this tensor. Both must be float32.
    /// </summary>
    public Tensor CopyInPlace(Tensor src) => BinaryInPlace<CopyOp>(src, nameof(CopyInPlace));

    /// <summary>Replaces every element x by max(x, 0) in place, like <c>Tensor.relu_</c>; returns this tensor.</summary>
    public Tensor ReluInPlace()
    {
        CheckInPlace(nameof(ReluInPlace), null);
        ElementwiseKernels.MapInPlace(default(ReluMap), Storage, _strides, _offset, _shape);
        return this;
    }

    /// <summary>
    /// Clamps every element to [<paramref name="min"/>, <paramref name="max"/>] in place, like
    /// <c>Tensor.clamp_</c> (same values as <see cref="Clamp"/>: either bound may be omitted, and when
    /// min &gt; max every element becomes max); returns this tensor.
    /// </summary>
    public Tensor ClampInPlace(float? min = null, float? max = null)
    {
        if (min is null && max is null) throw new ArgumentException($"{nameof(ClampInPlace)}: at least one of min and max must be given.");
        if (min is float a && float.IsNaN(a) || max is float b && float.IsNaN(b))
            throw new ArgumentException($"{nameof(ClampInPlace)}: bounds must not be NaN (min {min}, max {max}).");
        CheckInPlace(nameof(ClampInPlace), null);
        var map = new ClampMap(min ?? float.NegativeInfinity, max ?? float.PositiveInfinity);
        ElementwiseKernels.MapInPlace(map, Storage, _strides, _offset, _shape);
        return this;
    }

    /// <summary>Sets every element to <paramref name="value"/>, like <c>Tensor.fill_</c>; returns this tensor.</summary>
    public Tensor FillInPlace(float value)
    {
        CheckInPlace(nameof(FillInPlace), null);
        ElementwiseKernels.MapInPlace(new FillMap(value), Storage, _strides, _offset, _shape);
        return this;
    }

    /// <summary>
    /// Sets every element to 0, like <c>Tensor.zero_</c>; returns this tensor.
    /// </summary>
    /// <remarks>
    /// Rules shared by all in-place operations (<c>…InPlace</c>): the operand is broadcast to this
    /// tensor's shape, never the reverse; a non-contiguous view is written through its strides, so its
    /// base changes; an operand that shares storage with this tensor is read as it was before the
    /// operation. They are not recorded for autograd and throw <see cref="InvalidOperationException"/>
    /// on a tensor produced by a recorded operation, on a leaf that requires grad while grad mode is on
    /// (update parameters inside <see cref="GradMode.NoGrad"/>, as optimizers do), when the operand
    /// requires grad while grad mode is on, and on an expanded view whose elements share memory. Large
    /// dense tensors (1M elements and more) are processed on <see cref="Parallelism.MaxThreads"/> threads
    /// with bit-identical results.
    /// </remarks>
    public Tensor ZeroInPlace() => FillInPlace(0f);

    private Tensor BinaryInPlace<TOp>(Tensor other, string op) where TOp : IBinaryOp
    {
        ArgumentNullException.ThrowIfNull(other);
        CheckInPlace(op, other);
        if (!CanBroadcastTo(other._shape, _shape))
            throw new ArgumentException(
                $"{op}: the operand of shape {ShapeUtil.Format(other._shape)} cannot be broadcast to this tensor's shape " +
                $"{ShapeUtil.Format(_shape)} (an in-place operation never changes the shape of the tensor it writes).");
        var bs = ShapeUtil.BroadcastStrides(other._shape, other._strides, _shape);
        var src = other;
        if (ReferenceEquals(other.Storage, Storage) && other._numel > 0 && _numel > 0 &&
            !(other._offset == _offset && bs.AsSpan().SequenceEqual(_strides)))
        {
            // The operand reads memory this operation writes (e.g. x.AddInPlace(x.T())): read a copy,
            // so the result is what the out-of-place op would give instead of depending on the order
            // elements are visited. An operand with exactly this tensor's layout is safe as it is.
            src = other.Clone();
            bs = ShapeUtil.BroadcastStrides(src._shape, src._strides, _shape);
        }
        ElementwiseKernels.BinaryInPlace<TOp>(Storage, _strides, _offset, src.Storage, bs, src._offset, _shape);
        return this;
    }

    private Tensor ScalarInPlace<TOp>(float value, string op) where TOp : IBinaryOp
    {
        CheckInPlace(op, null);
        ElementwiseKernels.MapInPlace(new ScalarMap<TOp>(value), Storage, _strides, _offset, _shape);
        return this;
    }

    /// <summary>Throws unless an in-place operation may write into this tensor (see <see cref="ZeroInPlace"/>).</summary>
    private void CheckInPlace(string op, Tensor? other)
    {
        RequireFloat(op);
        other?.RequireFloat(op);
        if (GradFn is not null)
            throw new InvalidOperationException(
                $"{op}: this tensor (shape {ShapeUtil.Format(_shape)}) was produced by the recorded operation '{GradFn.Op}' and backward " +
                "may need its values, so it cannot be modified in place. Use the out-of-place operation, or compute it under GradMode.NoGrad().");
        if (GradMode.IsEnabled && _requiresGrad)
            throw new InvalidOperationException(
                $"{op}: a leaf tensor that requires grad (shape {ShapeUtil.Format(_shape)}) is being used in an in-place operation. " +
                "Do the update inside 'using (GradMode.NoGrad())', as optimizers do, or use the out-of-place operation.");
        if (GradMode.IsEnabled && other is not null && other.RequiresGrad)
            throw new InvalidOperationException(
                $"{op}: the operand (shape {ShapeUtil.Format(other._shape)}) requires grad, but in-place operations are not recorded for " +
                "autograd. Use the out-of-place operation to keep the gradient, or do this inside GradMode.NoGrad().");
        for (int i = 0; i < _shape.Length; i++)
        {
            if (_strides[i] == 0 && _shape[i] > 1)
                throw new InvalidOperationException(
                    $"{op}: this tensor (shape {ShapeUtil.Format(_shape)}) is an expanded view in which more than one element refers to " +
                    "a single memory location, so it cannot be written in place. Call Clone() first.");
        }
    }

    /// <summary>True when <paramref name="from"/> broadcasts to exactly <paramref name="to"/>.</summary>
    private static bool CanBroadcastTo(ReadOnlySpan<int> from, ReadOnlySpan<int> to)
    {
        if (from.Length > to.Length) return false;
        int lead = to.Length - from.Length;
        for (int i = 0; i < from.Length; i++)
            if (from[i] != 1 && from[i] != to[lead + i]) return false;
        return true;
    }
}
