using System.CommandLine;
using System.Text.RegularExpressions;
using NeuroCore.Cli;

namespace NeuroCore.Cli.Tests.Commands;

/// <summary>
/// Every <c>neurocore …</c> command line shown in the README and docs/ parses against the real command tree
/// (so a renamed option such as demo's old <c>--out</c> cannot linger in the documentation).
/// </summary>
public partial class DocumentedCommandLinesTests
{
    public static TheoryData<string, string> DocumentedLines()
    {
        var data = new TheoryData<string, string>();
        foreach (var (file, line) in Lines()) data.Add(file, line);
        return data;
    }

    private static List<(string File, string Line)> Lines()
    {
        var data = new List<(string, string)>();
        var files = new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(RepoPaths.Root, "docs"), "*.md").Select(f => Path.GetRelativePath(RepoPaths.Root, f)))
            .Concat(Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "PACKAGE.md", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(RepoPaths.Root, f)));
        foreach (var file in files)
        {
            bool code = false;
            string pending = ""; // a shell line continued with a trailing backslash
            foreach (var text in File.ReadLines(Path.Combine(RepoPaths.Root, file)))
            {
                if (text.TrimStart().StartsWith("```", StringComparison.Ordinal)) { code = !code; pending = ""; continue; }
                if (code && text.TrimEnd().EndsWith('\\')) { pending += text.TrimEnd()[..^1].Trim() + " "; continue; }
                string raw = pending.Length > 0 ? pending + text.Trim() : text;
                pending = "";
                var m = CommandLine().Match(raw);
                if (!code || !m.Success) continue;
                // Comments after "#" or after a wide gap (aligned synopses) are not part of the line.
                string line = m.Groups["args"].Value.Split(" #")[0].Split("  ")[0].Trim();
                if (line.Split(' ')[0].EndsWith(':')) continue; // printed output ("neurocore train: … error"), not a command
                // Synopses with placeholders (RUN, [options], <command>, …) are not runnable lines.
                if (line.Length == 0 || line.IndexOfAny(['[', '<', '…', '|']) >= 0 || Regex.IsMatch(line, @"\b(RUN|FILE|FOLDER|DIR|N|X|K|SPEC|NAME)\b")) continue;
                data.Add((file, line));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DocumentedLines))]
    public void ParsesAgainstTheCommandTree(string file, string line)
    {
        var result = CliApp.CreateRootCommand().Parse(line);
        Assert.True(result.Errors.Count == 0, $"{file}: 'neurocore {line}': {string.Join("; ", result.Errors.Select(e => e.Message))}");
        Assert.NotNull(result.Action); // a command that runs, or --help / --version
    }

    [Fact]
    public void TheReadmesFirstCommandIsTheDemo()
    {
        var first = Lines().First(r => r.File == "README.md");
        Assert.StartsWith("demo -o ", first.Line);
    }

    // "neurocore train …" or "dotnet run [-c Release] --project src/NeuroCore.Cli -- train …", not error examples ("$ neurocore …").
    [GeneratedRegex(@"^\s*(?:neurocore|dotnet run(?: -c \w+)? --project src/NeuroCore\.Cli --)\s+(?<args>.*)$")]
    private static partial Regex CommandLine();
}
