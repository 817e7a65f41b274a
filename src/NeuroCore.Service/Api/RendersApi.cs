using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NeuroCore.Service.Jobs;
using NeuroCore.Service.Options;
using NeuroCore.Service.Runs;
using NeuroCore.Service.Security;
using NeuroCore.Service.Storage;

namespace NeuroCore.Service.Api;

/// <summary><c>POST /api/runs/{id}/renders</c>: start a render job.</summary>
public static class RendersApi
{
    /// <summary>Maps the render endpoint.</summary>
    public static RouteGroupBuilder MapRendersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs/{id}/renders").WithTags("Renders");
        group.MapPost("/", Create).RequireWriteAccess().WithSummary("Render a video, glTF scene, glTF timeline or frames as a job");
        return group;
    }

    private static IResult Create(string id, RenderRequest? request, IRunStore runs, JobScheduler scheduler, ServiceLimits limits)
    {
        var folder = runs.GetRunFolder(id);
        if (folder is null) return Problems.NotFound($"there is no run '{id}'.");
        if (request is null) return Problems.BadRequest("the body must be a JSON render request, e.g. {\"kind\":\"video\",\"format\":\"mp4\"}.");
        var plan = RenderPlan.TryCreate(request, limits, out var error);
        if (plan is null) return Problems.BadRequest(error!);
        try { RunReader.CheckDrawable(folder); }
        catch (RunRejectedException e) { return Problems.Unprocessable(e.Message); }
        var job = scheduler.Create(id, folder, request, plan);
        return Results.Accepted($"/api/jobs/{job.Id}", scheduler.Status(job.Id));
    }
}
