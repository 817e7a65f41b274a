using NeuroCore.Training;

namespace NeuroCore.Optim;

/// <summary>When a scheduler used as a training callback advances.</summary>
public enum ScheduleInterval
{
    /// <summary>Once per epoch (PyTorch's usual <c>scheduler.step()</c> after each epoch).</summary>
    Epoch,
    /// <summary>Once per optimizer step (typical for warm-up and per-iteration cosine schedules).</summary>
    Step,
}

/// <summary>
/// Sets an optimizer's learning rate from a schedule, like <c>torch.optim.lr_scheduler</c>. The schedule is a
/// pure function <see cref="LearningRateAt"/> of the number of <see cref="Step"/> calls made so far
/// (t = 0 at construction, when the learning rate is set to its t = 0 value).
/// </summary>
/// <remarks>
/// Use it standalone (call <see cref="Step"/> after each epoch or each <c>optimizer.Step()</c>), or add it
/// to a <see cref="Trainer"/>'s callbacks, where it steps per <see cref="Interval"/>.
/// </remarks>
public abstract class LearningRateScheduler : ITrainingCallback
{
    /// <summary>Captures the optimizer's current learning rate as the base rate and applies the t = 0 value.</summary>
    /// <remarks>Derived constructors must validate their arguments before calling <see cref="Apply"/>.</remarks>
    protected LearningRateScheduler(Optimizer optimizer, ScheduleInterval interval)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLearningRate = optimizer.LearningRate;
        Interval = interval;
    }

    /// <summary>The optimizer whose learning rate is set.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The optimizer's learning rate when the scheduler was created.</summary>
    public float BaseLearningRate { get; }

    /// <summary>Whether, as a training callback, the scheduler steps per epoch or per optimizer step.</summary>
    public ScheduleInterval Interval { get; }

    /// <summary>Number of <see cref="Step"/> calls so far (PyTorch's <c>last_epoch</c>).</summary>
    public int StepCount { get; private set; }

    /// <summary>The learning rate the schedule gives after <paramref name="t"/> steps (t ≥ 0).</summary>
    public abstract float LearningRateAt(int t);

    /// <summary>Advances the schedule by one and sets the optimizer's learning rate.</summary>
    public void Step()
    {
        StepCount++;
        Apply();
    }

    /// <summary>Sets the optimizer's learning rate to the value for the current <see cref="StepCount"/>.</summary>
    protected void Apply() => Optimizer.LearningRate = LearningRateAt(StepCount);

    void ITrainingCallback.OnStepEnd(TrainingContext context, StepMetrics step)
    {
        if (Interval == ScheduleInterval.Step) Step();
    }

    void ITrainingCallback.OnEpochEnd(TrainingContext context, EpochMetrics epoch)
    {
        if (Interval == ScheduleInterval.Epoch) Step();
    }
}

/// <summary>
/// Multiplies the learning rate by <c>gamma</c> every <c>stepSize</c> steps, like <c>StepLR</c>:
/// lr(t) = base · γ^⌊t / stepSize⌋.
/// </summary>
public sealed class StepLR : LearningRateScheduler
{
    /// <summary>Creates the schedule (per epoch by default, as in PyTorch).</summary>
    public StepLR(Optimizer optimizer, int stepSize, float gamma = 0.1f, ScheduleInterval interval = ScheduleInterval.Epoch)
        : base(optimizer, interval)
    {
        if (stepSize <= 0) throw new ArgumentOutOfRangeException(nameof(stepSize), $"StepLR: stepSize must be positive, got {stepSize}.");
        if (!(gamma >= 0) || float.IsInfinity(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), $"StepLR: gamma must be a finite number >= 0, got {gamma}.");
        StepSize = stepSize;
        Gamma = gamma;
        Apply();
    }

    /// <summary>Steps between decays.</summary>
    public int StepSize { get; }

    /// <summary>Multiplicative decay factor.</summary>
    public float Gamma { get; }

    /// <inheritdoc />
    public override float LearningRateAt(int t) => (float)(BaseLearningRate * Math.Pow(Gamma, t / StepSize));
}

/// <summary>
/// Cosine annealing from the base rate down to <c>etaMin</c> over <c>tMax</c> steps, like
/// <c>CosineAnnealingLR</c> (closed form): lr(t) = η_min + (base − η_min)·(1 + cos(π·t/T_max))/2.
/// After <c>tMax</c> the rate stays at <c>etaMin</c>.
/// </summary>
public sealed class CosineAnnealingLR : LearningRateScheduler
{
    /// <summary>Creates the schedule (per epoch by default, as in PyTorch).</summary>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, float etaMin = 0, ScheduleInterval interval = ScheduleInterval.Epoch)
        : base(optimizer, interval)
    {
        if (tMax <= 0) throw new ArgumentOutOfRangeException(nameof(tMax), $"CosineAnnealingLR: tMax must be positive, got {tMax}.");
        if (!(etaMin >= 0) || float.IsInfinity(etaMin)) throw new ArgumentOutOfRangeException(nameof(etaMin), $"CosineAnnealingLR: etaMin must be a finite number >= 0, got {etaMin}.");
        TMax = tMax;
        EtaMin = etaMin;
        Apply();
    }

    /// <summary>Steps from the base rate to the minimum.</summary>
    public int TMax { get; }

    /// <summary>The minimum learning rate.</summary>
    public float EtaMin { get; }

    /// <inheritdoc />
    public override float LearningRateAt(int t)
    {
        if (t >= TMax) return EtaMin;
        return (float)(EtaMin + (BaseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * t / TMax)) / 2);
    }
}

/// <summary>
/// Linear warm-up: the rate grows from <c>startFactor</c>·base to base over <c>warmupSteps</c> steps
/// (like <c>LinearLR</c>), then follows the optional <c>then</c> schedule, shifted to start at its t = 0
/// (like <c>SequentialLR</c>), or stays at the base rate.
/// </summary>
public sealed class LinearWarmup : LearningRateScheduler
{
    /// <summary>Creates a warm-up schedule.</summary>
    /// <param name="optimizer">The optimizer (its current learning rate is the target rate).</param>
    /// <param name="warmupSteps">Steps of warm-up.</param>
    /// <param name="then">The schedule after warm-up (built on the same optimizer), or null to stay at the base rate.
    /// Do not also register it as a callback: this scheduler drives it.</param>
    /// <param name="startFactor">Fraction of the base rate at t = 0, in (0, 1].</param>
    /// <param name="interval">Whether to advance per optimizer step (default) or per epoch as a callback.</param>
    public LinearWarmup(Optimizer optimizer, int warmupSteps, LearningRateScheduler? then = null, float startFactor = 1f / 3,
        ScheduleInterval interval = ScheduleInterval.Step)
        : base(optimizer, interval)
    {
        if (warmupSteps <= 0) throw new ArgumentOutOfRangeException(nameof(warmupSteps), $"LinearWarmup: warmupSteps must be positive, got {warmupSteps}.");
        if (!(startFactor > 0 && startFactor <= 1)) throw new ArgumentOutOfRangeException(nameof(startFactor), $"LinearWarmup: startFactor must be in (0, 1], got {startFactor}.");
        if (then is not null && !ReferenceEquals(then.Optimizer, optimizer))
            throw new ArgumentException("LinearWarmup: the schedule after warm-up must drive the same optimizer.", nameof(then));
        WarmupSteps = warmupSteps;
        Then = then;
        StartFactor = startFactor;
        Apply();
    }

    /// <summary>Steps of warm-up.</summary>
    public int WarmupSteps { get; }

    /// <summary>The schedule after warm-up, or null.</summary>
    public LearningRateScheduler? Then { get; }

    /// <summary>Fraction of the base rate at t = 0.</summary>
    public float StartFactor { get; }

    /// <inheritdoc />
    public override float LearningRateAt(int t)
    {
        if (t < WarmupSteps) return (float)(BaseLearningRate * (StartFactor + (1.0 - StartFactor) * t / WarmupSteps));
        return Then?.LearningRateAt(t - WarmupSteps) ?? BaseLearningRate;
    }
}
