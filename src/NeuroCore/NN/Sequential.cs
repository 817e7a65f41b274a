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

    // Reused between forward passes on a thread (taken while in use, so a nested Sequential gets its own).
    [ThreadStatic] private static List<Tensor>? t_intermediates;

    /// <inheritdoc />
    /// <remarks>
    /// A Linear or Conv2d followed by a ReLU, with no forward hook on either, runs as one fused operation:
    /// the same values and gradients, without the ReLU's separate tensor and pass over memory.
    /// An activation passed from one built-in layer to the next, with no forward hook on either, is
    /// reachable only through the autograd graph. Such activations are marked so that the backward pass
    /// that frees the graph returns their memory to <see cref="TensorMemory"/> for the next step — unless
    /// they share storage with this model's input or output (a view or an identity), which the caller holds.
    /// Without a graph (under <see cref="Autograd.GradMode.NoGrad"/>, or when nothing requires grad) such an
    /// activation is dead as soon as the next layer has consumed it, and goes back to the pool at once.
    /// </remarks>
    public override Tensor Forward(Tensor input)
    {
        bool track = _layers.Count > 1 && Autograd.GradMode.IsEnabled;
        var marked = track ? t_intermediates ?? [] : null;
        t_intermediates = null;
        try
        {
            var x = input;
            Tensor? consumed = null; // an activation only the next layer reads, when no graph may save it
            for (int i = 0; i < _layers.Count; i++)
            {
                var layer = _layers[i];
                // A Linear or Conv2d followed by a ReLU, neither observed: one fused op (same values and gradients).
                Tensor? fused = i + 1 < _layers.Count && _layers[i + 1] is ReLU && layer.IsGraphPrivate && _layers[i + 1].IsGraphPrivate
                    ? layer.ForwardThenRelu(x)
                    : null;
                if (fused is not null) i++; // the ReLU is done
                x = fused ?? layer.Call(x);
                bool privateHandOver = i + 1 < _layers.Count && _layers[i].IsGraphPrivate && layer.IsGraphPrivate && _layers[i + 1].IsGraphPrivate;
                if (consumed is not null)
                {
                    if (x.RequiresGrad || ReferenceEquals(consumed.StorageObject, input.StorageObject))
                        consumed = null; // a graph node may have saved it, or the caller holds it
                    else if (ReferenceEquals(consumed.StorageObject, x.StorageObject))
                        consumed = privateHandOver ? consumed : null; // the output views it (Flatten): dead once the view is read
                    else
                    {
                        TensorMemory.Return(consumed.Storage); // read, not saved, not viewed: dead
                        consumed = null;
                    }
                }
                if (consumed is null && privateHandOver && !x.RequiresGrad && x.OwnsStorage && x.DType == DType.Float32) consumed = x;
                if (marked is not null && i + 1 < _layers.Count && x.OwnsStorage && x.RequiresGrad && !x.IsLeaf
                    && _layers[i].IsGraphPrivate && layer.IsGraphPrivate && _layers[i + 1].IsGraphPrivate)
                    marked.Add(x);
            }
            if (marked is not null)
            {
                foreach (var t in marked)
                    if (!ReferenceEquals(t.StorageObject, x.StorageObject) && !ReferenceEquals(t.StorageObject, input.StorageObject))
                        t.GraphOwned = true;
            }
            return x;
        }
        finally
        {
            if (marked is not null)
            {
                marked.Clear();
                t_intermediates = marked;
            }
        }
    }
}
