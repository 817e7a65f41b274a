using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using NeuroCore.Layout;

namespace NeuroCore.Kernels;

/// <summary>A binary element-wise operation: a scalar definition plus vectorized span forms.</summary>
internal interface IBinaryOp
{
    static abstract float Apply(float a, float b);
    static abstract void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst);
    static abstract void Apply(ReadOnlySpan<float> a, float b, Span<float> dst);
    static abstract void Apply(float a, ReadOnlySpan<float> b, Span<float> dst);
    static abstract Vector256<float> Apply(Vector256<float> a, Vector256<float> b);
    static abstract Vector512<float> Apply(Vector512<float> a, Vector512<float> b);
}

internal readonly struct AddOp : IBinaryOp
{
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => a + b;
    public static Vector512<float> Apply(Vector512<float> a, Vector512<float> b) => a + b;
    public static float Apply(float a, float b) => a + b;
    public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Add(a, b, d);
    public static void Apply(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Add(a, b, d);
    public static void Apply(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Add(b, a, d);
}

internal readonly struct SubOp : IBinaryOp
{
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => a - b;
    public static Vector512<float> Apply(Vector512<float> a, Vector512<float> b) => a - b;
    public static float Apply(float a, float b) => a - b;
    public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Subtract(a, b, d);
    public static void Apply(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Subtract(a, b, d);
    public static void Apply(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Subtract(a, b, d);
}

internal readonly struct MulOp : IBinaryOp
{
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => a * b;
    public static Vector512<float> Apply(Vector512<float> a, Vector512<float> b) => a * b;
    public static float Apply(float a, float b) => a * b;
    public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Multiply(a, b, d);
    public static void Apply(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Multiply(a, b, d);
    public static void Apply(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Multiply(b, a, d);
}

internal readonly struct DivOp : IBinaryOp
{
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => a / b;
    public static Vector512<float> Apply(Vector512<float> a, Vector512<float> b) => a / b;
    public static float Apply(float a, float b) => a / b;
    public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Divide(a, b, d);
    public static void Apply(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Divide(a, b, d);
    public static void Apply(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Divide(a, b, d);
}

/// <summary>dst = src (the second operand): lets in-place copy reuse the binary in-place walk.</summary>
internal readonly struct CopyOp : IBinaryOp
{
    public static float Apply(float a, float b) => b;
    public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => b.CopyTo(d);
    public static void Apply(ReadOnlySpan<float> a, float b, Span<float> d) => d[..a.Length].Fill(b);
    public static void Apply(float a, ReadOnlySpan<float> b, Span<float> d) => b.CopyTo(d);
    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => b;
    public static Vector512<float> Apply(Vector512<float> a, Vector512<float> b) => b;
}

// In-place work runs through SimdMap (plain vector stores) rather than TensorPrimitives: for spans
// over 256 KB TensorPrimitives 11 switches to non-temporal stores, which push a cache-resident tensor
// out to memory — measured 2–3× slower for ReLU or add in place on 1M floats (see docs/performance.md).

/// <summary>x = op(x, b) for a binary op, as an <see cref="IBinaryFn"/> over (x, b).</summary>
internal readonly struct OpFn<TOp> : IBinaryFn where TOp : IBinaryOp
{
    public float Invoke(float a, float b) => TOp.Apply(a, b);
    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => TOp.Apply(a, b);
    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => TOp.Apply(a, b);
}

/// <summary>x = op(x, value) for a binary op and a scalar operand.</summary>
internal readonly struct ScalarMap<TOp>(float value) : IUnaryFn where TOp : IBinaryOp
{
    public float Invoke(float x) => TOp.Apply(x, value);
    public Vector256<float> Invoke(Vector256<float> x) => TOp.Apply(x, Vector256.Create(value));
    public Vector512<float> Invoke(Vector512<float> x) => TOp.Apply(x, Vector512.Create(value));
}

/// <summary>x = max(x, 0) with IEEE maximum semantics (NaN propagates, max(−0, 0) = +0), as <c>Tensor.Relu</c>.</summary>
internal readonly struct ReluMap : IUnaryFn
{
    public float Invoke(float x) => MathF.Max(x, 0f);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);
}

/// <summary>x = min(max(x, lo), hi), as <c>Tensor.Clamp</c> computes it.</summary>
internal readonly struct ClampMap(float lo, float hi) : IUnaryFn
{
    public float Invoke(float x) => MathF.Min(MathF.Max(x, lo), hi);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Min(Vector256.Max(x, Vector256.Create(lo)), Vector256.Create(hi));
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Min(Vector512.Max(x, Vector512.Create(lo)), Vector512.Create(hi));
}

/// <summary>x = value.</summary>
internal readonly struct FillMap(float value) : IUnaryFn
{
    public float Invoke(float x) => value;
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Create(value);
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Create(value);
}

/// <summary>Span-in, span-out element-wise kernels over strided, broadcast operands.</summary>
internal static class ElementwiseKernels
{
    /// <summary>
    /// Dense spans at least this long are split over <see cref="Parallelism.MaxThreads"/> threads.
    /// Below it (4 MB of floats, about the L2 of two cores) one thread is near memory speed already
    /// and waking a second costs more than it saves.
    /// </summary>
    internal const int ParallelThreshold = 1 << 20;

    /// <summary>Chunks per thread: more than one so that a descheduled thread's share is picked up by the other.</summary>
    private const int ChunksPerThread = 4;

    /// <summary>
    /// Number of chunks and chunk length (a multiple of 16 floats = one 64-byte line, so no two
    /// threads write the same cache line) for a dense span of <paramref name="n"/> elements;
    /// 1 chunk when it should stay on the calling thread.
    /// </summary>
    private static int Chunks(int n, out int chunk)
    {
        int threads = Parallelism.MaxThreads;
        if (n < ParallelThreshold || threads <= 1)
        {
            chunk = n;
            return 1;
        }
        int parts = threads * ChunksPerThread;
        chunk = ((n + parts - 1) / parts + 15) & ~15;
        return (n + chunk - 1) / chunk;
    }

    /// <summary>dst[i] = op(a[i], b[i]) over dense spans of n elements at the given offsets, threaded when large.</summary>
    public static void BinaryDense<TOp>(float[] a, int offsetA, float[] b, int offsetB, float[] dst, int offsetD, int n) where TOp : IBinaryOp
    {
        int parts = Chunks(n, out int chunk);
        if (parts == 1) TOp.Apply(a.AsSpan(offsetA, n), b.AsSpan(offsetB, n), dst.AsSpan(offsetD, n));
        else BinaryDenseParallel<TOp>(a, offsetA, b, offsetB, dst, offsetD, n, parts, chunk);
    }

    private static void BinaryDenseParallel<TOp>(float[] a, int offsetA, float[] b, int offsetB, float[] dst, int offsetD, int n, int parts, int chunk) where TOp : IBinaryOp =>
        Parallelism.For(parts, p =>
        {
            int s = p * chunk, len = Math.Min(chunk, n - s);
            TOp.Apply(a.AsSpan(offsetA + s, len), b.AsSpan(offsetB + s, len), dst.AsSpan(offsetD + s, len));
        });

    /// <summary>dst[i] = op(dst[i], b[i]) over dense spans of n elements (plain stores, see OpFn), threaded when large.</summary>
    private static void InPlaceDense<TOp>(float[] dst, int offsetD, float[] b, int offsetB, int n) where TOp : IBinaryOp
    {
        int parts = Chunks(n, out int chunk);
        if (parts == 1)
        {
            var d = dst.AsSpan(offsetD, n);
            SimdMap.Binary(default(OpFn<TOp>), d, b.AsSpan(offsetB, n), d);
        }
        else
            Parallelism.For(parts, p =>
            {
                int s = p * chunk, len = Math.Min(chunk, n - s);
                var d = dst.AsSpan(offsetD + s, len);
                SimdMap.Binary(default(OpFn<TOp>), d, b.AsSpan(offsetB + s, len), d);
            });
    }

    /// <summary>x = map(x) over a dense span of n elements, threaded when large.</summary>
    public static void MapDense<TMap>(TMap map, float[] x, int offset, int n) where TMap : struct, IUnaryFn
    {
        int parts = Chunks(n, out int chunk);
        if (parts == 1) SimdMap.Unary(map, x.AsSpan(offset, n), x.AsSpan(offset, n));
        else
            Parallelism.For(parts, p =>
            {
                int s = p * chunk;
                var span = x.AsSpan(offset + s, Math.Min(chunk, n - s));
                SimdMap.Unary(map, span, span);
            });
    }

    /// <summary>
    /// dst[i] = op(dst[i], b[i]) in place over <paramref name="shape"/>: dst is read and written
    /// through its own strides (a view writes into its base), b through (broadcast) strides. dst must
    /// not have overlapping elements, and b must not partially overlap dst (callers copy it first).
    /// </summary>
    public static void BinaryInPlace<TOp>(
        float[] dst, ReadOnlySpan<int> stridesD, int offsetD,
        float[] b, ReadOnlySpan<int> stridesB, int offsetB,
        ReadOnlySpan<int> shape) where TOp : IBinaryOp
    {
        Span<int> buffer = stackalloc int[4 * Math.Max(shape.Length, 1)];
        var loop = new StridedLoop(shape, stridesD, offsetD, stridesB, offsetB, buffer);
        int n = loop.RowLength, sd = loop.InnerStrideA, sb = loop.InnerStrideB;
        if (loop.RowCount == 1 && sd == 1 && sb == 1)
        {
            InPlaceDense<TOp>(dst, offsetD, b, offsetB, n);
            return;
        }
        if (loop.RowCount == 1 && sd == 1 && sb == 0)
        {
            MapDense(new ScalarMap<TOp>(b[offsetB]), dst, offsetD, n);
            return;
        }
        while (loop.MoveNext())
        {
            if (sd == 1)
            {
                var d = dst.AsSpan(loop.OffsetA, n);
                if (sb == 1) SimdMap.Binary(default(OpFn<TOp>), d, b.AsSpan(loop.OffsetB, n), d);
                else if (sb == 0) SimdMap.Unary(new ScalarMap<TOp>(b[loop.OffsetB]), d, d);
                else
                {
                    int ib = loop.OffsetB;
                    for (int i = 0; i < n; i++, ib += sb) d[i] = TOp.Apply(d[i], b[ib]);
                }
            }
            else
            {
                int id = loop.OffsetA, ib = loop.OffsetB;
                for (int i = 0; i < n; i++, id += sd, ib += sb) dst[id] = TOp.Apply(dst[id], b[ib]);
            }
        }
    }

    /// <summary>x = map(x) in place over <paramref name="shape"/>, reading and writing through x's strides.</summary>
    public static void MapInPlace<TMap>(TMap map, float[] x, ReadOnlySpan<int> strides, int offset, ReadOnlySpan<int> shape) where TMap : struct, IUnaryFn
    {
        Span<int> buffer = stackalloc int[4 * Math.Max(shape.Length, 1)];
        var loop = new StridedLoop(shape, strides, offset, strides, offset, buffer);
        int n = loop.RowLength, s = loop.InnerStrideA;
        if (loop.RowCount == 1 && s == 1)
        {
            MapDense(map, x, offset, n);
            return;
        }
        while (loop.MoveNext())
        {
            if (s == 1) SimdMap.Unary(map, x.AsSpan(loop.OffsetA, n), x.AsSpan(loop.OffsetA, n));
            else
            {
                int j = loop.OffsetA;
                for (int i = 0; i < n; i++, j += s) x[j] = map.Invoke(x[j]);
            }
        }
    }

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
