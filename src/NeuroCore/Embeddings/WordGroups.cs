namespace NeuroCore.Embeddings;

/// <summary>
/// A small test set of word groups whose members should be near each other (days of the week, number
/// words, family words, months, colours): for every member, the rank of each other member among its
/// cosine neighbours over the whole vocabulary, averaged. A random space gives about half the vocabulary.
/// </summary>
public static class WordGroups
{
    /// <summary>The groups (lower case, as <see cref="BrownCorpus"/> yields words).</summary>
    public static IReadOnlyDictionary<string, string[]> Default { get; } = new Dictionary<string, string[]>
    {
        ["days"] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
        ["numbers"] = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"],
        ["family"] = ["father", "mother", "son", "daughter", "brother", "sister", "husband", "wife", "uncle", "aunt"],
        ["months"] = ["january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december"],
        ["colours"] = ["red", "green", "blue", "yellow", "white", "black", "brown", "gray"],
    };

    /// <summary>Mean rank of group members per group (members missing from the vocabulary are skipped and listed).</summary>
    public static IReadOnlyList<WordGroupScore> Evaluate(WordVectors vectors, IReadOnlyDictionary<string, string[]>? groups = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        var scores = new List<WordGroupScore>();
        foreach (var (name, words) in groups ?? Default)
        {
            var present = words.Where(vectors.Contains).ToArray();
            var missing = words.Where(w => !vectors.Contains(w)).ToArray();
            double sum = 0;
            int pairs = 0, inTop10 = 0;
            foreach (var a in present)
                foreach (var b in present)
                {
                    if (a == b) continue;
                    int r = vectors.Rank(a, b);
                    sum += r;
                    pairs++;
                    if (r <= 10) inTop10++;
                }
            scores.Add(new WordGroupScore(name, present, missing, pairs > 0 ? sum / pairs : double.NaN, pairs > 0 ? inTop10 / (double)pairs : double.NaN));
        }
        return scores;
    }
}

/// <summary>How close one group's members are to each other.</summary>
/// <param name="Group">Group name.</param>
/// <param name="Words">Members found in the vocabulary.</param>
/// <param name="Missing">Members not in the vocabulary.</param>
/// <param name="MeanRank">Mean rank of a member among another member's neighbours (1 = nearest).</param>
/// <param name="ShareInTop10">Share of member pairs within each other's 10 nearest.</param>
public sealed record WordGroupScore(string Group, IReadOnlyList<string> Words, IReadOnlyList<string> Missing, double MeanRank, double ShareInTop10);
