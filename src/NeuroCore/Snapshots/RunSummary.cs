namespace NeuroCore.Snapshots;

/// <summary>
/// <c>summary.json</c>: written once when recording ends normally (its presence means the run is
/// finished): how many snapshots, the last step, the wall time and the final epoch's metrics.
/// </summary>
public sealed record RunSummary
{
    /// <summary>Number of snapshots written.</summary>
    public int Snapshots { get; init; }

    /// <summary>The last snapshot's step, or null when none was written.</summary>
    public long? LastStep { get; init; }

    /// <summary>Seconds from the start of recording to its end.</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>Number of epochs completed, when known.</summary>
    public int? Epochs { get; init; }

    /// <summary>Mean training loss of the last epoch, when finite.</summary>
    public double? FinalEpochLoss { get; init; }

    /// <summary>Training accuracy of the last epoch (0..1), when measured.</summary>
    public double? FinalEpochAccuracy { get; init; }

    /// <summary>Validation loss after the last epoch, when finite.</summary>
    public double? FinalValidationLoss { get; init; }

    /// <summary>Validation accuracy after the last epoch (0..1), when measured.</summary>
    public double? FinalValidationAccuracy { get; init; }
}
