using System.Numerics.Tensors;
using NeuroCore.Autograd;
using NeuroCore.Kernels;
using NeuroCore.Layout;

namespace NeuroCore;

// Matrix products on the packed GEMM (Kernels/Gemm.cs). Operands are read in place: a view whose last
// two dimensions are a transposed dense matrix is passed to the GEMM with its transpose flag, and
// broadcast batch dimensions are walked through their (possibly zero) strides, never copied.
public sealed partial class Tensor
{
    /// <summary>Matrix product with <c>torch.matmul</c> rules (1-D, 2-D, batched, broadcast batch dimensions).</summary>
    /// <remarks>
    /// 1-D · 1-D is a dot product (a scalar); a 1-D first argument is treated as a row [1, k] and a 1-D
    /// second argument as a column [k, 1], and that dimension is removed from the result. With more
    /// dimensions the last two are the matrices and the leading (batch) dimensions broadcast.
    /// </remarks>
    public Tensor MatMul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        RequireFloat("matmul");
        other.RequireFloat("matmul");
        if (Rank == 0 || other.Rank == 0)
            throw new ArgumentException($"matmul: both arguments need at least one dimension, got shapes {ShapeUtil.Format(_shape)} and {ShapeUtil.Format(other._shape)}.");
        if (Rank == 1 && other.Rank == 1) return Dot(this, other);
        var a = Rank == 1 ? Unsqueeze(0) : this;
        var b = other.Rank == 1 ? other.Unsqueeze(1) : other;
        var y = MatMulBatched(a, b);
        if (Rank == 1) y = y.Squeeze(-2);
        if (other.Rank == 1) y = y.Squeeze(-1);
        return y;
    }

    private static Tensor Dot(Tensor a, Tensor b)
    {
        if (a._shape[0] != b._shape[0])
            throw new ArgumentException($"matmul: 1-D tensors of shapes {ShapeUtil.Format(a._shape)} and {ShapeUtil.Format(b._shape)} have different lengths.");
        int k = a._shape[0];
        float dot;
        if (a._strides[0] == 1 && b._strides[0] == 1)
            dot = TensorPrimitives.Dot(a.Storage.AsSpan(a._offset, k), b.Storage.AsSpan(b._offset, k));
        else
            dot = TensorPrimitives.Dot(a.ToArray(), b.ToArray());
        var y = Scalar(dot);
        // d(a·b)/da = b, d(a·b)/db = a
        return GradMode.ShouldRecord(a, b)
            ? GradMode.Record(y, "matmul", [a, b], g => [a.RequiresGrad ? g * b : null, b.RequiresGrad ? g * a : null])
            : y;
    }

    /// <summary>The product of two tensors of rank ≥ 2 with broadcast batch dimensions.</summary>
    private static Tensor MatMulBatched(Tensor a, Tensor b)
    {
        int ra = a.Rank, rb = b.Rank;
        int m = a._shape[ra - 2], k = a._shape[ra - 1], n = b._shape[rb - 1];
        if (b._shape[rb - 2] != k)
            throw new ArgumentException(
                $"matmul: shapes {ShapeUtil.Format(a._shape)} and {ShapeUtil.Format(b._shape)} cannot be multiplied ({m}×{k} and {b._shape[rb - 2]}×{n}).");
        var batch = ShapeUtil.Broadcast(a._shape.AsSpan(0, ra - 2), b._shape.AsSpan(0, rb - 2), "matmul");
        var outShape = new int[batch.Length + 2];
        batch.CopyTo(outShape, 0);
        outShape[^2] = m;
        outShape[^1] = n;
        // Every element is written by the GEMM (beta = 0), so the output skips zero-initialization.
        var data = TensorMemory.Rent(ShapeUtil.Numel(outShape));
        var y = Wrap(data, outShape);

        if (rb == 2 && ra > 2 && a.IsContiguous)
        {
            // [..., m, k] · [k, n]: the batch folds into the rows of one tall product (better blocking).
            var bl = MatrixOperand(b);
            int rows = ShapeUtil.Numel(a._shape.AsSpan(0, ra - 1));
            Gemm.Multiply(false, bl.trans, rows, n, k, 1f, a.Storage.AsSpan(a._offset), Math.Max(k, 1),
                bl.t.Storage.AsSpan(bl.offset), bl.ld, 0f, data, Math.Max(n, 1));
        }
        else
        {
            MultiplyBatches(a, b, batch, m, n, k, data);
        }

        return GradMode.ShouldRecord(a, b)
            ? GradMode.Record(y, "matmul", [a, b], g =>
            [
                // dA = g·Bᵀ and dB = Aᵀ·g per batch entry (the transposes are views: GEMM flags, no copies);
                // the engine sums over batch dimensions that were broadcast.
                a.RequiresGrad ? g.MatMul(b.Transpose(-1, -2)) : null,
                b.RequiresGrad
                    ? rb == 2 && ra > 2
                        ? a.Reshape(-1, k).Transpose(0, 1).MatMul(g.Reshape(-1, n)) // Σ over the folded batch in one product
                        : a.Transpose(-1, -2).MatMul(g)
                    : null,
            ])
            : y;
    }

    private static void MultiplyBatches(Tensor a, Tensor b, int[] batch, int m, int n, int k, float[] data)
    {
        var la = MatrixOperand(a);
        var lb = MatrixOperand(b);
        int ra = la.t.Rank, rb = lb.t.Rank;
        var sa = ShapeUtil.BroadcastStrides(la.t._shape.AsSpan(0, ra - 2), la.t._strides.AsSpan(0, ra - 2), batch);
        var sb = ShapeUtil.BroadcastStrides(lb.t._shape.AsSpan(0, rb - 2), lb.t._strides.AsSpan(0, rb - 2), batch);
        int count = ShapeUtil.Numel(batch), mn = m * n;
        if (count == 0 || mn == 0) return;
        float[] sta = la.t.Storage, stb = lb.t.Storage;

        void One(int index, int threads)
        {
            // Offsets of batch entry `index` (row-major over the broadcast batch shape).
            int offA = la.offset, offB = lb.offset, rest = index;
            for (int d = batch.Length - 1; d >= 0; d--)
            {
                int i = rest % batch[d];
                rest /= batch[d];
                offA += i * sa[d];
                offB += i * sb[d];
            }
            Gemm.Multiply(la.trans, lb.trans, m, n, k, 1f, sta.AsSpan(offA), la.ld, stb.AsSpan(offB), lb.ld,
                0f, data.AsSpan(index * mn, mn), n, threads);
        }

        // Many small matrices: one thread per group of entries. Large ones: the GEMM splits each.
        // Either way every entry is computed the same way, so results do not depend on the thread count.
        if (count > 1 && (long)m * n * k < (1 << 21))
        {
            int parts = Math.Min(count, Parallelism.MaxThreads * 4);
            Parallelism.For(parts, p =>
            {
                for (int i = (int)((long)count * p / parts); i < (int)((long)count * (p + 1) / parts); i++) One(i, 1);
            });
        }
        else
        {
            for (int i = 0; i < count; i++) One(i, 0);
        }
    }

    /// <summary>
    /// How the GEMM reads the last two dimensions of <paramref name="t"/> in place: row-major with leading
    /// dimension ld, or (trans) as the transpose of a row-major matrix. Copies only when neither fits.
    /// </summary>
    private static (Tensor t, bool trans, int ld, int offset) MatrixOperand(Tensor t)
    {
        var (ok, trans, ld) = MatrixLayout(t);
        if (!ok)
        {
            t = t.Contiguous().Detach();
            (_, trans, ld) = MatrixLayout(t);
        }
        return (t, trans, ld, t._offset);
    }

    private static (bool ok, bool trans, int ld) MatrixLayout(Tensor t)
    {
        int r = t.Rank;
        int rows = t._shape[r - 2], cols = t._shape[r - 1];
        int rs = t._strides[r - 2], cs = t._strides[r - 1];
        if (rows == 0 || cols == 0) return (true, false, Math.Max(cols, 1));
        // A stride only matters for a dimension longer than 1.
        if ((cs == 1 || cols == 1) && (rs >= cols || rows == 1)) return (true, false, rows == 1 ? cols : rs);
        if ((rs == 1 || rows == 1) && cs >= Math.Max(rows, 1) && cs > 0) return (true, true, cs);
        return (false, false, 0);
    }
}
