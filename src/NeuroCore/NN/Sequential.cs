using NeuroCore.Memory;

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

    /// <inheritdoc />
    /// <remarks>
    /// Each layer in turn, with two helpers: <see cref="Fusion"/> runs an unobserved Linear or Conv2d and the ReLU
    /// after it as one fused op (the same values and gradients), and the memory owner
    /// (<see cref="ActivationHandOff"/>) is told about every output, so that activations passed privately between
    /// built-in layers go back to <see cref="TensorMemory"/> once nothing can read them.
    /// </remarks>
    public override Tensor Forward(Tensor input)
    {
        var handOff = new ActivationHandOff(input);
        var x = input;
        for (int i = 0, taken; i < _layers.Count; i += taken)
        {
            x = Fusion.Forward(_layers, i, x, out taken);
            int next = i + taken;
            handOff.OutputProduced(x, producer: _layers[next - 1], consumer: next < _layers.Count ? _layers[next] : null);
        }
        return x;
    }
}
