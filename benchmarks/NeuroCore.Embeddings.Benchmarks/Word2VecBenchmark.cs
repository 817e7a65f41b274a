/// <summary>word2vec on the Brown corpus (filled in with the word2vec implementation).</summary>
internal static class Word2VecBenchmark
{
    public static void Run() => Console.WriteLine("word2vec: not built yet");
}
