namespace NeuroCore.NN;

/// <summary>Applies its child modules in order, like <c>torch.nn.Sequential</c>; children are named 0, 1, 2, ….</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = [];

    /// <summary>Creates a sequential model from <paramref name="layers"/>.</summary>
    public Sequential(params Module[] layers)
    {
        foreach (var layer in layers) Add(layer);
    }

    /// <summary>Appends a layer (named by its position).</summary>
    public Sequential Add(Module layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        _layers.Add(layer);
        return this;
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <summary>The layer at <paramref name="index"/>.</summary>
    public Module this[int index] => _layers[index];

    /// <summary>Number of layers.</summary>
    public int Count => _layers.Count;

    internal override bool MayKeepTensors
    {
        get
        {
            foreach (var layer in _layers)
                if (!layer.IsGraphPrivate) return true;
            return false;
        }
    }

    /// <summary>
    /// Whether unobserved Linear→ReLU and Conv2d→ReLU pairs run fused (default). Off only for the A/B
    /// benchmark that measures what fusion buys (<c>FusionBenchmarks</c>); results are the same either way.
    /// </summary>
    internal static bool FuseActivations { get; set; } = true;

    /// <inheritdoc />
    /// <remarks>
    /// A Linear or Conv2d followed by a ReLU, with no forward hook on either, runs as one fused operation:
    /// the same values and gradients, without the ReLU's separate tensor and pass over memory.
    /// An activation handed from one built-in layer to the next, with no forward hook on either, can be
    /// reached only by the layers that read it and by the autograd graph, as long as later layers at most
    /// view it (Flatten) and the view stays inside this model and away from hooks. Its memory then goes back
    /// to <see cref="TensorMemory"/>: after the backward pass that frees the graph, or — when no graph was
    /// recorded (<see cref="Autograd.GradMode.NoGrad"/>, or nothing requires grad) — as soon as a layer has
    /// read it into a new output.
    /// </remarks>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        // The latest activation handed over privately, while the layers after it only view its storage.
        Tensor? pending = null;
        for (int i = 0; i < _layers.Count; i++)
        {
            var layer = _layers[i];
            // A Linear or Conv2d followed by a ReLU, neither observed: one fused op (same values and gradients).
            Tensor? fused = FuseActivations && i + 1 < _layers.Count && _layers[i + 1] is ReLU && layer.IsGraphPrivate && _layers[i + 1].IsGraphPrivate
                ? layer.ForwardThenRelu(x)
                : null;
            if (fused is not null) i++; // the ReLU is done
            x = fused ?? layer.Call(x);
            bool handOver = i + 1 < _layers.Count && layer.IsGraphPrivate && _layers[i].IsGraphPrivate && _layers[i + 1].IsGraphPrivate;

            if (pending is not null)
            {
                if (!ReferenceEquals(pending.StorageObject, x.StorageObject))
                {
                    // Read into new storage. Without a graph node that may have saved it, it is dead now;
                    // with a graph, the backward pass returns it (GraphOwned).
                    if (!pending.GraphOwned && !x.RequiresGrad) TensorMemory.Return(pending.Storage);
                    pending = null;
                }
                else if (!handOver)
                {
                    pending.GraphOwned = false; // a view of it leaves the model or meets a hook
                    pending = null;
                }
            }
            if (pending is null && handOver && x.OwnsStorage && !ReferenceEquals(x.StorageObject, input.StorageObject))
            {
                pending = x;
                x.GraphOwned = x.RequiresGrad && !x.IsLeaf; // recorded: the backward pass that frees its graph returns it
            }
        }
        return x;
    }
}
