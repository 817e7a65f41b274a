using System.Text.Json;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Conformance;

/// <summary>
/// Runs every case file in the conformance folder (PyTorch as the oracle). A case whose kind or op
/// is unknown fails: nothing is silently skipped.
/// </summary>
public class ConformanceTests
{
    public static TheoryData<string> Cases()
    {
        var dir = RepoPaths.ConformanceDir;
        var data = new TheoryData<string>();
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"Conformance folder not found: {dir} (set NEUROCORE_CONFORMANCE_DIR).");
        foreach (var f in Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        if (data.Count == 0) throw new InvalidOperationException($"No *.json conformance cases in {dir}.");
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.ConformanceDir, file)));
        var root = doc.RootElement;
        var kind = root.GetProperty("kind").GetString();
        switch (kind)
        {
            case "ops": OpsCaseRunner.Run(root); break;
            case "optimizer": OptimizerCaseRunner.Run(root); break;
            case "training": TrainingCaseRunner.Run(root); break;
            default: Assert.Fail($"{file}: unknown case kind '{kind}'."); break;
        }
    }

    [Fact]
    public void FolderHoldsCases() => Assert.NotEmpty(Cases());
}
