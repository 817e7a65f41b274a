using System.Globalization;

namespace NeuroCore.Tests.Fuzz;

/// <summary>
/// How long the seeded fuzz tests run. In CI: a fixed seed and a few thousand inputs per reader (seconds).
/// For a longer run outside CI: <c>NEUROCORE_FUZZ_ITERATIONS=200000 NEUROCORE_FUZZ_SEED=7</c>
/// (see tests/README.md); a failing input is saved under <c>NEUROCORE_FUZZ_OUT</c> (default: the temp folder).
/// </summary>
internal static class FuzzSettings
{
    public static int Iterations(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable("NEUROCORE_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n : ciDefault;

    public static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable("NEUROCORE_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) ? s : 14;

    /// <summary>Saves a failing input so it can be replayed; returns its path.</summary>
    public static string SaveFailure(string target, int iteration, byte[] input)
    {
        var folder = Environment.GetEnvironmentVariable("NEUROCORE_FUZZ_OUT") is { Length: > 0 } f ? f : Path.Combine(Path.GetTempPath(), "neurocore-fuzz-failures");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{target}-seed{Seed}-{iteration}.bin");
        File.WriteAllBytes(path, input);
        return path;
    }
}
