namespace NeuroCore.Kernels;

/// <summary>
/// The cache blocking of the packed GEMM for one micro-kernel tile (MR × NR) on this host: depth KC,
/// rows MC and columns NC of the packed blocks, derived from <see cref="CpuCaches"/> at start-up.
/// </summary>
/// <remarks>
/// <para>The rules (after Low et al., "Analytical modeling is enough for high-performance BLIS", 2016),
/// each with the level of the hierarchy it keeps a block in:</para>
/// <list type="bullet">
/// <item><b>KC, L1d.</b> One micro-kernel call streams an A micro-panel (MR·KC floats) past a B micro-panel
/// (KC·NR floats) that the next call reuses. Counted in ways of the set-associative L1d, the two must
/// leave one way free for the C tile and the stack: ⌈A / way⌉ + ⌈B / way⌉ ≤ ways − 1, and KC is the
/// largest multiple of 8 that satisfies it (PackA transposes 8 × 8 blocks), at most 512. With the 8 × 32
/// AVX-512 tile: Zen 5 (48 KiB, 12 ways of 4 KiB) gives KC = 256 (A 2 ways + B 8 ways ≤ 11); Zen 4 and
/// most Intel cores (32 KiB, 8 ways) give KC = 160 (2 + 5 ≤ 7): the previous fixed KC = 256 made the
/// 32 KiB B micro-panel fill Zen 4's whole L1d.</item>
/// <item><b>MC, L2.</b> The packed A block (MC·KC floats) is re-read once per B micro-panel: it gets a fifth
/// of the per-core L2, rounded down to a multiple of 24 (every tier's MR divides it). Zen 4 / Zen 5 (1 MiB):
/// MC = 312 / 192.</item>
/// <item><b>NC, L2.</b> The packed B block (KC·NC floats) is swept once per A block: it gets half of the
/// L2 (so both blocks stay resident; a B block spilling to the shared L3 measured about 2× slower for
/// N ≥ 1000 on a shared machine), rounded down to a multiple of NR. Zen 4 / Zen 5: NC = 800 / 512.</item>
/// </list>
/// <para>The blocking changes only how work is cut, never which products are summed in which order within
/// a depth block; results still do not depend on the thread count. They do depend on KC, so two hosts with
/// different L1d caches may round differently in the last bit, as two BLAS builds do.</para>
/// <para><c>NEUROCORE_GEMM_BLOCKING=KC,MC,NC</c> overrides the derived values (for tuning; invalid values
/// are reported and ignored).</para>
/// </remarks>
internal readonly record struct GemmBlocking(int KC, int MC, int NC)
{
    /// <summary>Derives the blocking of an MR × NR tile from the cache sizes.</summary>
    public static GemmBlocking For(CpuCaches caches, int mr, int nr)
    {
        int way = Math.Max(1024, caches.L1d / Math.Max(1, caches.L1dWays));
        int kc = 8;
        for (int candidate = 16; candidate <= 512; candidate += 8)
        {
            long aWays = CeilDiv(4L * mr * candidate, way), bWays = CeilDiv(4L * nr * candidate, way);
            if (aWays + bWays > caches.L1dWays - 1) break;
            kc = candidate;
        }
        kc = Math.Max(kc, 64);
        int mc = Math.Max(24, (int)(caches.L2 / 5 / (4L * kc)) / 24 * 24);
        int nc = Math.Max(nr, (int)(caches.L2 / 2 / (4L * kc)) / nr * nr);
        return new GemmBlocking(kc, mc, nc);
    }

    /// <summary>The blocking for this host, or the override in <c>NEUROCORE_GEMM_BLOCKING</c>.</summary>
    public static GemmBlocking ForHost(int mr, int nr)
    {
        var derived = For(CpuCaches.Host, mr, nr);
        var text = Environment.GetEnvironmentVariable("NEUROCORE_GEMM_BLOCKING");
        if (string.IsNullOrWhiteSpace(text)) return derived;
        var parsed = TryParse(text, mr, nr, out var error);
        if (parsed is null) Console.Error.WriteLine($"NeuroCore: ignoring NEUROCORE_GEMM_BLOCKING='{text}': {error}");
        return parsed ?? derived;
    }

    /// <summary>Parses "KC,MC,NC": KC 8..4096 a multiple of 8, MC a positive multiple of 24, NC a positive multiple of <paramref name="nr"/>.</summary>
    internal static GemmBlocking? TryParse(string text, int mr, int nr, out string error)
    {
        var parts = text.Split(',');
        error = "expected three integers KC,MC,NC";
        if (parts.Length != 3 || !int.TryParse(parts[0], out int kc) || !int.TryParse(parts[1], out int mc) || !int.TryParse(parts[2], out int nc))
            return null;
        if (kc < 8 || kc > 4096 || kc % 8 != 0) { error = $"KC = {kc} must be a multiple of 8 from 8 to 4096"; return null; }
        if (mc < 24 || mc > 1 << 16 || mc % 24 != 0) { error = $"MC = {mc} must be a positive multiple of 24 up to 65536"; return null; }
        if (nc < nr || nc > 1 << 16 || nc % nr != 0) { error = $"NC = {nc} must be a positive multiple of {nr} up to 65536"; return null; }
        error = "";
        return new GemmBlocking(kc, mc, nc);
    }

    private static long CeilDiv(long x, long y) => (x + y - 1) / y;
}
