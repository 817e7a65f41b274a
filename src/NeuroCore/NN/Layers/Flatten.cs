namespace NeuroCore.NN;

/// <summary>Flattens dimensions <c>startDim..endDim</c> into one, like <c>torch.nn.Flatten</c> (keeps the batch dimension by default).</summary>
public sealed class Flatten : Module
{
    internal override bool MayKeepTensors => false; // keeps its input and output only in the autograd graph

    /// <summary>Creates a flatten layer.</summary>
    public Flatten(int startDim = 1, int endDim = -1)
    {
        StartDim = startDim;
        EndDim = endDim;
    }

    /// <summary>First dimension to flatten.</summary>
    public int StartDim { get; }

    /// <summary>Last dimension to flatten (inclusive; negative counts from the end).</summary>
    public int EndDim { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Config => new Dictionary<string, object>
    {
        ["start_dim"] = StartDim,
        ["end_dim"] = EndDim,
    };
}
