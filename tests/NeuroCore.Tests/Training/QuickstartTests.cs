using System.Text.RegularExpressions;
using NeuroCore.Samples;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Training;

/// <summary>The README quickstart must run, learn the spiral, and be shown in README.md exactly as it is in the sample.</summary>
public class QuickstartTests
{
    private static string SamplePath => Path.Combine(RepoPaths.Root, "samples", "Quickstart", "QuickstartSample.cs");

    [Fact]
    public void QuickstartLearnsTheSpiral()
    {
        float accuracy = QuickstartSample.Run();
        Assert.True(accuracy >= 0.97f, $"the quickstart reached only {accuracy:P1} training accuracy on the spiral");
    }

    /// <summary>The lines between <c>// &lt;quickstart&gt;</c> and <c>// &lt;/quickstart&gt;</c>, without their common indentation.</summary>
    internal static string[] QuickstartRegion()
    {
        var lines = File.ReadAllLines(SamplePath);
        int start = Array.FindIndex(lines, l => l.Trim() == "// <quickstart>");
        int end = Array.FindIndex(lines, l => l.Trim() == "// </quickstart>");
        Assert.True(start >= 0 && end > start, $"{SamplePath} must contain a // <quickstart> … // </quickstart> region.");
        return Dedent(lines[(start + 1)..end]);
    }

    private static string[] Dedent(string[] lines)
    {
        int indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return lines.Select(l => (l.Length >= indent ? l[indent..] : l.TrimStart()).TrimEnd()).ToArray();
    }

    [Fact]
    public void ReadmeShowsTheQuickstartVerbatim()
    {
        var region = QuickstartRegion();
        Assert.InRange(region.Length, 5, 30);
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        Assert.True(readme.Contains("<!-- quickstart -->\n```csharp", StringComparison.Ordinal) ||
                    readme.Contains("<!-- quickstart -->\r\n```csharp", StringComparison.Ordinal),
            "README.md must show the quickstart in a ```csharp block right after a <!-- quickstart --> line.");
        var problem = ReadmeQuickstartProblem(readme, region);
        Assert.True(problem is null, problem);
    }

    [Fact]
    public void TheReadmeCheckAcceptsTheRegionAndRejectsAnEditedCopy()
    {
        string[] region = ["var x = 1;", "if (x > 0)", "    Console.WriteLine(x);"];
        const string Fence = "```";
        string Readme(string code, string before = "Some text.") => $"# Title\n\n{before}\n{Fence}csharp\n{code}\n{Fence}\n\nMore.\n";

        Assert.Null(ReadmeQuickstartProblem("# No code here\n", region));
        Assert.Null(ReadmeQuickstartProblem(Readme("Console.WriteLine(\"unrelated\");"), region)); // not claiming to be the quickstart
        Assert.Null(ReadmeQuickstartProblem(Readme("using NeuroCore;\n\nvar x = 1;\nif (x > 0)\n    Console.WriteLine(x);", "<!-- quickstart -->"), region));
        Assert.Null(ReadmeQuickstartProblem(Readme("    var x = 1;\r\n    if (x > 0)\r\n        Console.WriteLine(x);", "<!-- quickstart -->").Replace("\n", "\r\n"), region));
        Assert.NotNull(ReadmeQuickstartProblem(Readme("var x = 2;\nif (x > 0)\n    Console.WriteLine(x);", "<!-- quickstart -->"), region));
        Assert.NotNull(ReadmeQuickstartProblem(Readme("var data = SyntheticData.Spiral();\nvar x = 1;"), region)); // a pasted, outdated quickstart
    }

    /// <summary>
    /// Null when every ```csharp block of <paramref name="readme"/> that claims to be the quickstart contains
    /// <paramref name="region"/> (as consecutive lines, ignoring common indentation); otherwise what is wrong.
    /// A block claims to be the quickstart when the line before it is <c>&lt;!-- quickstart --&gt;</c> or when
    /// it builds the spiral data set (it was pasted from the sample).
    /// </summary>
    internal static string? ReadmeQuickstartProblem(string readme, string[] region)
    {
        readme = readme.Replace("\r\n", "\n");
        var blocks = Regex.Matches(readme, @"(?<before>[^\n]*)\n```(?:csharp|cs|c#)[^\n]*\n(?<code>.*?)\n```", RegexOptions.Singleline)
            .Where(m => m.Groups["before"].Value.Contains("<!-- quickstart -->", StringComparison.Ordinal)
                        || m.Groups["code"].Value.Contains("SyntheticData.Spiral", StringComparison.Ordinal))
            .Select(m => Dedent(m.Groups["code"].Value.Split('\n')));
        foreach (var block in blocks)
        {
            bool contains = Enumerable.Range(0, Math.Max(0, block.Length - region.Length + 1))
                .Any(i => block.Skip(i).Take(region.Length).SequenceEqual(region));
            if (!contains)
                return "README.md's quickstart block differs from samples/Quickstart/QuickstartSample.cs; paste the region between " +
                       "// <quickstart> and // </quickstart> (usings may surround it):\n" + string.Join("\n", region);
        }
        return null;
    }
}
