using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Embeddings;

/// <summary>
/// The exact t-SNE repulsion has one source: the AVX-512 tier. The AVX2 tier is the same code at half the width,
/// derived from it textually, so a fix made in one cannot be forgotten in the other.
/// </summary>
public class ExactRepulsionTierSourceTests
{
    private static string Folder => Path.Combine(RepoPaths.Root, "src", "NeuroCore", "Embeddings");

    private const string SourceNote =
        "// This file is the one to edit: ExactRepulsion.Avx2.cs is derived from it by replacing Vector512 with Vector256,\n" +
        "// Avx512 with Avx2 and the width 16 with 8 (ExactRepulsionTierSourceTests checks that and, with\n" +
        "// NEUROCORE_REGENERATE=1, rewrites it).";

    private const string DerivedNote =
        "// Derived from ExactRepulsion.Avx512.cs (Vector512 -> Vector256, Avx512 -> Avx2, width 16 -> 8): edit that file\n" +
        "// and regenerate this one with NEUROCORE_REGENERATE=1 and the test class ExactRepulsionTierSourceTests,\n" +
        "// which fails while the two differ.";

    /// <summary>The AVX2 file as the AVX-512 file determines it.</summary>
    internal static string DeriveAvx2(string avx512) => avx512
        .Replace(SourceNote, "@@derived@@")
        .Replace("// AVX-512 tier (Vector512): 16 pairs per step and row.", "// AVX2 tier (Vector256): 8 pairs per step and row.")
        .Replace("const int W = 16;", "const int W = 8;")
        .Replace("Vector512", "Vector256")
        .Replace("Avx512", "Avx2")
        .Replace("@@derived@@", DerivedNote);

    [Fact]
    public void TheAvx2TierIsTheAvx512TierAtHalfWidth()
    {
        var source = File.ReadAllText(Path.Combine(Folder, "ExactRepulsion.Avx512.cs"));
        var expected = DeriveAvx2(source);
        var path = Path.Combine(Folder, "ExactRepulsion.Avx2.cs");
        if (Environment.GetEnvironmentVariable("NEUROCORE_REGENERATE") == "1") File.WriteAllText(path, expected);
        Assert.True(expected == File.ReadAllText(path),
            "ExactRepulsion.Avx2.cs no longer matches ExactRepulsion.Avx512.cs at half width. Edit the AVX-512 file, then run " +
            "NEUROCORE_REGENERATE=1 dotnet test -c Release --project tests/NeuroCore.Tests -- --filter-class " + typeof(ExactRepulsionTierSourceTests).FullName);
    }
}
