using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuroCore.Kernels;

/// <summary>
/// An element-wise function of one float with its scalar and vector forms. The scalar form handles
/// the tail of a span that does not fill a vector, so both must compute the same formula.
/// </summary>
internal interface IUnaryFn
{
    float Invoke(float x);
    Vector256<float> Invoke(Vector256<float> x);
    Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>An element-wise function of two floats (typically a saved input and an upstream gradient).</summary>
internal interface IBinaryFn
{
    float Invoke(float a, float b);
    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);
    Vector512<float> Invoke(Vector512<float> a, Vector512<float> b);
}

/// <summary>
/// Drives an <see cref="IUnaryFn"/> / <see cref="IBinaryFn"/> over dense spans: 512-bit vectors when
/// the hardware accelerates them, then 256-bit vectors, then scalars for the remainder. The function
/// is a struct type parameter so the JIT specializes and inlines it (no delegate call per element).
/// </summary>
internal static class SimdMap
{
    /// <summary>dst[i] = fn(x[i]). <paramref name="dst"/> may be <paramref name="x"/> itself.</summary>
    public static void Unary<TFn>(TFn fn, ReadOnlySpan<float> x, Span<float> dst) where TFn : struct, IUnaryFn
    {
        if (dst.Length < x.Length) throw new ArgumentException("Internal: destination span is too short.", nameof(dst));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ds = ref MemoryMarshal.GetReference(dst);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                fn.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                fn.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref ds, i) = fn.Invoke(Unsafe.Add(ref xs, i));
    }

    /// <summary>dst[i] = fn(a[i], b[i]) for spans of equal length. <paramref name="dst"/> may alias an input.</summary>
    public static void Binary<TFn>(TFn fn, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst) where TFn : struct, IBinaryFn
    {
        if (a.Length != b.Length || dst.Length < a.Length) throw new ArgumentException("Internal: span lengths do not match.");
        ref float As = ref MemoryMarshal.GetReference(a);
        ref float bs = ref MemoryMarshal.GetReference(b);
        ref float ds = ref MemoryMarshal.GetReference(dst);
        int n = a.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                fn.Invoke(Vector512.LoadUnsafe(ref As, (nuint)i), Vector512.LoadUnsafe(ref bs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                fn.Invoke(Vector256.LoadUnsafe(ref As, (nuint)i), Vector256.LoadUnsafe(ref bs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref ds, i) = fn.Invoke(Unsafe.Add(ref As, i), Unsafe.Add(ref bs, i));
    }
}
