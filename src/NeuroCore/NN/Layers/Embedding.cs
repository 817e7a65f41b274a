using F = NeuroCore.NN.Functional;

namespace NeuroCore.NN;

/// <summary>
/// A lookup table of <c>weight</c> [num, dim] rows indexed by int64 tensors, like <c>torch.nn.Embedding</c>;
/// the weight starts as N(0, 1) samples as in PyTorch.
/// </summary>
public sealed class Embedding : Module
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    /// <summary>Creates a table of <paramref name="numEmbeddings"/> vectors of size <paramref name="embeddingDim"/>.</summary>
    public Embedding(int numEmbeddings, int embeddingDim, Generator? generator = null)
    {
        LayerChecks.Positive(numEmbeddings, nameof(numEmbeddings), "Embedding");
        LayerChecks.Positive(embeddingDim, nameof(embeddingDim), "Embedding");
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        Weight = RegisterParameter("weight", Init.Normal(Tensor.Zeros(numEmbeddings, embeddingDim), generator: generator));
    }

    /// <summary>Number of rows (the vocabulary size).</summary>
    public int NumEmbeddings { get; }

    /// <summary>Size of each vector.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The table, [num, dim].</summary>
    public Tensor Weight { get; }

    /// <summary>Looks up the rows for int64 <paramref name="input"/> indices; the result has shape input.shape + [dim].</summary>
    public override Tensor Forward(Tensor input) => F.Embedding(input, Weight);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Config => new Dictionary<string, object>
    {
        ["num_embeddings"] = NumEmbeddings,
        ["embedding_dim"] = EmbeddingDim,
    };
}
