using NeuroCore.Autograd;
using NeuroCore.Layout;

namespace NeuroCore;

public sealed partial class Tensor
{
    /// <summary>
    /// Joins tensors along <paramref name="dim"/>, like <c>torch.cat</c>: all must have the same rank
    /// and dtype, and equal sizes in every other dimension. As in PyTorch, 1-D tensors of shape [0]
    /// are skipped (so an empty accumulator can start a chain of concatenations). The gradient of
    /// each input is the matching slice of the output gradient.
    /// </summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("concat: expected a non-empty list of tensors.", nameof(tensors));
        for (int i = 0; i < tensors.Count; i++)
            if (tensors[i] is null) throw new ArgumentNullException(nameof(tensors), $"concat: tensor {i} is null.");

        // The reference tensor: the first one that is not a legacy empty 1-D tensor.
        Tensor? first = null;
        foreach (var t in tensors)
            if (!IsSkippedInConcat(t)) { first = t; break; }
        if (first is null)
        {
            // Only empty 1-D tensors: the result is one too (still recorded, so Backward works).
            var empty = tensors[0].DType == DType.Float32 ? Zeros(0) : new Tensor(Array.Empty<long>(), [0]);
            return RecordConcat(empty, tensors.ToArray(), 0);
        }
        if (first.Rank == 0)
            throw new ArgumentException("concat: zero-dimensional tensors cannot be concatenated; Unsqueeze them or use Tensor.Stack.");
        int d = ShapeUtil.NormalizeDim(dim, first.Rank, "concat");

        var shape = (int[])first._shape.Clone();
        int total = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            if (IsSkippedInConcat(t)) continue;
            if (t.DType != first.DType)
                throw new ArgumentException($"concat: tensor {i} is {t.DType} but the others are {first.DType}.");
            if (t.Rank != first.Rank)
                throw new ArgumentException($"concat: tensor {i} has shape {ShapeUtil.Format(t._shape)} but tensor 0 has shape {ShapeUtil.Format(first._shape)}; all need the same number of dimensions.");
            for (int k = 0; k < shape.Length; k++)
                if (k != d && t._shape[k] != shape[k])
                    throw new ArgumentException(
                        $"concat: sizes must match except in dimension {d}, but tensor {i} has shape {ShapeUtil.Format(t._shape)} and tensor 0 has shape {ShapeUtil.Format(first._shape)} (dimension {k}: {t._shape[k]} vs {shape[k]}).");
            total += t._shape[d];
        }
        shape[d] = total;

        var (outer, _, inner) = AxisShape.Split(shape, d);
        Tensor result = first.DType == DType.Float32
            ? new Tensor(ConcatData<float>(tensors, d, outer, inner, total, static t => t.IsContiguous ? t.Span : t.ToArray()), shape)
            : new Tensor(ConcatData<long>(tensors, d, outer, inner, total, static t => t.IsContiguous ? t.LongSpan : t.ToLongArray()), shape);

        return RecordConcat(result, tensors.ToArray(), d);
    }

    /// <summary>Records concat: each input's gradient is its slice of g along <paramref name="d"/>.</summary>
    private static Tensor RecordConcat(Tensor result, Tensor[] inputs, int d)
    {
        if (!GradMode.ShouldRecord(inputs)) return result;
        return GradMode.Record(result, "concat", inputs, g =>
        {
            var grads = new Tensor?[inputs.Length];
            int start = 0;
            for (int i = 0; i < inputs.Length; i++)
            {
                var t = inputs[i];
                if (IsSkippedInConcat(t))
                {
                    grads[i] = t.RequiresGrad ? Zeros(0) : null;
                    continue;
                }
                int len = t._shape[d];
                if (t.RequiresGrad) grads[i] = g.Narrow(d, start, len);
                start += len;
            }
            return grads;
        });
    }

    /// <summary>
    /// Stacks tensors of identical shape along a new dimension <paramref name="dim"/> (0..rank), like
    /// <c>torch.stack</c>: scalars become a vector, vectors a matrix, and so on.
    /// </summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("stack: expected a non-empty list of tensors.", nameof(tensors));
        var shape = tensors[0]._shape;
        int rank = shape.Length;
        int d = dim < 0 ? dim + rank + 1 : dim;
        if (d < 0 || d > rank)
            throw new ArgumentOutOfRangeException(nameof(dim), $"stack: dimension {dim} is out of range for tensors of rank {rank} (expected {-(rank + 1)}..{rank}).");
        var parts = new Tensor[tensors.Count];
        for (int i = 0; i < tensors.Count; i++)
        {
            if (!ShapeUtil.SameShape(tensors[i]._shape, shape))
                throw new ArgumentException($"stack: every tensor needs the same shape, but tensor {i} has shape {ShapeUtil.Format(tensors[i]._shape)} and tensor 0 has {ShapeUtil.Format(shape)}.");
            parts[i] = tensors[i].Unsqueeze(d);
        }
        return Concat(parts, d);
    }

    /// <summary>PyTorch's legacy rule: a 1-D tensor with no elements is ignored by cat, whatever the others' shapes.</summary>
    private static bool IsSkippedInConcat(Tensor t) => t.Rank == 1 && t._numel == 0;

    private delegate ReadOnlySpan<T> DenseView<T>(Tensor t);

    /// <summary>Copies each input's [outer, n_i·inner] rows into its column band of the [outer, total·inner] output.</summary>
    private static T[] ConcatData<T>(IReadOnlyList<Tensor> tensors, int d, int outer, int inner, int total, DenseView<T> dense)
    {
        var data = new T[outer * total * inner];
        int rowOut = total * inner;
        int col = 0;
        foreach (var t in tensors)
        {
            if (IsSkippedInConcat(t)) continue;
            int chunk = t._shape[d] * inner;
            if (chunk == 0) continue;
            var src = dense(t);
            for (int o = 0; o < outer; o++)
                src.Slice(o * chunk, chunk).CopyTo(data.AsSpan(o * rowOut + col, chunk));
            col += chunk;
        }
        return data;
    }
}
