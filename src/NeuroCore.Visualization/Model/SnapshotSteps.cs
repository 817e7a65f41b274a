using System.Globalization;

namespace NeuroCore.Visualization.Model;

/// <summary>Training step → snapshot index over any <see cref="ISnapshotSource"/>, with the message that names the nearest recorded steps.</summary>
public static class SnapshotSteps
{
    /// <summary>The index in <see cref="ISnapshotSource.Steps"/> of the snapshot recorded at <paramref name="step"/>.</summary>
    /// <exception cref="ArgumentException">No snapshot at that step; the message names the nearest recorded steps.</exception>
    public static int IndexOf(ISnapshotSource source, long step)
    {
        ArgumentNullException.ThrowIfNull(source);
        var steps = source.Steps;
        for (int i = 0; i < steps.Count; i++)
            if (steps[i] == step) return i;
        throw new ArgumentException(DescribeMissing(steps, step), nameof(step));
    }

    /// <summary>The recorded steps closest to <paramref name="step"/>: the one below and the one above (one or none at the ends).</summary>
    public static IReadOnlyList<long> Nearest(IReadOnlyList<long> steps, long step)
    {
        ArgumentNullException.ThrowIfNull(steps);
        long? below = null, above = null;
        foreach (var s in steps)
        {
            if (s < step && (below is null || s > below)) below = s;
            if (s > step && (above is null || s < above)) above = s;
        }
        var near = new List<long>(2);
        if (below is { } b) near.Add(b);
        if (above is { } a) near.Add(a);
        return near;
    }

    /// <summary>"No snapshot at step 600; the run has 12 snapshots between steps 0 and 1140 (nearest: 500, 700)."</summary>
    public static string DescribeMissing(IReadOnlyList<long> steps, long step)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count == 0) return string.Create(CultureInfo.InvariantCulture, $"No snapshot at step {step}; the run has no snapshots yet.");
        var near = Nearest(steps, step);
        return string.Create(CultureInfo.InvariantCulture,
            $"No snapshot at step {step}; the run has {steps.Count} snapshot{(steps.Count == 1 ? "" : "s")} between steps {steps.Min()} and {steps.Max()} (nearest: {string.Join(", ", near)}).");
    }
}
