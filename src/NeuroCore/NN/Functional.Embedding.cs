using NeuroCore.Autograd;
using NeuroCore.Kernels;
using NeuroCore.Layout;

namespace NeuroCore.NN;

public static partial class Functional
{
    /// <summary>
    /// Looks up rows of <paramref name="weight"/> [V, D] for int64 <paramref name="indices"/> of any shape,
    /// giving [..., D], like <c>F.embedding</c>. The gradient scatter-adds into the weight: rows looked up
    /// several times accumulate every use.
    /// </summary>
    /// <param name="indices">Row indices in [0, V), int64 of any shape.</param>
    /// <param name="weight">The embedding table, float32 [V, D].</param>
    /// <param name="paddingIndex">
    /// A row that receives no gradient (it stays a fixed "padding" vector), like <c>padding_idx</c>;
    /// negative values count from the end. Null for none.
    /// </param>
    /// <exception cref="ArgumentException">When the indices are not int64, the weight is not float32 [V, D], or an index is outside [0, V).</exception>
    public static Tensor Embedding(Tensor indices, Tensor weight, long? paddingIndex = null)
    {
        const string op = "Embedding";
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(weight);
        if (indices.DType != DType.Int64)
            throw new ArgumentException($"{op}: indices must be int64, got float32 with shape {ShapeUtil.Format(indices.ShapeRef)}.");
        if (weight.DType != DType.Float32 || weight.Rank != 2)
            throw new ArgumentException($"{op}: weight must be a float32 matrix [V, D], got {weight.DType} with shape {ShapeUtil.Format(weight.ShapeRef)}.");
        int rows = weight.ShapeRef[0], dim = weight.ShapeRef[1];
        long padding = -1;
        if (paddingIndex is long p)
        {
            padding = p < 0 ? p + rows : p;
            if (padding < 0 || padding >= rows)
                throw new ArgumentOutOfRangeException(nameof(paddingIndex), $"{op}: paddingIndex {p} is out of range for a weight with {rows} rows.");
        }
        var idx = FunctionalArgs.DenseLongs(indices);
        for (int i = 0; i < idx.Length; i++)
        {
            if ((ulong)idx[i] >= (ulong)rows)
                throw new ArgumentException(
                    $"{op}: index {idx[i]} (element {i} of indices with shape {ShapeUtil.Format(indices.ShapeRef)}) is out of range " +
                    $"for a weight with {rows} rows (expected 0..{rows - 1}).");
        }
        var w = FunctionalArgs.DenseFloats(weight);
        var outShape = new int[indices.Rank + 1];
        indices.ShapeRef.CopyTo(outShape, 0);
        outShape[^1] = dim;
        var data = new float[ShapeUtil.Numel(outShape)];
        EmbeddingKernels.Gather(w, idx, dim, data);
        var y = Tensor.Wrap(data, outShape);
        if (!GradMode.ShouldRecord(weight)) return y;
        return GradMode.Record(y, "embedding", [weight], g =>
        {
            var grad = new float[rows * dim];
            EmbeddingKernels.ScatterAdd(FunctionalArgs.DenseFloats(g), idx, dim, padding, grad);
            return [Tensor.Wrap(grad, rows, dim)];
        });
    }
}
