using NeuroCore.Kernels;

namespace NeuroCore.Tests.Kernels;

/// <summary>
/// The GEMM's cache blocking: read from the host's caches, derived by the documented rules (checked on the
/// two kinds of host the project runs on), and the override validated.
/// </summary>
public class GemmBlockingTests
{
    private static readonly CpuCaches Zen5 = new(48 << 10, 12, 1 << 20, 32 << 20, "test");
    private static readonly CpuCaches Zen4 = new(32 << 10, 8, 1 << 20, 32 << 20, "test");

    [Fact]
    public void Zen5KeepsTheBlockingItWasTunedWith()
    {
        // 8×32 tile: A micro-panel 2 ways + B micro-panel 8 ways of the 12 leave one free.
        Assert.Equal(new GemmBlocking(256, 192, 512), GemmBlocking.For(Zen5, 8, 32));
    }

    [Fact]
    public void Zen4GetsAShallowerDepthSoTheBPanelFitsItsSmallerL1()
    {
        var b = GemmBlocking.For(Zen4, 8, 32);
        Assert.Equal(new GemmBlocking(160, 312, 800), b);
        // The B micro-panel (KC·NR floats) now takes 5 of the 8 ways instead of the whole 32 KiB.
        Assert.True(b.KC * 32 * 4 <= 5 * 4096);
    }

    [Theory]
    [InlineData(8, 32)]
    [InlineData(6, 16)]
    [InlineData(4, 8)]
    public void EveryTierBlockingRespectsTheRules(int mr, int nr)
    {
        foreach (var caches in new[] { Zen4, Zen5, CpuCaches.Fallback, new CpuCaches(16 << 10, 4, 256 << 10, 2 << 20, "tiny") })
        {
            var b = GemmBlocking.For(caches, mr, nr);
            Assert.True(b.KC % 8 == 0 && b.KC >= 64 && b.KC <= 512, $"{caches}: KC {b.KC}");
            Assert.True(b.MC % 24 == 0 && b.MC % mr == 0, $"{caches}: MC {b.MC}");
            Assert.True(b.NC % nr == 0, $"{caches}: NC {b.NC}");
            Assert.True(4L * b.MC * b.KC <= caches.L2 / 5 || b.MC == 24, $"{caches}: A block too big");
            Assert.True(4L * b.KC * b.NC <= caches.L2 / 2 || b.NC == nr, $"{caches}: B block too big");
        }
    }

    [Fact]
    public void ReadsLinuxSysfsCacheFolders()
    {
        var root = Directory.CreateTempSubdirectory("caches").FullName;
        try
        {
            void Index(int i, string level, string type, string size, string? ways = null)
            {
                var d = Directory.CreateDirectory(Path.Combine(root, $"index{i}")).FullName;
                File.WriteAllText(Path.Combine(d, "level"), level + "\n");
                File.WriteAllText(Path.Combine(d, "type"), type + "\n");
                File.WriteAllText(Path.Combine(d, "size"), size + "\n");
                if (ways is not null) File.WriteAllText(Path.Combine(d, "ways_of_associativity"), ways + "\n");
            }
            Index(0, "1", "Data", "48K", "12");
            Index(1, "1", "Instruction", "32K", "8");
            Index(2, "2", "Unified", "1024K", "16");
            Index(3, "3", "Unified", "32768K", "16");
            var caches = CpuCaches.FromSysfs(root);
            Assert.Equal(new CpuCaches(48 << 10, 12, 1 << 20, 32 << 20, "sysfs"), caches);
            Assert.Null(CpuCaches.FromSysfs(Path.Combine(root, "missing")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void TheHostHasPlausibleCaches()
    {
        var host = CpuCaches.Host;
        Assert.InRange(host.L1d, 8 << 10, 1 << 20);
        Assert.InRange(host.L1dWays, 1, 64);
        Assert.True(host.L2 >= host.L1d, host.ToString());
    }

    [Theory]
    [InlineData("48K", 48 << 10)]
    [InlineData("32M", 32 << 20)]
    [InlineData("4096", 4096)]
    public void ParsesCacheSizes(string text, int bytes) => Assert.Equal(bytes, CpuCaches.ParseSize(text));

    [Theory]
    [InlineData("256,192,512", true)]
    [InlineData("256,192", false)]
    [InlineData("250,192,512", false)]
    [InlineData("256,100,512", false)]
    [InlineData("256,192,500", false)]
    [InlineData("x,192,512", false)]
    public void OverrideIsValidated(string text, bool valid)
    {
        var parsed = GemmBlocking.TryParse(text, 8, 32, out var error);
        Assert.Equal(valid, parsed is not null);
        Assert.Equal(valid, error.Length == 0);
    }
}
