using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using NeuroCore.Service.Jobs;
using NeuroCore.Service.Security;
using NeuroCore.Service.Storage;

namespace NeuroCore.Service.Api;

/// <summary><c>/api/jobs/{id}</c>: job status, progress events, result download and cancel.</summary>
public static class JobsApi
{
    private static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web);

    /// <summary>Maps the job endpoints.</summary>
    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/jobs").WithTags("Jobs");
        group.MapGet("/{id}", Get).RequireReadAccess().WithSummary("Job state, progress, ETA, error and result URL");
        group.MapGet("/{id}/events", Events).RequireReadAccess().WithSummary("Server-sent events of the job's progress until it ends");
        group.MapGet("/{id}/result", Result).RequireReadAccess().WithSummary("Download the result (ETag, Range)");
        group.MapDelete("/{id}", Cancel).RequireWriteAccess().WithSummary("Cancel a job");
        return group;
    }

    private static IResult Get(string id, JobScheduler scheduler) =>
        scheduler.Status(id) is { } s ? Results.Ok(s) : Problems.NotFound($"there is no job '{id}'.");

    private static IResult Cancel(string id, JobScheduler scheduler) =>
        scheduler.Cancel(id) is { } s ? Results.Ok(s) : Problems.NotFound($"there is no job '{id}'.");

    private static IResult Result(string id, JobScheduler scheduler, IArtifactStore artifacts, HttpContext context)
    {
        var status = scheduler.Status(id);
        if (status is null) return Problems.NotFound($"there is no job '{id}'.");
        var job = artifacts.LoadJob(id)!;
        if (status.State != JobStates.Succeeded || job.ResultFile is null)
            return Problems.Conflict($"job '{id}' is {status.State}; its result is not available{(status.Error is { } e ? ": " + e : ".")}");
        var path = artifacts.ResultPath(id, job.ResultFile);
        var info = new FileInfo(path);
        if (!info.Exists) return Problems.NotFound($"the result of job '{id}' is gone.");
        var etag = new EntityTagHeaderValue($"\"{id}-{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\"");
        string name = $"{job.RunId}-{Path.GetFileName(job.ResultFile)}";
        return Results.File(path, job.MediaType ?? "application/octet-stream", name, info.LastWriteTimeUtc, etag, enableRangeProcessing: true);
    }

    private static async Task Events(string id, JobScheduler scheduler, HttpContext context)
    {
        if (scheduler.Status(id) is null)
        {
            await Problems.NotFound($"there is no job '{id}'.").ExecuteAsync(context);
            return;
        }
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        string? last = null;
        var ct = context.RequestAborted;
        var heartbeat = DateTime.UtcNow;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var s = scheduler.Status(id);
                if (s is null) break;
                string json = JsonSerializer.Serialize(s, Compact);
                if (json != last)
                {
                    await context.Response.WriteAsync($"event: progress\ndata: {json}\n\n", ct);
                    await context.Response.Body.FlushAsync(ct);
                    last = json;
                    heartbeat = DateTime.UtcNow;
                }
                else if (DateTime.UtcNow - heartbeat > TimeSpan.FromSeconds(15))
                {
                    await context.Response.WriteAsync(": keep-alive\n\n", ct);
                    await context.Response.Body.FlushAsync(ct);
                    heartbeat = DateTime.UtcNow;
                }
                if (JobStates.IsFinal(s.State)) break;
                await Task.Delay(250, ct);
            }
        }
        catch (OperationCanceledException) { }
    }
}
