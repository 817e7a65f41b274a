using System.Numerics.Tensors;
using NeuroCore.Layout;

namespace NeuroCore.Kernels;

/// <summary>A binary element-wise operation: a scalar definition plus vectorized span forms.</summary>
internal interface IBinaryOp
{
    static abstract float Apply(float a, float b);
    static abstract void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst);
    static abstract void Apply(ReadOnlySpan<float> a, float b, Span<float> dst);
    static abstract void Apply(float a, ReadOnlySpan<float> b, Span<float> dst);
}

internal readonly struct AddOp : IBinaryOp
{
    public static float Apply(float a, float b) => a + b;
    public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Add(a, b, d);
    public static void Apply(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Add(a, b, d);
    public static void Apply(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Add(b, a, d);
}

internal readonly struct SubOp : IBinaryOp
{
    public static float Apply(float a, float b) => a - b;
    public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Subtract(a, b, d);
    public static void Apply(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Subtract(a, b, d);
    public static void Apply(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Subtract(a, b, d);
}

internal readonly struct MulOp : IBinaryOp
{
    public static float Apply(float a, float b) => a * b;
    public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Multiply(a, b, d);
    public static void Apply(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Multiply(a, b, d);
    public static void Apply(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Multiply(b, a, d);
}

internal readonly struct DivOp : IBinaryOp
{
    public static float Apply(float a, float b) => a / b;
    public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Divide(a, b, d);
    public static void Apply(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Divide(a, b, d);
    public static void Apply(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Divide(a, b, d);
}

/// <summary>Span-in, span-out element-wise kernels over strided, broadcast operands.</summary>
internal static class ElementwiseKernels
{
    /// <summary>
    /// dst[i] = op(a[i], b[i]) over <paramref name="shape"/>, where a and b are read through
    /// (broadcast) strides and dst is dense row-major.
    /// </summary>
    public static void Binary<TOp>(
        float[] a, ReadOnlySpan<int> stridesA, int offsetA,
        float[] b, ReadOnlySpan<int> stridesB, int offsetB,
        ReadOnlySpan<int> shape, Span<float> dst) where TOp : IBinaryOp
    {
        Span<int> buffer = stackalloc int[4 * Math.Max(shape.Length, 1)];
        var loop = new StridedLoop(shape, stridesA, offsetA, stridesB, offsetB, buffer);
        int n = loop.RowLength, sa = loop.InnerStrideA, sb = loop.InnerStrideB;
        int o = 0;
        while (loop.MoveNext())
        {
            var d = dst.Slice(o, n);
            if (sa == 1 && sb == 1) TOp.Apply(a.AsSpan(loop.OffsetA, n), b.AsSpan(loop.OffsetB, n), d);
            else if (sa == 1 && sb == 0) TOp.Apply(a.AsSpan(loop.OffsetA, n), b[loop.OffsetB], d);
            else if (sa == 0 && sb == 1) TOp.Apply(a[loop.OffsetA], b.AsSpan(loop.OffsetB, n), d);
            else
            {
                int ia = loop.OffsetA, ib = loop.OffsetB;
                for (int i = 0; i < n; i++, ia += sa, ib += sb) d[i] = TOp.Apply(a[ia], b[ib]);
            }
            o += n;
        }
    }

    /// <summary>Copies a strided view into dense row-major <paramref name="dst"/>.</summary>
    public static void Copy<T>(T[] src, ReadOnlySpan<int> strides, int offset, ReadOnlySpan<int> shape, Span<T> dst)
    {
        Span<int> buffer = stackalloc int[4 * Math.Max(shape.Length, 1)];
        var loop = new StridedLoop(shape, strides, offset, strides, offset, buffer);
        int n = loop.RowLength, s = loop.InnerStrideA;
        int o = 0;
        while (loop.MoveNext())
        {
            if (s == 1) src.AsSpan(loop.OffsetA, n).CopyTo(dst.Slice(o, n));
            else
            {
                int j = loop.OffsetA;
                for (int i = 0; i < n; i++, j += s) dst[o + i] = src[j];
            }
            o += n;
        }
    }
}
