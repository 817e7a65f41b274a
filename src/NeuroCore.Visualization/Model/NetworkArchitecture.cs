namespace NeuroCore.Visualization.Model;

/// <summary>The architecture of a run: its layers in order, input first. Connections run from layer i−1 to layer i.</summary>
public sealed class NetworkArchitecture
{
    /// <summary>Creates an architecture, checking that names are unique and shapes are usable.</summary>
    /// <exception cref="ArgumentException">No layers, a duplicate or empty name, or an empty/invalid shape.</exception>
    public NetworkArchitecture(IReadOnlyList<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            if (string.IsNullOrWhiteSpace(l.Name)) throw new ArgumentException($"Layer {i} has no name.", nameof(layers));
            if (l.Name.Contains('/')) throw new ArgumentException($"Layer name '{l.Name}' must not contain '/': it separates parts of node names.", nameof(layers));
            if (!names.Add(l.Name)) throw new ArgumentException($"Layer name '{l.Name}' is used twice.", nameof(layers));
            if (l.Shape.Length is < 1 or > 3 || l.Shape.Any(d => d <= 0))
                throw new ArgumentException($"Layer '{l.Name}' has shape [{string.Join(", ", l.Shape)}]; expected 1 to 3 positive sizes.", nameof(layers));
            if (l.Kind == LayerKind.Conv2d && l.Shape.Length != 3)
                throw new ArgumentException($"Conv2d layer '{l.Name}' has shape [{string.Join(", ", l.Shape)}]; expected [C, H, W].", nameof(layers));
            if (i == 0 && l.HasWeights) throw new ArgumentException($"The first layer '{l.Name}' cannot have weights: there is nothing before it.", nameof(layers));
        }
        Layers = layers.ToArray();
    }

    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<LayerSpec> Layers { get; }

    /// <summary>Index of the layer called <paramref name="name"/>, or −1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Layers.Count; i++) if (Layers[i].Name == name) return i;
        return -1;
    }
}
