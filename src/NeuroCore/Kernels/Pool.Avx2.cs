using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuroCore.Kernels;

// AVX2 tier: the CNN's usual 2x2, stride-2 pools with the even/odd columns of a row pair split in registers.
internal static partial class PoolKernels
{
    /// <summary>
    /// The CNN's usual 2×2, stride-2 max pool: 16 inputs of a row pair are split into even and odd
    /// columns in registers (AVX2 permutes), giving the four window positions of 8 outputs at once.
    /// </summary>
    private static unsafe void Max2x2(ReadOnlySpan<float> x, int planes, int h, int w, int oh, int ow, Span<float> y, Span<int> argmax)
    {
        var split = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var lane2 = Vector256<int>.Indices * 2;
        var lane2x4 = Vector128<int>.Indices * 2;
        fixed (float* px = x, py = y)
        fixed (int* pa = argmax)
        {
            for (int pl = 0; pl < planes; pl++)
            {
                float* src = px + (long)pl * h * w;
                for (int r = 0; r < oh; r++)
                {
                    float* row0 = src + 2 * r * w, row1 = row0 + w;
                    int o = (pl * oh + r) * ow, c = 0;
                    // c + 8 ≤ ow = ⌊w/2⌋ keeps the 16 loaded columns inside the row. A ragged end is done by one
                    // more block aligned to the row's end, recomputing a few outputs (same values), because a
                    // scalar tail's branchy compares would cost more than the vector part (ow = 13 in the CNN).
                    for (; ow >= 8; c += 8)
                    {
                        if (c + 8 > ow) c = ow - 8;
                        var (e0, o0) = Deinterleave(Avx.LoadVector256(row0 + 2 * c), Avx.LoadVector256(row0 + 2 * c + 8), split);
                        var (e1, o1) = Deinterleave(Avx.LoadVector256(row1 + 2 * c), Avx.LoadVector256(row1 + 2 * c + 8), split);
                        // Window positions in row-major order 0..3; replace when strictly greater or NaN (torch's rule).
                        var best = e0;
                        var idx = Vector256<int>.Zero;
                        Take(ref best, ref idx, o0, 1);
                        Take(ref best, ref idx, e1, 2);
                        Take(ref best, ref idx, o1, 3);
                        Avx.Store(py + o + c, best);
                        var at = Vector256.Create(2 * r * w + 2 * c) + lane2 + (idx >> 1) * w + (idx & Vector256<int>.One);
                        Avx.Store(pa + o + c, at);
                        if (c + 8 == ow) { c = ow; break; }
                    }
                    // 4 ≤ ow < 8 (the CNN's second pool: 11×11 → 5×5): the same in 4-wide blocks, ragged end
                    // aligned to the row's end. The branchy scalar loop below made this pool as slow as the
                    // first one, which has 4× the outputs.
                    for (; ow >= 4 && c < ow; c += 4)
                    {
                        if (c + 4 > ow) c = ow - 4;
                        var (e0, o0) = Deinterleave(Sse.LoadVector128(row0 + 2 * c), Sse.LoadVector128(row0 + 2 * c + 4));
                        var (e1, o1) = Deinterleave(Sse.LoadVector128(row1 + 2 * c), Sse.LoadVector128(row1 + 2 * c + 4));
                        var best = e0;
                        var idx = Vector128<int>.Zero;
                        Take(ref best, ref idx, o0, 1);
                        Take(ref best, ref idx, e1, 2);
                        Take(ref best, ref idx, o1, 3);
                        Sse.Store(py + o + c, best);
                        var at = Vector128.Create(2 * r * w + 2 * c) + lane2x4 + (idx >> 1) * w + (idx & Vector128<int>.One);
                        Sse2.Store(pa + o + c, at);
                    }
                    for (; c < ow; c++)
                    {
                        int start = 2 * r * w + 2 * c;
                        float best = float.NegativeInfinity;
                        int bestIndex = start;
                        for (int q = 0; q < 4; q++)
                        {
                            int at = start + (q >> 1) * w + (q & 1);
                            float v = src[at];
                            if (v > best || float.IsNaN(v)) { best = v; bestIndex = at; }
                        }
                        py[o + c] = best;
                        pa[o + c] = bestIndex;
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(ref Vector256<float> best, ref Vector256<int> idx, Vector256<float> v, int position)
    {
        var take = Vector256.GreaterThan(v, best) | ~Vector256.Equals(v, v);
        best = Vector256.ConditionalSelect(take, v, best);
        idx = Vector256.ConditionalSelect(take.AsInt32(), Vector256.Create(position), idx);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(ref Vector128<float> best, ref Vector128<int> idx, Vector128<float> v, int position)
    {
        var take = Vector128.GreaterThan(v, best) | ~Vector128.Equals(v, v);
        best = Vector128.ConditionalSelect(take, v, best);
        idx = Vector128.ConditionalSelect(take.AsInt32(), Vector128.Create(position), idx);
    }

    /// <summary>Even and odd elements of the 8 floats a, b (in order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> even, Vector128<float> odd) Deinterleave(Vector128<float> a, Vector128<float> b) =>
        (Sse.Shuffle(a, b, 0b10_00_10_00), Sse.Shuffle(a, b, 0b11_01_11_01));

    /// <summary>Even and odd elements of the 16 floats a, b (in order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> even, Vector256<float> odd) Deinterleave(Vector256<float> a, Vector256<float> b, Vector256<int> split)
    {
        var pa = Avx2.PermuteVar8x32(a, split); // a0 a2 a4 a6 | a1 a3 a5 a7
        var pb = Avx2.PermuteVar8x32(b, split);
        return (Avx.Permute2x128(pa, pb, 0x20), Avx.Permute2x128(pa, pb, 0x31));
    }

    /// <summary>
    /// 2×2, stride-2 max-pool backward without clearing or scattering: windows do not overlap, so each dx
    /// element is either its window's argmax (gets g) or not (gets 0). For 8 (or 4) outputs the four window
    /// positions are selected lane-wise and interleaved back into the two dx rows; an odd last column or row
    /// (outside every window) is zeroed. Every dx element of the planes is written.
    /// </summary>
    internal static unsafe void MaxBackward2x2(ReadOnlySpan<float> g, ReadOnlySpan<int> argmax, int planes, int h, int w, int oh, int ow, Span<float> dx)
    {
        if ((long)planes * h * w > dx.Length || (long)planes * oh * ow > g.Length || (long)planes * oh * ow > argmax.Length)
            throw new ArgumentException("MaxBackward2x2: buffers are smaller than the geometry.");
        var lane2 = Vector256<int>.Indices * 2;
        var lane2x4 = Vector128<int>.Indices * 2;
        fixed (float* pg = g, pd = dx)
        fixed (int* pa = argmax)
        {
            for (int pl = 0; pl < planes; pl++)
            {
                float* d = pd + (long)pl * h * w;
                for (int r = 0; r < oh; r++)
                {
                    float* row0 = d + 2 * r * w, row1 = row0 + w;
                    int o = (pl * oh + r) * ow, c = 0;
                    // A ragged end recomputes a block aligned to the row's end: the writes are plain stores of the
                    // same values, so repeating a few is harmless.
                    for (; ow >= 8 && c < ow; c += 8)
                    {
                        if (c + 8 > ow) c = ow - 8;
                        var gv = Avx.LoadVector256(pg + o + c);
                        var rel = Avx.LoadVector256(pa + o + c) - Vector256.Create(2 * r * w + 2 * c) - lane2;
                        var e0 = gv & Vector256.Equals(rel, Vector256<int>.Zero).AsSingle();
                        var o0 = gv & Vector256.Equals(rel, Vector256<int>.One).AsSingle();
                        var e1 = gv & Vector256.Equals(rel, Vector256.Create(w)).AsSingle();
                        var o1 = gv & Vector256.Equals(rel, Vector256.Create(w + 1)).AsSingle();
                        Interleave(e0, o0, row0 + 2 * c);
                        Interleave(e1, o1, row1 + 2 * c);
                    }
                    for (; ow >= 4 && c < ow; c += 4)
                    {
                        if (c + 4 > ow) c = ow - 4;
                        var gv = Sse.LoadVector128(pg + o + c);
                        var rel = Sse2.LoadVector128(pa + o + c) - Vector128.Create(2 * r * w + 2 * c) - lane2x4;
                        var e0 = gv & Vector128.Equals(rel, Vector128<int>.Zero).AsSingle();
                        var o0 = gv & Vector128.Equals(rel, Vector128<int>.One).AsSingle();
                        var e1 = gv & Vector128.Equals(rel, Vector128.Create(w)).AsSingle();
                        var o1 = gv & Vector128.Equals(rel, Vector128.Create(w + 1)).AsSingle();
                        Sse.Store(row0 + 2 * c, Sse.UnpackLow(e0, o0));
                        Sse.Store(row0 + 2 * c + 4, Sse.UnpackHigh(e0, o0));
                        Sse.Store(row1 + 2 * c, Sse.UnpackLow(e1, o1));
                        Sse.Store(row1 + 2 * c + 4, Sse.UnpackHigh(e1, o1));
                    }
                    for (; c < ow; c++)
                    {
                        float v = pg[o + c];
                        int rel = pa[o + c] - (2 * r * w + 2 * c);
                        row0[2 * c] = rel == 0 ? v : 0f;
                        row0[2 * c + 1] = rel == 1 ? v : 0f;
                        row1[2 * c] = rel == w ? v : 0f;
                        row1[2 * c + 1] = rel == w + 1 ? v : 0f;
                    }
                    for (int x = 2 * ow; x < w; x++) row0[x] = row1[x] = 0f;
                }
                new Span<float>(d + 2 * oh * w, (h - 2 * oh) * w).Clear();
            }
        }
    }

    /// <summary>Stores a0 b0 a1 b1 … a7 b7 at p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Interleave(Vector256<float> a, Vector256<float> b, float* p)
    {
        var lo = Avx.UnpackLow(a, b);  // a0 b0 a1 b1 | a4 b4 a5 b5
        var hi = Avx.UnpackHigh(a, b); // a2 b2 a3 b3 | a6 b6 a7 b7
        Avx.Store(p, Avx.Permute2x128(lo, hi, 0x20));
        Avx.Store(p + 8, Avx.Permute2x128(lo, hi, 0x31));
    }

    /// <summary>2×2, stride-2 average pool, 8 outputs at a time; sums in the scalar loop's order, so results match it exactly.</summary>
    private static unsafe void Avg2x2(ReadOnlySpan<float> x, int planes, int h, int w, int oh, int ow, Span<float> y)
    {
        var split = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var quarter = Vector256.Create(0.25f);
        fixed (float* px = x, py = y)
        {
            for (int pl = 0; pl < planes; pl++)
            {
                float* src = px + (long)pl * h * w;
                for (int r = 0; r < oh; r++)
                {
                    float* row0 = src + 2 * r * w, row1 = row0 + w;
                    int o = (pl * oh + r) * ow;
                    for (int c = 0; ; c += 8)
                    {
                        if (c + 8 > ow) c = ow - 8; // ragged end: one block aligned to the row's end (see Max2x2)
                        var (e0, o0) = Deinterleave(Avx.LoadVector256(row0 + 2 * c), Avx.LoadVector256(row0 + 2 * c + 8), split);
                        var (e1, o1) = Deinterleave(Avx.LoadVector256(row1 + 2 * c), Avx.LoadVector256(row1 + 2 * c + 8), split);
                        Avx.Store(py + o + c, (((e0 + o0) + e1) + o1) * quarter);
                        if (c + 8 == ow) break;
                    }
                }
            }
        }
    }
}
