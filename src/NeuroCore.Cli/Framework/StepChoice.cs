using System.CommandLine;
using System.Globalization;

namespace NeuroCore.Cli;

/// <summary>
/// The one rule for <c>--step N</c> (a training step, never a snapshot index) in every command: a step the run
/// recorded is used; any other is a failure (exit 1) naming the nearest recorded steps, unless <c>--nearest</c>
/// asks for the closest one.
/// </summary>
public static class StepChoice
{
    /// <summary>The <c>--step</c> option.</summary>
    public static Option<int?> StepOption(string description) => CliOptions.Int("--step", "N", description, 0);

    /// <summary>The <c>--nearest</c> flag.</summary>
    public static Option<bool> NearestOption() =>
        CliOptions.Flag("--nearest", "With --step: use the recorded step closest to N when N itself was not recorded (ties go to the earlier one).");

    /// <summary>
    /// The index in <paramref name="steps"/> (ascending) of <paramref name="step"/>; with <paramref name="nearest"/> the
    /// closest recorded step's. Writes a note to <paramref name="error"/> when a nearest step replaced the request.
    /// </summary>
    /// <exception cref="CliException">The step was not recorded and <paramref name="nearest"/> is false, or the run has no snapshots.</exception>
    public static int Resolve(IReadOnlyList<long> steps, long step, bool nearest, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count == 0) throw new CliException("the run has no snapshots yet");
        for (int i = 0; i < steps.Count; i++)
            if (steps[i] == step) return i;
        int below = -1, above = -1;
        for (int i = 0; i < steps.Count; i++)
        {
            if (steps[i] < step) below = i;
            else if (above < 0) above = i;
        }
        if (nearest)
        {
            int pick = below < 0 ? above : above < 0 ? below : step - steps[below] <= steps[above] - step ? below : above;
            error?.WriteLine($"No snapshot at step {step}; using the nearest recorded step, {steps[pick]}.");
            return pick;
        }
        var near = new[] { below, above }.Where(i => i >= 0).Select(i => steps[i].ToString(CultureInfo.InvariantCulture)).ToList();
        string nearText = near.Count == 1 ? $"the nearest recorded step is {near[0]}" : $"the nearest recorded steps are {near[0]} and {near[1]}";
        throw new CliException(string.Create(CultureInfo.InvariantCulture,
            $"--step {step}: the run has no snapshot at that step; {nearText} ({steps.Count} snapshots, steps {steps[0]}–{steps[^1]}; 'inspect RUN --steps' lists them, --nearest picks the closest)"));
    }
}
