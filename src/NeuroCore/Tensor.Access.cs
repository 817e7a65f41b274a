using System.Globalization;
using System.Text;
using NeuroCore.Autograd;
using NeuroCore.Kernels;
using NeuroCore.Layout;

namespace NeuroCore;

public sealed partial class Tensor
{
    /// <summary>Reads or writes one float element; negative indices count from the end.</summary>
    /// <remarks>Writing does not record an autograd operation; do not write into tensors the graph still needs.</remarks>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public float this[params int[] index]
    {
        get => Storage[ElementOffset(index)];
        set => Storage[ElementOffset(index)] = value;
    }

    /// <summary>Reads one int64 element.</summary>
    public long GetLong(params int[] index) => LongStorage[ElementOffset(index)];

    private int ElementOffset(int[] index)
    {
        if (index.Length != Rank)
            throw new ArgumentException($"Index has {index.Length} components but the tensor has shape {ShapeUtil.Format(_shape)}.");
        int off = _offset;
        for (int i = 0; i < index.Length; i++)
        {
            int k = index[i] < 0 ? index[i] + _shape[i] : index[i];
            if ((uint)k >= (uint)_shape[i])
                throw new IndexOutOfRangeException($"Index {index[i]} is out of range for dimension {i} of size {_shape[i]} (shape {ShapeUtil.Format(_shape)}).");
            off += k * _strides[i];
        }
        return off;
    }

    /// <summary>The value of a one-element tensor, like PyTorch's <c>item()</c>.</summary>
    public float Item()
    {
        if (_numel != 1) throw new InvalidOperationException($"Item() needs a tensor with one element, but the shape is {ShapeUtil.Format(_shape)}.");
        return DType == DType.Float32 ? Storage[_offset] : LongStorage[_offset];
    }

    /// <summary>The elements in row-major order, as a new float array.</summary>
    public float[] ToArray()
    {
        if (DType == DType.Int64) return Array.ConvertAll(ToLongArray(), v => (float)v);
        var result = new float[_numel];
        ElementwiseKernels.Copy(Storage, _strides, _offset, _shape, result);
        return result;
    }

    /// <summary>The elements of an int64 tensor in row-major order, as a new array.</summary>
    public long[] ToLongArray()
    {
        var result = new long[_numel];
        ElementwiseKernels.Copy(LongStorage, _strides, _offset, _shape, result);
        return result;
    }

    /// <summary>
    /// This tensor if it is already contiguous, otherwise a dense row-major copy (gradients pass through).
    /// </summary>
    public Tensor Contiguous()
    {
        if (IsContiguous) return this;
        Tensor result = DType == DType.Float32
            ? new Tensor(ToArray(), (int[])_shape.Clone())
            : new Tensor(ToLongArray(), (int[])_shape.Clone());
        return GradMode.Record(result, "contiguous", [this], g => [g]);
    }

    /// <summary>A copy with its own storage; gradients flow back to this tensor, like <c>clone()</c>.</summary>
    public Tensor Clone()
    {
        Tensor result = DType == DType.Float32
            ? new Tensor(ToArray(), (int[])_shape.Clone())
            : new Tensor(ToLongArray(), (int[])_shape.Clone());
        return GradMode.Record(result, "clone", [this], g => [g]);
    }

    /// <summary>
    /// A tensor sharing this one's storage but cut from the graph: it does not require grad and
    /// backward never flows through it, like <c>detach()</c>.
    /// </summary>
    public Tensor Detach() => ViewOf(_shape, _strides, _offset);

    /// <summary>A short, readable preview: shape, dtype, grad status and (at most a few) values.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("tensor(");
        const int edge = 3;
        if (_numel <= 1000 || Rank == 0)
        {
            AppendValues(sb, 0, _offset, edge, full: _numel <= 1000);
        }
        else
        {
            AppendValues(sb, 0, _offset, edge, full: false);
        }
        sb.Append(", shape=").Append(ShapeUtil.Format(_shape));
        if (DType == DType.Int64) sb.Append(", dtype=int64");
        if (GradFn is not null) sb.Append(", grad_fn=").Append(GradFn.Op);
        else if (_requiresGrad) sb.Append(", requires_grad=True");
        return sb.Append(')').ToString();
    }

    private void AppendValues(StringBuilder sb, int dim, int offset, int edge, bool full)
    {
        if (dim == Rank)
        {
            sb.Append(DType == DType.Float32
                ? Storage[offset].ToString("0.####", CultureInfo.InvariantCulture)
                : LongStorage[offset].ToString(CultureInfo.InvariantCulture));
            return;
        }
        sb.Append('[');
        int n = _shape[dim];
        for (int i = 0; i < n; i++)
        {
            if (!full && n > 2 * edge && i == edge)
            {
                sb.Append("..., ");
                i = n - edge - 1;
                continue;
            }
            if (i > 0) sb.Append(", ");
            AppendValues(sb, dim + 1, offset + i * _strides[dim], edge, full);
        }
        sb.Append(']');
    }
}
