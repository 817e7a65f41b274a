namespace NeuroCore.Service.Jobs;

/// <summary>The name this process puts in job metadata: which worker rendered which part.</summary>
/// <param name="Name">The worker name (<c>host:pid</c> unless configured).</param>
public sealed record WorkerIdentity(string Name)
{
    /// <summary>The configured name, or <c>host:pid</c>.</summary>
    public static WorkerIdentity Create(string? name) =>
        new(string.IsNullOrWhiteSpace(name) ? $"{Environment.MachineName}:{Environment.ProcessId}" : name.Trim());
}
