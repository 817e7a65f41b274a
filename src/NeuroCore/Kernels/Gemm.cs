using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuroCore.Kernels;

/// <summary>
/// Single-precision general matrix multiply, C = alpha·op(A)·op(B) + beta·C, on row-major spans with
/// leading dimensions (BLAS sgemm semantics; op(X) is X or Xᵀ).
/// </summary>
/// <remarks>
/// <para>Structure (after BLIS / Goto): for each column block of C (NC wide) and each depth block of K
/// (KC deep), B is packed into KC×NR micro-panels; for each row block (MC tall) A is packed into
/// MR×KC micro-panels; a register-tiled micro-kernel then computes every MR×NR tile of C from one A
/// and one B micro-panel. Transposed operands are handled by the packing routines, never by
/// materializing a transpose. Tiny problems skip packing (<see cref="MultiplySmall"/>).</para>
/// <para>Instruction-set tiers live in partial files (<c>Gemm.Avx512.cs</c>, <c>Gemm.Avx2.cs</c>,
/// <c>Gemm.Scalar.cs</c>); the best supported one is chosen once, at type initialization.</para>
/// <para>Determinism: threads split C into disjoint blocks aligned to the tile grid, each C element is
/// computed by exactly one thread with the same KC blocking and the same operation order, so the
/// result is bit-for-bit the same for any thread count.</para>
/// </remarks>
[SkipLocalsInit] // the micro-kernels' stack tiles are fully written before they are read
internal static unsafe partial class Gemm
{
    /// <summary>The micro-kernel families, best first.</summary>
    internal enum Tier { Avx512, Avx2, Scalar }

    /// <summary>The tier used by <c>Multiply</c>, chosen once from the hardware (and DOTNET_Enable* switches).</summary>
    internal static readonly Tier Selected =
        Avx512F.IsSupported ? Tier.Avx512 : Avx2.IsSupported && Fma.IsSupported ? Tier.Avx2 : Tier.Scalar;

    /// <summary>The tiers this machine can run (tests exercise each).</summary>
    internal static IEnumerable<Tier> SupportedTiers()
    {
        if (Avx512F.IsSupported) yield return Tier.Avx512;
        if (Avx2.IsSupported && Fma.IsSupported) yield return Tier.Avx2;
        yield return Tier.Scalar;
    }

    // The cache blocking (KC deep, MC rows, NC columns of the packed blocks) of each tier on this host, derived
    // from the cache sizes read at start-up: the rules and the values they give on Zen 4 and Zen 5 are in
    // GemmBlocking.cs.
    private static readonly GemmBlocking[] Blockings =
    [
        GemmBlocking.ForHost(Avx512Mr, Avx512Nr),
        GemmBlocking.ForHost(Avx2Mr, Avx2Nr),
        GemmBlocking.ForHost(ScalarMr, ScalarNr),
    ];

    /// <summary>The blocking the given tier uses on this host.</summary>
    internal static GemmBlocking BlockingOf(Tier tier) => Blockings[(int)tier];


    // Below this many multiply-adds, packing costs more than it saves.
    private const long SmallWork = 32 * 32 * 32;

    // Up to this many outputs, A·Bᵀ with both operands contiguous along k is done as dot products.
    private const long FewDots = 256;

    // Each extra thread must get at least this many multiply-adds (~ tens of microseconds of work) to
    // pay for waking it up.
    private const long MinWorkPerThread = 1 << 20;

    [ThreadStatic] private static float[]? t_packA;
    [ThreadStatic] private static float[]? t_packB;
    // The calling thread's buffer for an operand packed once and shared by the parts of a parallel product.
    [ThreadStatic] private static float[]? t_shared;

    /// <summary>
    /// C[m×n] = alpha·op(A)·op(B) + beta·C, where op(A) is m×k and op(B) is k×n. A is read as rows of
    /// length ≥ <paramref name="lda"/> (k×m stored when <paramref name="transA"/>), likewise B and C.
    /// With beta = 0, C is overwritten and its old contents (even NaN) are ignored.
    /// </summary>
    /// <remarks><paramref name="maxThreads"/> is the most threads to use (0 = <see cref="Parallelism.MaxThreads"/>; kernels that
    /// already run in parallel pass 1).</remarks>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, int maxThreads = 0) =>
        Multiply(Selected, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, maxThreads);

    /// <summary>The same product computed by a given tier's micro-kernel (tests run every supported tier).</summary>
    internal static void Multiply(Tier tier, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, int maxThreads = 0)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"Gemm: negative size m={m}, n={n}, k={k}.");
        CheckOperand("A", a.Length, transA ? k : m, transA ? m : k, lda);
        CheckOperand("B", b.Length, transB ? n : k, transB ? k : n, ldb);
        CheckOperand("C", c.Length, m, n, ldc);
        if (m == 0 || n == 0) return;

        fixed (float* pa = a, pb = b, pc = c)
        {
            if (k == 0 || alpha == 0)
            {
                ScaleC(pc, ldc, m, n, beta);
                return;
            }
            long work = (long)m * n * k;
            // Few outputs with long rows on both sides (e.g. a convolution's weight gradient, 16×9 outputs
            // over 676 pixels): vectorized dot products beat packing A and B for a handful of tiles.
            bool fewDots = !transA && transB && (long)m * n <= FewDots;
            if (work <= SmallWork || m == 1 || n == 1 || fewDots)
            {
                MultiplySmall(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
                return;
            }
            var (mr, nr) = TileOf(tier);
            int threads = maxThreads > 0 ? maxThreads : Parallelism.MaxThreads;
            threads = (int)Math.Min(threads, Math.Max(1, work / MinWorkPerThread));
            // Split the larger output dimension into tile-aligned parts, so tiles (and hence every
            // element's arithmetic) are the same as in a single-threaded run.
            bool splitN = n >= m;
            int tile = splitN ? nr : mr;
            int tiles = ((splitN ? n : m) + tile - 1) / tile;
            threads = Math.Min(threads, tiles);
            // With several threads, cut twice as many parts as threads (when the work allows): parts are
            // claimed dynamically, so a thread that the OS delays on a busy machine holds up less work.
            int parts = threads <= 1 ? 1 : (int)Math.Min(Math.Min(tiles, 2L * threads), Math.Max(threads, work / MinWorkPerThread));
            if (threads <= 1)
            {
                Blocked(tier, transA, transB, 0, m, 0, n, k, alpha, pa, lda, pb, ldb, pb + b.Length, beta, pc, ldc);
                return;
            }
            BlockedInParallel(tier, transA, transB, m, n, k, alpha, pa, lda, pb, ldb, pb + b.Length, beta, pc, ldc, threads, parts, splitN, tile, tiles);
        }
    }

    // Separate from Multiply so that the single-threaded path does not allocate the lambda's closure.
    private static void BlockedInParallel(Tier tier, bool transA, bool transB, int m, int n, int k, float alpha,
        float* pa, int lda, float* pb, int ldb, float* pbEnd, float beta, float* pc, int ldc, int threads, int parts, bool splitN, int tile, int tiles)
    {
        // Every part needs the whole of the operand along the dimension that is not split (all of A when the
        // columns are split). Packed per part, it would be packed `parts` times — for the training shapes
        // (256×784·784×512 and smaller) that is as much work as a fifth of the multiply-adds — so it is packed
        // once, by all threads together, into a buffer the parts then share read-only.
        var (mr, nr) = TileOf(tier);
        var (KC, MC, NC) = BlockingOf(tier);
        int kBlocks = (k + KC - 1) / KC;
        int span = splitN ? m : n, step = splitN ? MC : NC, rowMultiple = splitN ? mr : nr;
        int chunks = (span + step - 1) / step;
        long padded = RoundUp(span, rowMultiple);
        float* shared = Buffer(ref t_shared, (int)(padded * k));
        nint ia = (nint)pa, ib = (nint)pb, ic = (nint)pc, ibEnd = (nint)pbEnd, ish = (nint)shared;
        Parallelism.For(kBlocks * chunks, task =>
        {
            int p0 = task / chunks * KC, kc = Math.Min(KC, k - p0);
            int i0 = task % chunks * step, count = Math.Min(step, span - i0);
            // Depth block p0 of the shared panels starts at p0·padded; row (or column) i0 at i0·kc inside it.
            float* dst = (float*)ish + (long)p0 * padded + (long)i0 * kc;
            if (splitN) PackA(transA, (float*)ia, lda, i0, count, p0, kc, mr, dst);
            else PackB(transB, (float*)ib, ldb, (float*)ibEnd, p0, kc, i0, count, nr, dst);
        }, threads);

        // The operands stay pinned by the caller's fixed statement until Parallelism.For returns.
        Parallelism.For(parts, t =>
        {
            int from = (int)((long)tiles * t / parts) * tile;
            int to = Math.Min((int)((long)tiles * (t + 1) / parts) * tile, splitN ? n : m);
            if (splitN) Blocked(tier, transA, transB, 0, m, from, to, k, alpha, (float*)ia, lda, (float*)ib, ldb, (float*)ibEnd, beta, (float*)ic, ldc, (float*)ish, null, padded);
            else Blocked(tier, transA, transB, from, to, 0, n, k, alpha, (float*)ia, lda, (float*)ib, ldb, (float*)ibEnd, beta, (float*)ic, ldc, null, (float*)ish, padded);
        }, threads);
    }

    private static void CheckOperand(string name, int length, int rows, int cols, int ld)
    {
        if (rows > 0 && cols > 0 && ld < cols)
            throw new ArgumentException($"Gemm: leading dimension of {name} is {ld}, but it must be at least its row length {cols}.");
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"Gemm: {name} holds {length} values, but a {rows}×{cols} matrix with leading dimension {ld} needs {needed}.");
    }

    private static (int mr, int nr) TileOf(Tier tier) => tier switch
    {
        Tier.Avx512 => (Avx512Mr, Avx512Nr),
        Tier.Avx2 => (Avx2Mr, Avx2Nr),
        _ => (ScalarMr, ScalarNr),
    };

    private static void ScaleC(float* c, int ldc, int m, int n, float beta)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0) row.Clear();
            else if (beta != 1) TensorPrimitives.Multiply(row, beta, row);
        }
    }

    /// <summary>
    /// The packed algorithm on the C block rows [m0, m1) × columns [n0, n1), on the calling thread. With
    /// <paramref name="sharedA"/> (or <paramref name="sharedB"/>), that operand is already packed for all its
    /// rows (columns), depth block p0 at <c>p0 · <paramref name="sharedLength"/></c>, and is not packed here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code, which is ~10x slower on vector code
    private static void Blocked(Tier tier, bool transA, bool transB, int m0, int m1, int n0, int n1, int k, float alpha,
        float* a, int lda, float* b, int ldb, float* bEnd, float beta, float* c, int ldc,
        float* sharedA = null, float* sharedB = null, long sharedLength = 0)
    {
        var (mr, nr) = TileOf(tier);
        var (KC, MC, NC) = BlockingOf(tier);
        int mcMax = Math.Min(MC, RoundUp(m1 - m0, mr));
        int ncMax = Math.Min(NC, RoundUp(n1 - n0, nr));
        int kcMax = Math.Min(KC, k);
        float* packA = sharedA is null ? Buffer(ref t_packA, mcMax * kcMax) : null;
        float* packB = sharedB is null ? Buffer(ref t_packB, ncMax * kcMax) : null;

        for (int jc = n0; jc < n1; jc += NC)
        {
            int nc = Math.Min(NC, n1 - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                float betaBlock = pc == 0 ? beta : 1f; // later depth blocks accumulate onto the first
                float* blockB;
                bool direct = tier == Tier.Avx512 && sharedB is null && ReadsBDirectly(transB, m1 - m0, ldb, MC);
                if (direct) blockB = null;
                else if (sharedB is null) PackB(transB, b, ldb, bEnd, pc, kc, jc, nc, nr, blockB = packB);
                else blockB = sharedB + (long)pc * sharedLength + (long)jc * kc;
                for (int icb = m0; icb < m1; icb += MC)
                {
                    int mc = Math.Min(MC, m1 - icb);
                    float* blockA;
                    if (sharedA is null) PackA(transA, a, lda, icb, mc, pc, kc, mr, blockA = packA);
                    else blockA = sharedA + (long)pc * sharedLength + (long)icb * kc;
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int n = Math.Min(nr, nc - jr);
                        float* bp = direct ? b + (long)pc * ldb + jc + jr : blockB + (long)jr * kc;
                        if (direct && n < nr) { PackB(false, b, ldb, bEnd, pc, kc, jc + jr, n, nr, packB); bp = packB; }
                        float* cc = c + (long)icb * ldc + jc + jr;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int m = Math.Min(mr, mc - ir);
                            float* ap = blockA + (long)ir * kc;
                            float* ct = cc + (long)ir * ldc;
                            switch (tier)
                            {
                                case Tier.Avx512: KernelAvx512(kc, ap, bp, ct, ldc, m, n, alpha, betaBlock, direct && n == nr ? ldb : nr); break;
                                case Tier.Avx2: KernelAvx2(kc, ap, bp, ct, ldc, m, n, alpha, betaBlock); break;
                                default: KernelScalar(kc, ap, bp, ct, ldc, m, n, alpha, betaBlock); break;
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Whether the micro-kernel reads op(B) straight from B instead of a packed copy: B not transposed (each
    /// depth step's NR values are contiguous), all rows of C in one A block (so each B micro-panel is swept
    /// once, and packing it would be a copy read once), and a row stride that does not pile the panel's rows
    /// into a few L1 sets (an odd number of 64-byte lines, or not a whole number of them).
    /// </summary>
    /// <remarks>For the batch-64 training shapes packing B was 14 % of the product (64×256·256×784: 19 of
    /// 135 µs on one Zen 5 core, bound by reading B and writing its copy through L2); square products with
    /// m above MC, or power-of-two strides, measured slower unpacked (1024: 205 → 150 GFLOP/s) and keep packing.</remarks>
    private static bool ReadsBDirectly(bool transB, int rows, int ldb, int mc) =>
        !transB && rows <= mc && (ldb % 16 != 0 || ldb / 16 % 2 == 1);

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    /// <summary>A per-thread pinned buffer of at least <paramref name="length"/> floats, reused across calls.</summary>
    private static float* Buffer(ref float[]? slot, int length)
    {
        if (slot is null || slot.Length < length)
            slot = GC.AllocateUninitializedArray<float>(Math.Max(length, slot?.Length * 2 ?? 0), pinned: true);
        return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(slot));
    }

    /// <summary>
    /// Packs rows [i0, i0+mc) × depth [p0, p0+kc) of op(A) into MR-row micro-panels, each stored k-major
    /// (panel[p·MR + r]); rows past the edge are zero.
    /// </summary>
    /// <remarks>Element-by-element packing costs about 1 ns per value, as much as ~30 FMAs of the micro-kernel,
    /// so the common cases move whole vectors: 8×8 register transposes for row-major A, vector copies for
    /// transposed A, and one vectorized clear for the padding of an edge panel.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code, which is ~10x slower on vector code
    private static void PackA(bool transA, float* a, int lda, int i0, int mc, int p0, int kc, int mr, float* dst)
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            float* panel = dst + (long)ir * kc;
            if (rows < mr) new Span<float>(panel, kc * mr).Clear();
            if (transA)
            {
                // op(A)[i, p] = A[p, i]: each depth step is a contiguous run of rows.
                float* src = a + (long)p0 * lda + i0 + ir;
                if (rows == 8 && mr == 8 && Vector256.IsHardwareAccelerated)
                {
                    for (int p = 0; p < kc; p++, src += lda) Vector256.Store(Vector256.Load(src), panel + p * 8);
                    continue;
                }
                for (int p = 0; p < kc; p++, src += lda)
                {
                    float* d = panel + p * mr;
                    for (int r = 0; r < rows; r++) d[r] = src[r];
                }
            }
            else
            {
                int p8 = 0;
                if (rows == 8 && mr == 8 && Avx.IsSupported)
                {
                    // Eight rows at a time, transposed in registers 8×8: 8 vector stores instead of 64 scalar ones.
                    float* src = a + (long)(i0 + ir) * lda + p0;
                    for (; p8 + 8 <= kc; p8 += 8) Transpose8x8(src + p8, lda, panel + p8 * 8, 8);
                }
                // Each row of A is contiguous in depth; write it with stride MR into the panel.
                for (int r = 0; r < rows; r++)
                {
                    float* src = a + (long)(i0 + ir + r) * lda + p0;
                    float* d = panel + r;
                    for (int p = p8; p < kc; p++) d[p * mr] = src[p];
                }
            }
        }
    }

    /// <summary>
    /// Packs depth [p0, p0+kc) × columns [j0, j0+nc) of op(B) into NR-column micro-panels, each stored
    /// k-major (panel[p·NR + j]); columns past the edge are zero. <paramref name="bEnd"/> bounds B's storage,
    /// so an edge panel may load whole vectors (and mask off the extra lanes) where that stays inside it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code, which is ~10x slower on vector code
    private static void PackB(bool transB, float* b, int ldb, float* bEnd, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* panel = dst + (long)jr * kc;
            if (!transB)
            {
                float* src = b + (long)p0 * ldb + j0 + jr;
                if (nr == 32 && Vector512.IsHardwareAccelerated)
                {
                    var keep0 = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(cols)).AsSingle();
                    var keep1 = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(cols - 16)).AsSingle();
                    for (int p = 0; p < kc; p++, src += ldb)
                    {
                        float* d = panel + p * 32;
                        if (src + 32 <= bEnd)
                        {
                            Vector512.Store(Vector512.Load(src) & keep0, d);
                            Vector512.Store(Vector512.Load(src + 16) & keep1, d + 16);
                        }
                        else
                        {
                            int j = 0;
                            for (; j < cols; j++) d[j] = src[j];
                            for (; j < 32; j++) d[j] = 0;
                        }
                    }
                    continue;
                }
                if (nr == 16 && Vector256.IsHardwareAccelerated)
                {
                    var keep0 = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(cols)).AsSingle();
                    var keep1 = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(cols - 8)).AsSingle();
                    for (int p = 0; p < kc; p++, src += ldb)
                    {
                        float* d = panel + p * 16;
                        if (src + 16 <= bEnd)
                        {
                            Vector256.Store(Vector256.Load(src) & keep0, d);
                            Vector256.Store(Vector256.Load(src + 8) & keep1, d + 8);
                        }
                        else
                        {
                            int j = 0;
                            for (; j < cols; j++) d[j] = src[j];
                            for (; j < 16; j++) d[j] = 0;
                        }
                    }
                    continue;
                }
                for (int p = 0; p < kc; p++, src += ldb)
                {
                    float* d = panel + p * nr;
                    int j = 0;
                    for (; j < cols; j++) d[j] = src[j];
                    for (; j < nr; j++) d[j] = 0;
                }
            }
            else
            {
                // op(B)[p, j] = B[j, p]: each column of op(B) is a contiguous row of B.
                if (cols < nr) new Span<float>(panel, kc * nr).Clear();
                int cols8 = Avx.IsSupported && nr % 8 == 0 ? cols / 8 * 8 : 0, p8 = cols8 > 0 ? kc / 8 * 8 : 0;
                // Groups of 8 columns: 8×8 register transposes (vector stores instead of scalar ones strided by NR).
                for (int p = 0; p < p8; p += 8)
                    for (int j = 0; j < cols8; j += 8)
                        Transpose8x8(b + (long)(j0 + jr + j) * ldb + p0 + p, ldb, panel + p * nr + j, nr);
                for (int j = 0; j < cols; j++)
                {
                    float* src = b + (long)(j0 + jr + j) * ldb + p0;
                    float* d = panel + j;
                    for (int p = j < cols8 ? p8 : 0; p < kc; p++) d[p * nr] = src[p];
                }
            }
        }
    }

    /// <summary>d[i·ds + j] = s[j·ss + i] for an 8×8 block (AVX unpack/shuffle/permute network).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, long ss, float* d, long ds)
    {
        var r0 = Avx.LoadVector256(s);
        var r1 = Avx.LoadVector256(s + ss);
        var r2 = Avx.LoadVector256(s + 2 * ss);
        var r3 = Avx.LoadVector256(s + 3 * ss);
        var r4 = Avx.LoadVector256(s + 4 * ss);
        var r5 = Avx.LoadVector256(s + 5 * ss);
        var r6 = Avx.LoadVector256(s + 6 * ss);
        var r7 = Avx.LoadVector256(s + 7 * ss);
        // Interleave pairs of rows: t0 = a0 b0 a1 b1 | a4 b4 a5 b5, t1 = a2 b2 a3 b3 | a6 b6 a7 b7, ...
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        // Gather four rows per column: u0 = a0 b0 c0 d0 | a4 b4 c4 d4, u1 = a1 b1 c1 d1 | a5 ..., ...
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        // Join the 128-bit halves: column i = (rows a..d of u, rows e..h of u+4).
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ds, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ds, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ds, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ds, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ds, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ds, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ds, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>
    /// Writes an accumulated tile: c = alpha·t (beta = 0) or c = fma(t, alpha, beta·c). The vector
    /// epilogues of the micro-kernels use the same formula, so an element's value does not depend on
    /// whether its tile was full or at an edge.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code, which is ~10x slower on vector code
    private static void StoreTile(float* tile, int tileLd, float* c, int ldc, int m, int n, float alpha, float beta)
    {
        for (int i = 0; i < m; i++)
        {
            float* t = tile + i * tileLd;
            float* row = c + (long)i * ldc;
            if (beta == 0)
            {
                for (int j = 0; j < n; j++) row[j] = t[j] * alpha;
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    float old = beta == 1 ? row[j] : row[j] * beta;
                    row[j] = MathF.FusedMultiplyAdd(t[j], alpha, old);
                }
            }
        }
    }

    /// <summary>
    /// Unpacked product for tiny problems and matrix-vector shapes: rows of C are built either as
    /// dot products (when op(B)'s columns are contiguous) or as axpy sweeps over rows of B.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code, which is ~10x slower on vector code
    private static void MultiplySmall(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        // op(A)[i, p] = a[i·sai + p·sap]; op(B)[p, j] = b[p·sbp + j·sbj]
        long sai = transA ? 1 : lda, sap = transA ? lda : 1;
        long sbp = transB ? 1 : ldb, sbj = transB ? ldb : 1;
        if (transB || n == 1)
        {
            for (int i = 0; i < m; i++)
            {
                float* ai = a + i * sai;
                float* ci = c + (long)i * ldc;
                int j = 0;
                float Finish(float dot, float old) => beta == 0 ? alpha * dot : alpha * dot + (beta == 1 ? old : beta * old);
                if (sap == 1 && sbp == 1 && Vector256.IsHardwareAccelerated)
                {
                    // Four dot products per pass share the loads of A's row (a convolution's weight gradient:
                    // 16×9 dots over 676 pixels, about 2× faster than four separate Dot calls).
                    for (; j + 4 <= n; j += 4)
                    {
                        Dot4(ai, b + j * sbj, sbj, k, out float d0, out float d1, out float d2, out float d3);
                        ci[j] = Finish(d0, ci[j]);
                        ci[j + 1] = Finish(d1, ci[j + 1]);
                        ci[j + 2] = Finish(d2, ci[j + 2]);
                        ci[j + 3] = Finish(d3, ci[j + 3]);
                    }
                }
                for (; j < n; j++)
                {
                    float* bj = b + j * sbj;
                    float dot = sap == 1 && sbp == 1
                        ? TensorPrimitives.Dot(new ReadOnlySpan<float>(ai, k), new ReadOnlySpan<float>(bj, k))
                        : StridedDot(ai, sap, bj, sbp, k);
                    ci[j] = beta == 0 ? alpha * dot : alpha * dot + (beta == 1 ? ci[j] : beta * ci[j]);
                }
            }
            return;
        }
        for (int i = 0; i < m; i++)
        {
            var ci = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0) ci.Clear();
            else if (beta != 1) TensorPrimitives.Multiply(ci, beta, ci);
            float* ai = a + i * sai;
            for (int p = 0; p < k; p++)
            {
                float s = alpha * ai[p * sap];
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(b + p * sbp, n), s, ci, ci);
            }
        }
    }

    /// <summary>The four dot products of x with y, y + ldy, y + 2·ldy, y + 3·ldy (length k each).</summary>
    private static void Dot4(float* x, float* y, long ldy, int k, out float d0, out float d1, out float d2, out float d3)
    {
        float* y1 = y + ldy, y2 = y1 + ldy, y3 = y2 + ldy;
        var a0 = Vector256<float>.Zero;
        var a1 = Vector256<float>.Zero;
        var a2 = Vector256<float>.Zero;
        var a3 = Vector256<float>.Zero;
        int p = 0;
        for (; p + 8 <= k; p += 8)
        {
            var xv = Vector256.Load(x + p);
            a0 = Vector256.FusedMultiplyAdd(xv, Vector256.Load(y + p), a0);
            a1 = Vector256.FusedMultiplyAdd(xv, Vector256.Load(y1 + p), a1);
            a2 = Vector256.FusedMultiplyAdd(xv, Vector256.Load(y2 + p), a2);
            a3 = Vector256.FusedMultiplyAdd(xv, Vector256.Load(y3 + p), a3);
        }
        d0 = Vector256.Sum(a0);
        d1 = Vector256.Sum(a1);
        d2 = Vector256.Sum(a2);
        d3 = Vector256.Sum(a3);
        for (; p < k; p++)
        {
            d0 += x[p] * y[p];
            d1 += x[p] * y1[p];
            d2 += x[p] * y2[p];
            d3 += x[p] * y3[p];
        }
    }

    private static float StridedDot(float* x, long sx, float* y, long sy, int k)
    {
        float s = 0;
        for (int p = 0; p < k; p++) s += x[p * sx] * y[p * sy];
        return s;
    }
}
