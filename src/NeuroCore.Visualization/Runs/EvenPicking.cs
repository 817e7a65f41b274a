namespace NeuroCore.Visualization.Runs;

/// <summary>Even spacing over a sequence (of snapshots): the one rule every consumer uses to thin a run out.</summary>
public static class EvenPicking
{
    /// <summary>
    /// At most <paramref name="max"/> indexes of <c>0..count−1</c>, evenly spaced, ascending, without
    /// repeats; the first and the last are always included (with <paramref name="max"/> = 1 only the last).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is less than 1 or <paramref name="count"/> negative.</exception>
    public static int[] Indexes(int count, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (count <= max) return [.. Enumerable.Range(0, count)];
        if (max == 1) return [count - 1];
        var picked = new List<int>(max);
        for (int i = 0; i < max; i++)
        {
            int index = (int)Math.Round(i * (count - 1) / (double)(max - 1));
            if (picked.Count == 0 || picked[^1] != index) picked.Add(index);
        }
        return [.. picked];
    }
}
