using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NeuroCore.Service.Storage;

namespace NeuroCore.Service.Hosting;

/// <summary><c>/health/ready</c>: the data folder is writable, the job storage answers, and at least one worker is running.</summary>
public sealed class ReadinessCheck(IArtifactStore artifacts, JobStorage storage) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!artifacts.IsReachable(out var problem)) return Task.FromResult(HealthCheckResult.Unhealthy(problem));
        try
        {
            var servers = storage.GetMonitoringApi().Servers();
            int workers = servers.Where(s => s.Heartbeat is { } h && DateTime.UtcNow - h < TimeSpan.FromMinutes(1)).Sum(s => s.WorkersCount);
            var data = new Dictionary<string, object> { ["servers"] = servers.Count, ["workers"] = workers };
            return Task.FromResult(workers > 0
                ? HealthCheckResult.Healthy($"job storage reachable; {workers} workers on {servers.Count} servers", data)
                : HealthCheckResult.Unhealthy("job storage reachable, but no worker is running (start 'neurocore worker' or serve with --workers > 0)", data: data));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"job storage unreachable: {e.Message}"));
        }
    }
}
