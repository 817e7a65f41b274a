using System.Runtime.Intrinsics.X86;

namespace NeuroCore.Kernels;

/// <summary>
/// The data-cache sizes of the processor the process runs on, read once at start-up: the per-core L1d
/// and L2, and the last-level cache. Kernels size their blocks from these instead of from constants tuned
/// for one host.
/// </summary>
/// <remarks>
/// Sources, in order: Linux's <c>/sys/devices/system/cpu/cpu0/cache</c> (what the kernel read from CPUID,
/// also right inside virtual machines that pass the topology through); the CPUID cache leaves themselves
/// (leaf 4 on Intel, 0x8000001D on AMD); otherwise <see cref="Fallback"/>, sizes every x86-64 processor of
/// the last decade has at least.
/// </remarks>
internal readonly record struct CpuCaches(int L1d, int L1dWays, int L2, int L3, string Source)
{
    /// <summary>Used when nothing can be read: 32 KiB 8-way L1d, 512 KiB L2, 8 MiB L3.</summary>
    public static readonly CpuCaches Fallback = new(32 << 10, 8, 512 << 10, 8 << 20, "fallback");

    /// <summary>This machine's caches.</summary>
    public static CpuCaches Host { get; } = Read();

    private static CpuCaches Read()
    {
        try
        {
            return FromSysfs("/sys/devices/system/cpu/cpu0/cache") ?? FromCpuid() ?? Fallback;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return FromCpuid() ?? Fallback;
        }
    }

    /// <summary>Reads <c>index*/level</c>, <c>type</c> and <c>size</c> ("48K") under <paramref name="folder"/>; null when absent or incomplete.</summary>
    internal static CpuCaches? FromSysfs(string folder)
    {
        if (!Directory.Exists(folder)) return null;
        int l1 = 0, l1Ways = 0, l2 = 0, l3 = 0;
        foreach (var index in Directory.EnumerateDirectories(folder, "index*"))
        {
            string Value(string name) => File.ReadAllText(Path.Combine(index, name)).Trim();
            if (!File.Exists(Path.Combine(index, "size")) || !File.Exists(Path.Combine(index, "level"))) continue;
            string type = File.Exists(Path.Combine(index, "type")) ? Value("type") : "Unified";
            if (type == "Instruction") continue;
            int size = ParseSize(Value("size"));
            switch (int.Parse(Value("level"), System.Globalization.CultureInfo.InvariantCulture))
            {
                case 1:
                    l1 = size;
                    l1Ways = File.Exists(Path.Combine(index, "ways_of_associativity"))
                        ? int.Parse(Value("ways_of_associativity"), System.Globalization.CultureInfo.InvariantCulture) : 0;
                    break;
                case 2: l2 = size; break;
                case 3: l3 = size; break;
            }
        }
        return l1 > 0 && l2 > 0 ? new CpuCaches(l1, l1Ways > 0 ? l1Ways : 8, l2, l3 > 0 ? l3 : l2, "sysfs") : null;
    }

    /// <summary>"48K", "1024K", "32M" or plain bytes.</summary>
    internal static int ParseSize(string text)
    {
        long scale = text.EndsWith('K') ? 1 << 10 : text.EndsWith('M') ? 1 << 20 : 1;
        var digits = scale == 1 ? text : text[..^1];
        long value = long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) * scale;
        if (value <= 0 || value > int.MaxValue) throw new FormatException($"cache size '{text}' is out of range");
        return (int)value;
    }

    private static CpuCaches? FromCpuid()
    {
        if (!X86Base.IsSupported) return null;
        var (_, ebx0, ecx0, edx0) = X86Base.CpuId(0, 0);
        bool amd = ebx0 == 0x68747541 && edx0 == 0x69746E65 && ecx0 == 0x444D4163; // "AuthenticAMD"
        int leaf = amd ? unchecked((int)0x8000001D) : 4;
        if (amd && (uint)X86Base.CpuId(unchecked((int)0x80000000), 0).Eax < 0x8000001D) return null;
        int l1 = 0, l1Ways = 8, l2 = 0, l3 = 0;
        for (int sub = 0; sub < 16; sub++)
        {
            var (eax, ebx, ecx, _) = X86Base.CpuId(leaf, sub);
            int type = eax & 0x1F; // 0 none, 1 data, 2 instruction, 3 unified
            if (type == 0) break;
            if (type == 2) continue;
            int level = (eax >> 5) & 0x7;
            long ways = ((ebx >> 22) & 0x3FF) + 1, partitions = ((ebx >> 12) & 0x3FF) + 1, line = (ebx & 0xFFF) + 1, sets = (long)(uint)ecx + 1;
            int size = (int)Math.Min(int.MaxValue, ways * partitions * line * sets);
            if (level == 1) (l1, l1Ways) = (size, (int)ways);
            else if (level == 2) l2 = size;
            else if (level == 3) l3 = size;
        }
        return l1 > 0 && l2 > 0 ? new CpuCaches(l1, l1Ways, l2, l3 > 0 ? l3 : l2, "cpuid") : null;
    }

    /// <inheritdoc/>
    public override string ToString() => $"L1d {L1d >> 10} KiB {L1dWays}-way, L2 {L2 >> 10} KiB, L3 {L3 >> 20} MiB ({Source})";
}
