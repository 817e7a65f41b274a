namespace NeuroCore.Visualization.Runs;

/// <summary>Statistics of weights that colour scales are made of; non-finite values (a diverged run) are ignored.</summary>
public static class WeightStatistics
{
    /// <summary>The largest |v| over the finite values of <paramref name="values"/>, or 0 when there are none.</summary>
    public static float MaxAbsFinite(ReadOnlySpan<float> values)
    {
        float max = 0f;
        foreach (var v in values)
            if (float.IsFinite(v)) max = MathF.Max(max, MathF.Abs(v));
        return max;
    }
}
