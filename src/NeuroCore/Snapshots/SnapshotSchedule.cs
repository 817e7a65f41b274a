using System.Globalization;

namespace NeuroCore.Snapshots;

/// <summary>
/// Decides at which optimizer steps <see cref="SnapshotRecorder"/> takes a snapshot. The first
/// (step 0, before training) and the last step are recorded whatever the schedule says.
/// </summary>
public abstract class SnapshotSchedule
{
    /// <summary>True when a snapshot should be taken after optimizer step <paramref name="step"/> (1 = first step).</summary>
    public abstract bool ShouldCapture(int step);

    /// <summary>A short description such as <c>every 10 steps</c>.</summary>
    public abstract override string ToString();

    /// <summary>The scheduled steps in [1, <paramref name="lastStep"/>].</summary>
    public IEnumerable<int> StepsUpTo(int lastStep)
    {
        for (int s = 1; s <= lastStep; s++)
            if (ShouldCapture(s)) yield return s;
    }

    /// <summary>Every <paramref name="interval"/> steps (steps interval, 2·interval, …).</summary>
    public static SnapshotSchedule Every(int interval) =>
        interval >= 1 ? new EverySchedule(interval) : throw new ArgumentOutOfRangeException(nameof(interval), $"The snapshot interval must be at least 1, got {interval}.");

    /// <summary>
    /// Dense early, sparse later: every step up to <paramref name="denseSteps"/>, then intervals growing
    /// geometrically by <paramref name="growth"/> (each scheduled step is about <paramref name="growth"/> times
    /// the previous one), capped at <paramref name="maxInterval"/> steps when given. Networks change fastest
    /// at the start, so this spends snapshots where the pictures change.
    /// </summary>
    public static SnapshotSchedule DenseEarly(int denseSteps = 20, double growth = 1.25, int? maxInterval = null)
    {
        if (denseSteps < 1) throw new ArgumentOutOfRangeException(nameof(denseSteps), $"denseSteps must be at least 1, got {denseSteps}.");
        if (!(growth > 1)) throw new ArgumentOutOfRangeException(nameof(growth), $"growth must be greater than 1, got {growth}.");
        if (maxInterval is < 1) throw new ArgumentOutOfRangeException(nameof(maxInterval), $"maxInterval must be at least 1, got {maxInterval}.");
        return new GeometricSchedule(denseSteps, growth, maxInterval);
    }

    /// <summary>Exactly the given steps.</summary>
    public static SnapshotSchedule AtSteps(IEnumerable<int> steps) => new SetSchedule([.. steps]);

    /// <summary>No scheduled steps: only the first and last step, <see cref="SnapshotRecorder.RequestSnapshot"/> and manual captures.</summary>
    public static SnapshotSchedule OnDemand { get; } = new SetSchedule([]);

    /// <summary>
    /// Parses <c>every:N</c> (or just <c>N</c>), <c>dense-early</c>, <c>dense-early:K</c>,
    /// <c>dense-early:K:GROWTH</c>, <c>on-demand</c> or <c>steps:1,5,10</c>.
    /// </summary>
    /// <exception cref="FormatException">The text is none of these.</exception>
    public static SnapshotSchedule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().ToLowerInvariant().Split(':');
        try
        {
            switch (parts[0])
            {
                case "on-demand" when parts.Length == 1: return OnDemand;
                case "every" when parts.Length == 2: return Every(int.Parse(parts[1], CultureInfo.InvariantCulture));
                case "dense-early" when parts.Length <= 3:
                    return DenseEarly(parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 20,
                        parts.Length > 2 ? double.Parse(parts[2], CultureInfo.InvariantCulture) : 1.25);
                case "steps" when parts.Length == 2:
                    return AtSteps(parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)));
                default:
                    if (parts.Length == 1 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n)) return Every(n);
                    break;
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentOutOfRangeException)
        {
            throw new FormatException($"Invalid snapshot schedule '{text}': {e.Message}", e);
        }
        throw new FormatException($"Invalid snapshot schedule '{text}': expected every:N, dense-early[:K[:GROWTH]], on-demand or steps:A,B,C.");
    }

    private sealed class EverySchedule(int interval) : SnapshotSchedule
    {
        public override bool ShouldCapture(int step) => step > 0 && step % interval == 0;
        public override string ToString() => interval == 1 ? "every step" : $"every {interval} steps";
    }

    private sealed class SetSchedule(HashSet<int> steps) : SnapshotSchedule
    {
        public override bool ShouldCapture(int step) => steps.Contains(step);
        public override string ToString() => steps.Count == 0 ? "on demand" : $"at steps {string.Join(",", steps.Order())}";
    }

    private sealed class GeometricSchedule(int dense, double growth, int? maxInterval) : SnapshotSchedule
    {
        // Scheduled steps after the dense prefix, extended lazily; integer arithmetic keeps it deterministic.
        private readonly List<int> _points = [dense];

        public override bool ShouldCapture(int step)
        {
            if (step <= 0) return false;
            if (step <= dense) return true;
            lock (_points)
            {
                while (_points[^1] < step)
                {
                    long last = _points[^1];
                    long gap = Math.Max(1, (long)Math.Round(last * (growth - 1), MidpointRounding.AwayFromZero));
                    if (maxInterval is int cap) gap = Math.Min(gap, cap);
                    if (last + gap > int.MaxValue) return false;
                    _points.Add((int)(last + gap));
                }
                return _points.BinarySearch(step) >= 0;
            }
        }

        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"every step up to {dense}, then intervals growing ×{growth}{(maxInterval is int c ? $" (at most {c})" : "")}");
    }
}
