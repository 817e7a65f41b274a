using NeuroCore.Service.Storage;
using NeuroCore.Service.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroCore.Service.Hosting;
using NeuroCore.Service.Options;

namespace NeuroCore.Service;

/// <summary>The library entry points behind <c>neurocore serve</c> and <c>neurocore worker</c>.</summary>
public static class ServiceHost
{
    /// <summary>
    /// Runs the service until <paramref name="cancellationToken"/> fires. Writes one line <c>listening on URL</c> per bound
    /// address to <paramref name="log"/> once it accepts requests. <paramref name="map"/> may map more endpoints (the viewer's).
    /// </summary>
    public static async Task RunServeAsync(ServeOptions options, TextWriter log, CancellationToken cancellationToken, Action<WebApplication>? map = null)
    {
        var app = ServiceApp.Build(options);
        map?.Invoke(app);
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var a in addresses) log.WriteLine($"NeuroCore service listening on {a}");
        var runs = app.Services.GetRequiredService<IRunStore>();
        foreach (var folder in options.AddRuns)
        {
            var id = RunImport.AddFolder(runs, folder);
            log.WriteLine($"  run '{id}' (from {folder}): {addresses.FirstOrDefault() ?? ""}/runs/{id}");
        }
        foreach (var folder in options.AddEmbeddings)
        {
            var name = Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
            log.WriteLine($"  embedding '{name}' (from {folder}): {addresses.FirstOrDefault() ?? ""}/embeddings/{Uri.EscapeDataString(name)}");
        }
        log.WriteLine($"  data {Path.GetFullPath(options.DataFolder)}, jobs in {JobStorageFactory.Redact(options.Storage)}, {options.Workers} render workers{(options.ApiKey is null ? "" : ", API key required for writes")}");
        log.Flush();
        // Until the caller cancels (Ctrl+C in the CLI) or the host itself stops: SIGTERM (systemd, docker stop, kill) goes
        // to the host's console lifetime, which stops the application, and must end this method too.
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping))
        {
            try { await Task.Delay(Timeout.Infinite, stop.Token); }
            catch (OperationCanceledException) { }
        }
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }

    /// <summary>Runs a render worker (no HTTP) on the shared job storage and data folder until <paramref name="cancellationToken"/> fires.</summary>
    public static async Task RunWorkerAsync(WorkerOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!JobStorageFactory.IsPostgres(options.Storage))
            throw new ServiceConfigurationException("a worker needs a shared job storage: --storage postgres://user:password@host:port/database (the embedded SQLite database is for one process).");
        if (options.Workers < 1) throw new ServiceConfigurationException("--workers must be at least 1.");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddNeuroCoreJobs(options.DataFolder, options.Storage, options.RequeueAfter, options.Limits, options.WorkerName, options.Workers);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var identity = host.Services.GetRequiredService<Jobs.WorkerIdentity>();
        log.WriteLine($"NeuroCore worker {identity.Name} running {options.Workers} workers on {JobStorageFactory.Redact(options.Storage)}, data {Path.GetFullPath(options.DataFolder)}");
        log.Flush();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping))
        {
            try { await Task.Delay(Timeout.Infinite, stop.Token); }
            catch (OperationCanceledException) { }
        }
        await host.StopAsync(CancellationToken.None);
    }
}
