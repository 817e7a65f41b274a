using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using NeuroCore.Service.Jobs;
using NeuroCore.Service.Options;
using NeuroCore.Service.Storage;

namespace NeuroCore.Service.Hosting;

/// <summary>The services both the API process and a worker process need: stores, Hangfire, the render jobs.</summary>
public static class JobServices
{
    /// <summary>Registers stores, job storage, the render jobs and (with <paramref name="workers"/> &gt; 0) a Hangfire server.</summary>
    public static IServiceCollection AddNeuroCoreJobs(this IServiceCollection services, string dataFolder, string? storageSpec,
        TimeSpan requeueAfter, ServiceLimits limits, string? workerName, int workers)
    {
        var storage = JobStorageFactory.Create(storageSpec, dataFolder, requeueAfter);
        var identity = WorkerIdentity.Create(workerName);
        services.AddSingleton(limits);
        services.AddSingleton(identity);
        services.AddSingleton(storage);
        services.AddSingleton<IRunStore>(new SharedFolderRunStore(dataFolder));
        services.AddSingleton<IArtifactStore>(new SharedFolderArtifactStore(dataFolder));
        services.AddTransient<RenderJobs>();
        services.AddSingleton<JobScheduler>();
        services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(storage));
        if (workers > 0)
            services.AddHangfireServer((_, o) =>
            {
                o.WorkerCount = workers;
                o.ServerName = identity.Name;
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                o.CancellationCheckInterval = TimeSpan.FromSeconds(1);
                o.ServerCheckInterval = TimeSpan.FromSeconds(30);
                o.ServerTimeout = TimeSpan.FromMinutes(2);
                o.ShutdownTimeout = TimeSpan.FromSeconds(10);
            }, storage);
        return services;
    }
}
