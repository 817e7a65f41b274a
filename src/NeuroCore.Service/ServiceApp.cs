using System.Text.Json;
using System.Threading.RateLimiting;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using NeuroCore.Service.Api;
using NeuroCore.Service.Hosting;
using NeuroCore.Service.Options;
using NeuroCore.Service.Runs;
using NeuroCore.Service.Security;
using NeuroCore.Service.Storage;
using NeuroCore.Viewer;

namespace NeuroCore.Service;

/// <summary>
/// The wiring of the render service in one place: options, stores, Hangfire, problem details, rate limiting, OpenAPI,
/// health checks, the dashboard and the API groups. <see cref="Build"/> returns the app before it runs, so more endpoints
/// (the viewer's) can be mapped onto it.
/// </summary>
public static class ServiceApp
{
    /// <summary>Builds the web app for <paramref name="options"/>; <paramref name="configure"/> may add services before it is built.</summary>
    /// <exception cref="ServiceConfigurationException">The options are not usable (e.g. a non-loopback bind without a key).</exception>
    public static WebApplication Build(ServeOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var embeddings = new EmbeddingFolders();
        foreach (var folder in options.AddEmbeddings)
        {
            try { embeddings.Add(folder); }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException) { throw new ServiceConfigurationException(e.Message); }
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = typeof(ServiceApp).Assembly.GetName().Name });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.Limits.MaxUploadBytes + 1);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Hangfire", LogLevel.Warning);

        var services = builder.Services;
        services.AddNeuroCoreJobs(options.DataFolder, options.Storage, options.RequeueAfter, options.Limits, options.WorkerName, options.Workers);
        services.AddSingleton(new AccessPolicy(options.ApiKey, options.PublicReads));
        services.AddSingleton<LiveIngest>();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<ReadinessCheck>("jobs", tags: ["ready"]);
        services.AddRateLimiter(r =>
        {
            r.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            r.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/api")
                    ? RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = Math.Max(1, options.Limits.RequestBurst),
                        TokensPerPeriod = Math.Max(1, options.Limits.RequestsPerSecond),
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter("other"));
            r.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await Results.Problem(statusCode: 429, title: "Too Many Requests",
                    detail: $"more than {options.Limits.RequestsPerSecond} requests per second from this client; retry after a second.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealth });
        var policy = app.Services.GetRequiredService<AccessPolicy>();
        var dashboard = new DashboardAccess(policy);
        app.UseHangfireDashboard("/jobs-dashboard", new DashboardOptions
        {
            Authorization = [dashboard],
            IsReadOnlyFunc = dashboard.IsReadOnly,
            DashboardTitle = "NeuroCore jobs",
            AppPath = null,
        }, app.Services.GetRequiredService<JobStorage>());
        app.MapRunsApi();
        app.MapLiveApi();
        app.MapRendersApi();
        app.MapJobsApi();
        // The viewer (/, /runs/{id}, its data API and run events) and the playground, over the same run storage.
        // Reads follow the read policy; the playground's own limits (concurrent trainings, model size, idle
        // timeout) keep a shared server healthy.
        var viewer = app.MapGroup("").RequireReadAccess();
        var sessions = viewer.MapNeuroCoreViewer(new ServiceViewerRunStore(app.Services.GetRequiredService<IRunStore>()), options.Viewer, embeddings);
        app.Lifetime.ApplicationStopping.Register(sessions.Dispose);
        return app;
    }

    private static void Validate(ServeOptions options)
    {
        if (options.Workers < 0) throw new ServiceConfigurationException("--workers must be 0 or more.");
        if (!BindCheck.IsLoopbackOnly(options.Urls, out var outside) && string.IsNullOrEmpty(options.ApiKey))
            throw new ServiceConfigurationException(
                $"refusing to listen on {outside} without an API key: anyone who can reach it could upload, render and delete. " +
                "Pass --api-key KEY (clients send 'Authorization: Bearer KEY'), or bind to 127.0.0.1.");
        if (options.Storage is not null && !JobStorageFactory.IsPostgres(options.Storage) && !options.Storage.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
            throw new ServiceConfigurationException($"--storage '{options.Storage}' is not understood: use 'sqlite' or 'postgres://user:password@host:port/database'.");
    }

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        });
    }
}

/// <summary>The service cannot start with these options; the message says why and what to do.</summary>
public sealed class ServiceConfigurationException(string message) : Exception(message);
