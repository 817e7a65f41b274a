using NeuroCore.Autograd;
using NeuroCore.Layout;

namespace NeuroCore;

// Shape operations. Where PyTorch returns a view, so do these: the result shares storage with
// the input and only shape, strides and offset change.
public sealed partial class Tensor
{
    /// <summary>
    /// The same elements with a new shape (one dimension may be -1). A view when this tensor is
    /// contiguous, otherwise a copy — as <c>torch.reshape</c>.
    /// </summary>
    public Tensor Reshape(params int[] shape)
    {
        var target = ShapeUtil.InferShape(shape, _numel, _shape, "reshape");
        var src = IsContiguous ? this : Contiguous();
        var y = src.ViewOf(target, ShapeUtil.ContiguousStrides(target), src._offset);
        var from = _shape;
        return GradMode.ShouldRecord(src) ? GradMode.Record(y, "reshape", [src], g => [g.Reshape(from)]) : y;
    }

    /// <summary>Alias of <see cref="Reshape"/>, for readers coming from <c>view()</c>.</summary>
    public Tensor View(params int[] shape) => Reshape(shape);

    /// <summary>Flattens dimensions <paramref name="startDim"/>..<paramref name="endDim"/> into one.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Rank == 0) return Reshape(1);
        int s = ShapeUtil.NormalizeDim(startDim, Rank, "flatten"), e = ShapeUtil.NormalizeDim(endDim, Rank, "flatten");
        if (s > e) throw new ArgumentException($"flatten: startDim {startDim} comes after endDim {endDim}.");
        var shape = new List<int>();
        for (int i = 0; i < s; i++) shape.Add(_shape[i]);
        int m = 1;
        for (int i = s; i <= e; i++) m *= _shape[i];
        shape.Add(m);
        for (int i = e + 1; i < Rank; i++) shape.Add(_shape[i]);
        return Reshape([.. shape]);
    }

    /// <summary>Swaps two dimensions (a view).</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        int a = ShapeUtil.NormalizeDim(dim0, Rank, "transpose"), b = ShapeUtil.NormalizeDim(dim1, Rank, "transpose");
        if (Rank == 0) return this;
        var perm = new int[Rank];
        for (int i = 0; i < Rank; i++) perm[i] = i;
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(perm);
    }

    /// <summary>The transpose of a 2-D tensor (a view), like <c>x.T</c>.</summary>
    public Tensor T => Rank < 2 ? this : Rank == 2 ? Transpose(0, 1)
        : throw new InvalidOperationException($"T is defined for tensors of rank ≤ 2, this one has shape {ShapeUtil.Format(_shape)}; use Permute or Transpose.");

    /// <summary>Reorders the dimensions (a view): result dimension i is input dimension dims[i].</summary>
    public Tensor Permute(params int[] dims)
    {
        if (dims.Length != Rank)
            throw new ArgumentException($"permute: {dims.Length} dimensions given for a tensor of shape {ShapeUtil.Format(_shape)}.");
        var shape = new int[Rank];
        var strides = new int[Rank];
        var seen = new bool[Rank];
        var inverse = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            int d = ShapeUtil.NormalizeDim(dims[i], Rank, "permute");
            if (seen[d]) throw new ArgumentException($"permute: dimension {d} appears twice in [{string.Join(", ", dims)}].");
            seen[d] = true;
            shape[i] = _shape[d];
            strides[i] = _strides[d];
            inverse[d] = i;
        }
        var y = ViewOf(shape, strides, _offset);
        return GradMode.ShouldRecord(this) ? GradMode.Record(y, "permute", [this], g => [g.Permute(inverse)]) : y;
    }

    /// <summary>
    /// A view broadcasting size-1 (or missing leading) dimensions to <paramref name="shape"/> without
    /// copying; -1 keeps a dimension. Like <c>expand</c>.
    /// </summary>
    public Tensor Expand(params int[] shape)
    {
        if (shape.Length < Rank)
            throw new ArgumentException($"expand: target {ShapeUtil.Format(shape)} has fewer dimensions than {ShapeUtil.Format(_shape)}.");
        var target = (int[])shape.Clone();
        int lead = target.Length - Rank;
        for (int i = 0; i < Rank; i++)
        {
            if (target[lead + i] == -1) target[lead + i] = _shape[i];
            else if (_shape[i] != 1 && _shape[i] != target[lead + i])
                throw new ArgumentException($"expand: cannot expand shape {ShapeUtil.Format(_shape)} to {ShapeUtil.Format(shape)} (dimension {i}: {_shape[i]} is not 1).");
        }
        // -1 is only meaningful for existing dimensions; any other negative size is an error.
        for (int i = 0; i < target.Length; i++)
            if (target[i] < 0)
                throw new ArgumentException($"expand: invalid size {target[i]} at dimension {i} of {ShapeUtil.Format(shape)} for a tensor of shape {ShapeUtil.Format(_shape)}.");
        if (ShapeUtil.SameShape(target, _shape)) return this;
        var y = ViewOf(target, ShapeUtil.BroadcastStrides(_shape, _strides, target), _offset);
        // Broadcasting is undone by the engine: the gradient in the expanded shape is reduced there.
        return GradMode.ShouldRecord(this) ? GradMode.Record(y, "expand", [this], g => [g]) : y;
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/> (a view).</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = dim < 0 ? dim + Rank + 1 : dim;
        if (d < 0 || d > Rank) throw new ArgumentOutOfRangeException(nameof(dim), $"unsqueeze: dimension {dim} is out of range for rank {Rank}.");
        var shape = new int[Rank + 1];
        var strides = new int[Rank + 1];
        for (int i = 0, j = 0; i <= Rank; i++)
        {
            if (i == d)
            {
                shape[i] = 1;
                strides[i] = j < Rank ? _strides[j] * _shape[j] : 1;
            }
            else
            {
                shape[i] = _shape[j];
                strides[i] = _strides[j];
                j++;
            }
        }
        var y = ViewOf(shape, strides, _offset);
        var from = _shape;
        return GradMode.ShouldRecord(this) ? GradMode.Record(y, "unsqueeze", [this], g => [g.Reshape(from)]) : y;
    }

    /// <summary>Removes dimension <paramref name="dim"/> if it has size 1 (a view).</summary>
    public Tensor Squeeze(int dim)
    {
        int d = ShapeUtil.NormalizeDim(dim, Rank, "squeeze");
        if (Rank == 0 || _shape[d] != 1) return this;
        var shape = new int[Rank - 1];
        var strides = new int[Rank - 1];
        for (int i = 0, j = 0; i < Rank; i++)
        {
            if (i == d) continue;
            shape[j] = _shape[i];
            strides[j++] = _strides[i];
        }
        var y = ViewOf(shape, strides, _offset);
        var from = _shape;
        return GradMode.ShouldRecord(this) ? GradMode.Record(y, "squeeze", [this], g => [g.Reshape(from)]) : y;
    }

    /// <summary>
    /// The slice [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of
    /// dimension <paramref name="dim"/> (a view), like <c>narrow</c>.
    /// </summary>
    public Tensor Narrow(int dim, int start, int length)
    {
        int d = ShapeUtil.NormalizeDim(dim, Rank, "narrow");
        int size = _shape[d];
        if (start < 0) start += size;
        if (start < 0 || length < 0 || start + length > size)
            throw new ArgumentOutOfRangeException(nameof(start),
                $"narrow: start {start} and length {length} do not fit dimension {dim} of size {size} (shape {ShapeUtil.Format(_shape)}).");
        var shape = (int[])_shape.Clone();
        shape[d] = length;
        var y = ViewOf(shape, (int[])_strides.Clone(), _offset + start * _strides[d]);
        var from = _shape;
        return GradMode.ShouldRecord(this)
            ? GradMode.Record(y, "narrow", [this], g =>
            {
                var full = Zeros(from);
                full.Narrow(d, start, length).CopyFrom(g);
                return [full];
            })
            : y;
    }

    /// <summary>
    /// Copies <paramref name="src"/> (same dtype, broadcastable to this shape) into this tensor's
    /// elements, unrecorded. Works for float32 and int64 and for strided destinations.
    /// </summary>
    internal void CopyFrom(Tensor src)
    {
        if (src.DType != DType)
            throw new ArgumentException($"Cannot copy a {src.DType} tensor into a {DType} tensor of shape {ShapeUtil.Format(_shape)}.");
        ShapeUtil.Broadcast(src._shape, _shape, "copy"); // validates, with a clear message
        var bs = ShapeUtil.BroadcastStrides(src._shape, src._strides, _shape);
        if (DType == DType.Float32) CopyInto(src.Storage, bs, src._offset, Storage);
        else CopyInto(src.LongStorage, bs, src._offset, LongStorage);
    }

    private void CopyInto<T>(T[] source, int[] sourceStrides, int sourceOffset, T[] destination)
    {
        if (IsContiguous)
        {
            Kernels.ElementwiseKernels.Copy(source, sourceStrides, sourceOffset, _shape, destination.AsSpan(_offset, _numel));
            return;
        }
        var tmp = new T[_numel];
        Kernels.ElementwiseKernels.Copy(source, sourceStrides, sourceOffset, _shape, tmp);
        // Scatter the dense copy into this strided view.
        Span<int> index = stackalloc int[Math.Max(Rank, 1)];
        index.Clear();
        for (int n = 0; n < _numel; n++)
        {
            int off = _offset;
            for (int i = 0; i < Rank; i++) off += index[i] * _strides[i];
            destination[off] = tmp[n];
            for (int i = Rank - 1; i >= 0; i--)
            {
                if (++index[i] < _shape[i]) break;
                index[i] = 0;
            }
        }
    }
}
