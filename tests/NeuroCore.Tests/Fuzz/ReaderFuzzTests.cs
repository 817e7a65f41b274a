using System.Diagnostics;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Fuzz;

/// <summary>
/// Seeded mutation fuzzing of the file readers: thousands of mutants of valid files per reader. Every input
/// must give a result or the reader's documented format exception (naming the file), within bounded time and
/// with allocations bounded by the input's size — never an internal exception, a hang or an allocation sized
/// by what the file claims. Longer runs: NEUROCORE_FUZZ_ITERATIONS / NEUROCORE_FUZZ_SEED (tests/README.md).
/// </summary>
public sealed class ReaderFuzzTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Targets => [.. FuzzTargets.All.Keys];

    [Theory]
    [MemberData(nameof(Targets))]
    public void MutatedFilesGiveTheResultOrTheDocumentedFormatError(string name)
    {
        var target = FuzzTargets.All[name];
        var seeds = target.Seeds();
        foreach (var seed in seeds) target.Read(Write(name, -1, seed)); // the seeds themselves are valid
        var mutator = new Mutator(FuzzSettings.Seed ^ name.GetHashCode(StringComparison.Ordinal) & 0x7FFF);
        int iterations = FuzzSettings.Iterations(2500);
        int accepted = 0, rejected = 0;
        for (int i = 0; i < iterations; i++)
        {
            var input = mutator.Mutate(seeds[i % seeds.Length]);
            var path = Write(name, i, input);
            var clock = Stopwatch.StartNew();
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                target.Read(path);
                accepted++;
            }
            catch (Exception e) when (e.GetType() == target.Documented)
            {
                if (!e.Message.Contains(Path.GetFileName(path), StringComparison.Ordinal))
                    Assert.Fail($"{name} #{i}: the error does not name the file ({FuzzSettings.SaveFailure(name, i, input)}): {e.Message}");
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{name} #{i} (seed {FuzzSettings.Seed}): {e.GetType().Name} instead of {target.Documented.Name}; input saved to {FuzzSettings.SaveFailure(name, i, input)}\n{e}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // Generous bounds: 64 bytes per input byte (an 8-byte tensor element per 1-byte file element,
            // strings, JSON) plus 8 MiB of buffers; a size the file only claims is orders of magnitude beyond.
            if (allocated > 64L * input.Length + (8 << 20))
                Assert.Fail($"{name} #{i}: allocated {allocated:N0} bytes for a {input.Length}-byte input ({FuzzSettings.SaveFailure(name, i, input)})");
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
                Assert.Fail($"{name} #{i}: took {clock.Elapsed.TotalSeconds:F1} s for a {input.Length}-byte input ({FuzzSettings.SaveFailure(name, i, input)})");
        }
        // The mutations must exercise both outcomes, or the fuzzer is not reaching the reader's checks.
        Assert.True(rejected > iterations / 10, $"{name}: only {rejected} of {iterations} mutants were rejected");
        Assert.True(accepted + rejected == iterations);
    }

    private string Write(string target, int iteration, byte[] bytes)
    {
        // One file per target, rewritten for each input (thousands of fresh files would make the test IO-bound).
        var path = _dir.File($"{target}-input.bin");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
