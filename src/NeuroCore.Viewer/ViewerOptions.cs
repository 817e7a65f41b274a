namespace NeuroCore.Viewer;

/// <summary>Settings of the viewer and the playground (bind them from configuration in the host).</summary>
public sealed class ViewerOptions
{
    /// <summary>Connections drawn by default (strongest per layer, shared in proportion to layer size); default 5,000.</summary>
    public int DefaultConnectionBudget { get; init; } = 5_000;

    /// <summary>The largest budget a page may ask for; default 200,000.</summary>
    public int MaxConnectionBudget { get; init; } = 200_000;

    /// <summary>How often the server looks for new snapshots of a followed run (server-sent events); default 200 ms.</summary>
    public TimeSpan LivePollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Playground trainings allowed at once over all sessions; further session requests get 429. Default 4.</summary>
    public int MaxConcurrentTrainings { get; init; } = 4;

    /// <summary>A playground session nobody has looked at (no stream, no command) for this long is stopped and removed; default 60 s.</summary>
    public TimeSpan PlaygroundIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Training steps a playground session may take before it stops; default 20,000.</summary>
    public int PlaygroundMaxSteps { get; init; } = 20_000;

    /// <summary>Snapshots a playground session records into its run at most; default 400.</summary>
    public int PlaygroundMaxSnapshots { get; init; } = 400;

    /// <summary>Largest number of parameters a playground model may have; default 20,000.</summary>
    public int PlaygroundMaxParameters { get; init; } = 20_000;

    /// <summary>Live frames a playground stream sends per second at most; default 20.</summary>
    public int PlaygroundFramesPerSecond { get; init; } = 20;

    /// <summary>
    /// Training steps a playground session takes per second at most; default 300. A small network on a fast machine
    /// would otherwise run through its whole step budget in a few seconds, too fast to watch it learn.
    /// </summary>
    public int PlaygroundStepsPerSecond { get; init; } = 300;

    internal void Validate()
    {
        if (DefaultConnectionBudget < 0 || MaxConnectionBudget < DefaultConnectionBudget)
            throw new ArgumentException($"ViewerOptions: need 0 <= DefaultConnectionBudget ({DefaultConnectionBudget}) <= MaxConnectionBudget ({MaxConnectionBudget}).");
        if (MaxConcurrentTrainings < 0) throw new ArgumentException("ViewerOptions.MaxConcurrentTrainings must be 0 or more.");
        if (PlaygroundMaxSteps < 1 || PlaygroundMaxSnapshots < 2 || PlaygroundMaxParameters < 1 || PlaygroundFramesPerSecond is < 1 or > 60 || PlaygroundStepsPerSecond < 1)
            throw new ArgumentException("ViewerOptions: playground limits must be positive (frames per second 1..60, steps per second >= 1, snapshots >= 2).");
    }
}
