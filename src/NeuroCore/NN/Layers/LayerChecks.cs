namespace NeuroCore.NN;

/// <summary>Argument checks shared by the layer constructors.</summary>
internal static class LayerChecks
{
    public static void Positive(int value, string name, string layer)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, $"{layer}: {name} must be positive, got {value}.");
    }

    public static void NonNegative(int value, string name, string layer)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(name, $"{layer}: {name} must be non-negative, got {value}.");
    }

    public static void PositiveFinite(float value, string name, string layer)
    {
        if (!(value > 0) || float.IsInfinity(value)) throw new ArgumentOutOfRangeException(name, $"{layer}: {name} must be a positive number, got {value}.");
    }
}
