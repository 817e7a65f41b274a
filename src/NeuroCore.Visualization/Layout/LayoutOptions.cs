namespace NeuroCore.Visualization.Layout;

/// <summary>
/// Knobs of <see cref="NetworkLayout.Compute"/>. Units are scene units (glTF metres). The defaults
/// put a 28×28 image about 2.7 units wide; null spacings are derived from the layer sizes.
/// </summary>
public sealed record LayoutOptions
{
    /// <summary>Distance between neighbouring neurons of a grid (default 0.1).</summary>
    public float NeuronSpacing { get; init; } = 0.1f;

    /// <summary>Radius of a neuron's sphere at full size; null = 0.35 × <see cref="NeuronSpacing"/> (neighbours never touch).</summary>
    public float? NeuronRadius { get; init; }

    /// <summary>
    /// Fixed gap along X between consecutive layers; null (default) adapts it to the layers' sizes:
    /// <see cref="LayerGapFactor"/> × the larger of the two layers' extents, at least <see cref="MinLayerGap"/>,
    /// so the fan of connections between two big layers does not collapse into a wall.
    /// </summary>
    public float? LayerGap { get; init; }

    /// <summary>Adaptive gap as a multiple of the larger neighbouring layer's extent (default 0.9).</summary>
    public float LayerGapFactor { get; init; } = 0.9f;

    /// <summary>Smallest adaptive gap between layers (default 1.0).</summary>
    public float MinLayerGap { get; init; } = 1.0f;

    /// <summary>Distance along X between the feature-map planes of a conv layer (or image channels); null = 3 × <see cref="NeuronSpacing"/>.</summary>
    public float? PlaneSpacing { get; init; }

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public void Validate()
    {
        static void Positive(float? v, string name)
        {
            if (v is { } x && !(x > 0f && float.IsFinite(x))) throw new ArgumentException($"Layout option {name} must be a positive finite number, got {x}.");
        }
        Positive(NeuronSpacing, nameof(NeuronSpacing));
        Positive(NeuronRadius, nameof(NeuronRadius));
        Positive(LayerGap, nameof(LayerGap));
        Positive(LayerGapFactor, nameof(LayerGapFactor));
        Positive(MinLayerGap, nameof(MinLayerGap));
        Positive(PlaneSpacing, nameof(PlaneSpacing));
    }
}
