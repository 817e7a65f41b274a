using System.Numerics.Tensors;

namespace NeuroCore.Kernels;

/// <summary>
/// Softmax and log-softmax over one axis of a dense tensor viewed as [outer, n, inner] (the axis has
/// length n and stride inner). inner = 1 is the common last-dimension case: each row is contiguous
/// and is processed with whole-row <see cref="TensorPrimitives"/> calls. Otherwise the kernels sweep
/// the n slices of length inner, vectorized across inner. All are numerically stable: the maximum
/// is subtracted before exponentiating.
/// </summary>
internal static class SoftmaxKernels
{
    /// <summary>dst = softmax(src) over the axis. <paramref name="scratch"/> must hold inner floats.</summary>
    public static void Softmax(ReadOnlySpan<float> src, int outer, int n, int inner, Span<float> dst, Span<float> scratch)
    {
        if (n == 0 || inner == 0) return;
        for (int o = 0; o < outer; o++)
        {
            int b = o * n * inner;
            if (inner == 1)
            {
                var d = dst.Slice(b, n);
                ExpMinusMax(src.Slice(b, n), d);
                TensorPrimitives.Divide(d, TensorPrimitives.Sum(d), d);
                continue;
            }
            var m = scratch[..inner];
            ExpMinusColumnMax(src, b, n, inner, dst, m);
            ColumnSum(dst, b, n, inner, m); // the max is used up: its scratch now holds the sum
            for (int k = 0; k < n; k++)
            {
                var d = dst.Slice(b + k * inner, inner);
                TensorPrimitives.Divide(d, m, d);
            }
        }
    }

    /// <summary>dst = log_softmax(src) = src − max − log Σ exp(src − max). <paramref name="scratch"/> must hold 2·inner floats.</summary>
    public static void LogSoftmax(ReadOnlySpan<float> src, int outer, int n, int inner, Span<float> dst, Span<float> scratch)
    {
        if (n == 0 || inner == 0) return;
        for (int o = 0; o < outer; o++)
        {
            int b = o * n * inner;
            if (inner == 1)
            {
                var row = src.Slice(b, n);
                var d = dst.Slice(b, n);
                float max = ExpMinusMax(row, d);
                float logSum = MathF.Log(TensorPrimitives.Sum(d));
                // (x − max) − log Σ, in that order: x − max is exact near the maximum. A row holding
                // +∞ has max = +∞ and ∞ − ∞ = NaN, as PyTorch also produces.
                TensorPrimitives.Subtract(row, max, d);
                TensorPrimitives.Subtract(d, logSum, d);
                continue;
            }
            var m = scratch[..inner];
            var s = scratch.Slice(inner, inner);
            ExpMinusColumnMax(src, b, n, inner, dst, m); // temporary: dst is overwritten below
            ColumnSum(dst, b, n, inner, s);
            TensorPrimitives.Log(s, s);
            for (int k = 0; k < n; k++)
            {
                var d = dst.Slice(b + k * inner, inner);
                TensorPrimitives.Subtract(src.Slice(b + k * inner, inner), m, d);
                TensorPrimitives.Subtract(d, s, d);
            }
        }
    }

    /// <summary>
    /// Softmax backward: dst = y·(g − Σₖ g·y) over the axis. <paramref name="scratch"/> must hold inner floats.
    /// </summary>
    public static void SoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> g, int outer, int n, int inner, Span<float> dst, Span<float> scratch)
    {
        if (n == 0 || inner == 0) return;
        for (int o = 0; o < outer; o++)
        {
            int b = o * n * inner;
            if (inner == 1)
            {
                var yr = y.Slice(b, n);
                var d = dst.Slice(b, n);
                float dot = TensorPrimitives.Dot(g.Slice(b, n), yr);
                TensorPrimitives.Subtract(g.Slice(b, n), dot, d);
                TensorPrimitives.Multiply(d, yr, d);
                continue;
            }
            var s = scratch[..inner];
            s.Clear();
            for (int k = 0; k < n; k++)
                TensorPrimitives.MultiplyAdd(g.Slice(b + k * inner, inner), y.Slice(b + k * inner, inner), s, s);
            for (int k = 0; k < n; k++)
            {
                var d = dst.Slice(b + k * inner, inner);
                TensorPrimitives.Subtract(g.Slice(b + k * inner, inner), s, d);
                TensorPrimitives.Multiply(d, y.Slice(b + k * inner, inner), d);
            }
        }
    }

    /// <summary>
    /// Log-softmax backward: dst = g − exp(y)·Σₖ g over the axis, y the log-softmax output.
    /// <paramref name="scratch"/> must hold inner floats.
    /// </summary>
    public static void LogSoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> g, int outer, int n, int inner, Span<float> dst, Span<float> scratch)
    {
        if (n == 0 || inner == 0) return;
        for (int o = 0; o < outer; o++)
        {
            int b = o * n * inner;
            if (inner == 1)
            {
                var d = dst.Slice(b, n);
                float sum = TensorPrimitives.Sum(g.Slice(b, n));
                TensorPrimitives.Exp(y.Slice(b, n), d);
                // d = g − softmax·sum, as one fused multiply-add: (softmax · −sum) + g
                TensorPrimitives.MultiplyAdd(d, -sum, g.Slice(b, n), d);
                continue;
            }
            var s = scratch[..inner];
            ColumnSum(g, b, n, inner, s);
            TensorPrimitives.Negate(s, s);
            for (int k = 0; k < n; k++)
            {
                var d = dst.Slice(b + k * inner, inner);
                TensorPrimitives.Exp(y.Slice(b + k * inner, inner), d);
                TensorPrimitives.MultiplyAdd(d, s, g.Slice(b + k * inner, inner), d);
            }
        }
    }

    /// <summary>m[i] = maxₖ src[b + k·inner + i] (NaN propagates).</summary>
    /// <summary>dst = exp(row − max(row)), the stable numerator shared by softmax and log-softmax; returns the max.</summary>
    private static float ExpMinusMax(ReadOnlySpan<float> row, Span<float> dst)
    {
        float max = TensorPrimitives.Max(row);
        TensorPrimitives.Subtract(row, max, dst);
        TensorPrimitives.Exp(dst, dst);
        return max;
    }

    /// <summary>m = the column maxima of the n slices at b; each dst slice = exp(src slice − m).</summary>
    private static void ExpMinusColumnMax(ReadOnlySpan<float> src, int b, int n, int inner, Span<float> dst, Span<float> m)
    {
        ColumnMax(src, b, n, inner, m);
        for (int k = 0; k < n; k++)
        {
            var d = dst.Slice(b + k * inner, inner);
            TensorPrimitives.Subtract(src.Slice(b + k * inner, inner), m, d);
            TensorPrimitives.Exp(d, d);
        }
    }

    private static void ColumnMax(ReadOnlySpan<float> src, int b, int n, int inner, Span<float> m)
    {
        src.Slice(b, inner).CopyTo(m);
        for (int k = 1; k < n; k++) TensorPrimitives.Max(m, src.Slice(b + k * inner, inner), m);
    }

    /// <summary>s[i] = Σₖ src[b + k·inner + i].</summary>
    private static void ColumnSum(ReadOnlySpan<float> src, int b, int n, int inner, Span<float> s)
    {
        src.Slice(b, inner).CopyTo(s);
        for (int k = 1; k < n; k++) TensorPrimitives.Add(s, src.Slice(b + k * inner, inner), s);
    }
}
