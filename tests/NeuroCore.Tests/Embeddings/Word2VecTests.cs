using NeuroCore.Embeddings;

namespace NeuroCore.Tests.Embeddings;

/// <summary>word2vec on a planted corpus: words of one topic only ever appear together, so they must end up neighbours.</summary>
public class Word2VecTests
{
    private static List<IReadOnlyList<string>> PlantedCorpus()
    {
        var rng = new Random(5);
        string[][] topics = [Enumerable.Range(0, 8).Select(i => $"fruit{i}").ToArray(), Enumerable.Range(0, 8).Select(i => $"tool{i}").ToArray(), Enumerable.Range(0, 8).Select(i => $"star{i}").ToArray()];
        var sentences = new List<IReadOnlyList<string>>();
        for (int s = 0; s < 3000; s++)
        {
            var topic = topics[s % 3];
            sentences.Add(Enumerable.Range(0, 10).Select(_ => topic[rng.Next(topic.Length)]).ToArray());
        }
        return sentences;
    }

    [Fact]
    public void NeighboursComeFromTheSameTopic()
    {
        var result = Word2Vec.Train(PlantedCorpus(), new Word2VecOptions { Dimensions = 16, Epochs = 3, Threads = 1, Sample = 0, MinCount = 1 });
        Assert.Equal(24, result.Vocabulary.Count);
        foreach (var word in new[] { "fruit0", "tool3", "star7" })
        {
            var prefix = word[..^1];
            var near = result.Vectors.Nearest(word, 5);
            Assert.All(near, n => Assert.StartsWith(prefix, n.Word));
        }
        var scores = WordGroups.Evaluate(result.Vectors, new Dictionary<string, string[]> { ["fruit"] = ["fruit0", "fruit1", "fruit2"], ["mixed"] = ["fruit0", "tool0", "star0", "nothing"] });
        Assert.True(scores[0].MeanRank <= 7, $"fruit mean rank {scores[0].MeanRank}");
        Assert.True(scores[1].MeanRank > 10, $"mixed mean rank {scores[1].MeanRank}");
        Assert.Equal(["nothing"], scores[1].Missing);
        Assert.True(result.WordsPerSecondPerThread > 0);
    }

    [Fact]
    public void OneThreadIsReproducible()
    {
        var o = new Word2VecOptions { Dimensions = 8, Epochs = 1, Threads = 1, MinCount = 1 };
        var a = Word2Vec.Train(PlantedCorpus(), o).Vectors.Vectors;
        var b = Word2Vec.Train(PlantedCorpus(), o).Vectors.Vectors;
        Assert.Equal(a, b);
    }

    [Fact]
    public void BrownTokensDropTagsAndPunctuation()
    {
        Assert.Equal(["the", "fulton", "county", "atlanta's"], BrownCorpus.Tokens("\tThe/at Fulton/np-tl County/nn-tl ``/`` Atlanta's/np$ ./."));
        Assert.Throws<DirectoryNotFoundException>(() => BrownCorpus.ReadSentences(Path.GetTempPath()).ToList());
    }

    [Fact]
    public void UnknownWordIsNamed()
    {
        var v = new WordVectors(["a", "b"], [1, 0, 0, 1], 2);
        Assert.Contains("'zebra' is not in the vocabulary", Assert.Throws<KeyNotFoundException>(() => v.Nearest("zebra")).Message);
        Assert.Equal("b", v.Nearest("a", 1)[0].Word);
    }
}
