using NeuroCore.Layout;

namespace NeuroCore.NN;

/// <summary>Argument checks and dense data access shared by the functional ops (losses, normalization, embedding, dropout).</summary>
internal static class FunctionalArgs
{
    /// <summary>The float elements in row-major order: the tensor's own storage when it is contiguous (read only!), else a copy.</summary>
    public static float[] DenseFloats(Tensor t) =>
        t.IsContiguous && t.Offset == 0 && t.Storage.Length == t.Numel ? t.Storage : t.ToArray();

    /// <summary>The int64 elements in row-major order (the storage itself when it is dense, else a copy).</summary>
    public static long[] DenseLongs(Tensor t) =>
        t.IsContiguous && t.Offset == 0 && t.LongStorage.Length == t.Numel ? t.LongStorage : t.ToLongArray();

    /// <summary>Throws unless both tensors are float32 with exactly the same shape.</summary>
    public static void SameShapeFloats(string op, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.DType != DType.Float32 || b.DType != DType.Float32)
            throw new ArgumentException($"{op}: expected float32 input and target, got {a.DType} and {b.DType}.");
        if (!ShapeUtil.SameShape(a.ShapeRef, b.ShapeRef))
            throw new ArgumentException(
                $"{op}: input shape {ShapeUtil.Format(a.ShapeRef)} and target shape {ShapeUtil.Format(b.ShapeRef)} must match exactly " +
                "(NeuroCore does not broadcast loss arguments; reshape one of them).");
    }

    /// <summary>
    /// Validates class-index targets for scores [N, C] with target [N], scores [C] with a scalar target, or
    /// scores [N, C, d₁, …] with target [N, d₁, …], and returns (N, C, S = d₁·…). Every target must be in
    /// [0, C) or equal <paramref name="ignoreIndex"/>.
    /// </summary>
    public static (int n, int classes, int spatial) ClassTargets(string op, Tensor scores, Tensor target, long ignoreIndex)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(target);
        if (scores.DType != DType.Float32)
            throw new ArgumentException($"{op}: the input must be float32 scores, got int64 with shape {ShapeUtil.Format(scores.ShapeRef)}.");
        if (target.DType != DType.Int64)
            throw new ArgumentException(
                $"{op}: the target must be int64 class indices, got float32 with shape {ShapeUtil.Format(target.ShapeRef)}. " +
                "Create it with Tensor.FromArray(new long[] { ... }).");
        var ss = scores.ShapeRef;
        var ts = target.ShapeRef;
        int n, classes, spatial = 1;
        if (ss.Length == 1 && ts.Length == 0)
        {
            n = 1;
            classes = ss[0];
        }
        else if (ss.Length >= 2 && ts.Length == ss.Length - 1)
        {
            n = ss[0];
            classes = ss[1];
            bool match = ts[0] == n;
            for (int i = 2; i < ss.Length; i++)
            {
                match &= ts[i - 1] == ss[i];
                spatial *= ss[i];
            }
            if (!match)
                throw new ArgumentException(
                    $"{op}: input shape {ShapeUtil.Format(ss)} needs a target of shape {ShapeUtil.Format([ss[0], .. ss[2..]])} " +
                    $"(the input's shape without the class dimension 1), got {ShapeUtil.Format(ts)}.");
        }
        else
        {
            throw new ArgumentException(
                $"{op}: expected input [N, C] with target [N] (or [C] with a scalar target, or [N, C, d1, ...] with target [N, d1, ...]); " +
                $"got input {ShapeUtil.Format(ss)} and target {ShapeUtil.Format(ts)}.");
        }
        var t = DenseLongs(target);
        for (int r = 0; r < t.Length; r++)
        {
            long c = t[r];
            if (c == ignoreIndex) continue;
            if (c < 0 || c >= classes)
                throw new ArgumentException(
                    $"{op}: target{FormatIndex(r, ts)} = {c} is out of range for {classes} classes (expected 0..{classes - 1}, or the ignore index {ignoreIndex}).");
        }
        return (n, classes, spatial);
    }

    /// <summary>The multi-index of flat position <paramref name="flat"/> in <paramref name="shape"/>, as "[i, j]".</summary>
    private static string FormatIndex(int flat, int[] shape)
    {
        if (shape.Length == 0) return "";
        var idx = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return ShapeUtil.Format(idx);
    }

    /// <summary>
    /// Scores [N, C, S] as dense rows [N·S, C] (one row of class scores per position, in target order).
    /// For S = 1 that is the data itself; otherwise the class dimension is moved last.
    /// </summary>
    public static float[] ClassRows(Tensor scores, int n, int classes, int spatial)
    {
        var x = DenseFloats(scores);
        if (spatial == 1) return x;
        var rows = new float[x.Length];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < classes; c++)
                for (int p = 0; p < spatial; p++)
                    rows[(i * spatial + p) * classes + c] = x[(i * classes + c) * spatial + p];
        return rows;
    }

    /// <summary>The inverse of <see cref="ClassRows"/>: rows [N·S, C] back to [N, C, S].</summary>
    public static float[] ClassRowsBack(float[] rows, int n, int classes, int spatial)
    {
        if (spatial == 1) return rows;
        var x = new float[rows.Length];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < classes; c++)
                for (int p = 0; p < spatial; p++)
                    x[(i * classes + c) * spatial + p] = rows[(i * spatial + p) * classes + c];
        return x;
    }

    /// <summary>The number of targets not equal to <paramref name="ignoreIndex"/>.</summary>
    public static int CountNotIgnored(ReadOnlySpan<long> target, long ignoreIndex)
    {
        int n = 0;
        foreach (long t in target) if (t != ignoreIndex) n++;
        return n;
    }
}
