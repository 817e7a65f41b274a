using NeuroCore.Embeddings;

namespace NeuroCore.Visualization.Embeddings;

/// <summary>
/// An embedding ready to be written or served: the coordinates of every point, its label or word, and
/// its nearest neighbours in the input space (what a viewer highlights on hover).
/// </summary>
/// <param name="Source">The input rows and their labels/images.</param>
/// <param name="Coordinates">N × <paramref name="Dimensions"/> embedded coordinates.</param>
/// <param name="Dimensions">2 or 3.</param>
/// <param name="Method">How the coordinates were made ("tsne", "pca").</param>
/// <param name="Names">A name per point (a word, or null to use "label #index").</param>
/// <param name="Neighbors">Each point's nearest neighbours in the input space, or null.</param>
/// <param name="Metrics">Figures to keep with the result (KL divergence, trustworthiness, …).</param>
public sealed record EmbeddingView(EmbeddingSource Source, float[] Coordinates, int Dimensions, string Method,
    IReadOnlyList<string>? Names, NeighborGraph? Neighbors, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>Number of points.</summary>
    public int Count => Source.Input.Count;

    /// <summary>The display name of point <paramref name="i"/>.</summary>
    public string NameOf(int i) => Names is { } n ? n[i] : Source.Labels is null ? $"#{i}" : $"{Source.LabelText(i)} #{i}";

    /// <summary>Checks that the parts agree.</summary>
    /// <exception cref="ArgumentException">Sizes disagree.</exception>
    public void Validate()
    {
        if (Dimensions is < 1 or > 3) throw new ArgumentException($"Embedding view: Dimensions must be 1..3, got {Dimensions}.");
        if (Coordinates.Length != Count * Dimensions) throw new ArgumentException($"Embedding view: {Coordinates.Length} coordinates for {Count} points × {Dimensions}.");
        if (Names is not null && Names.Count != Count) throw new ArgumentException($"Embedding view: {Names.Count} names for {Count} points.");
        if (Neighbors is not null && Neighbors.Count != Count) throw new ArgumentException($"Embedding view: neighbours of {Neighbors.Count} points for {Count}.");
    }
}
