using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using NeuroCore.Service.Options;
using NeuroCore.Service.Runs;
using NeuroCore.Service.Security;
using NeuroCore.Service.Storage;
using NeuroCore.Service.Uploads;

namespace NeuroCore.Service.Api;

/// <summary><c>/api/runs</c>: upload (archive), list, inspect and delete runs.</summary>
public static class RunsApi
{
    /// <summary>Maps the run endpoints.</summary>
    public static RouteGroupBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs").WithTags("Runs");
        group.MapGet("/", List).RequireReadAccess().WithSummary("List runs");
        group.MapGet("/{id}", Get).RequireReadAccess().WithSummary("Inspect a run (what 'neurocore inspect' shows)");
        // Any content type: the archive kind is recognised from its first bytes.
        group.MapPost("/", Upload).RequireWriteAccess().WithSummary("Upload a run folder as .tar, .tar.gz or .zip (the raw body; ?id= names the run)");
        group.MapDelete("/{id}", Delete).RequireWriteAccess().WithSummary("Delete a run");
        return group;
    }

    private static IResult List(IRunStore runs)
    {
        var list = new List<object>();
        foreach (var id in runs.List())
        {
            var folder = runs.GetRunFolder(id);
            if (folder is null) continue;
            try
            {
                var s = RunReader.Summarize(id, folder);
                list.Add(new { s.Id, s.Status, s.CreatedUtc, s.SnapshotCount, s.LastStep, s.LastLoss, url = $"/api/runs/{id}" });
            }
            catch (RunRejectedException e) { list.Add(new { Id = id, Status = "unreadable", Error = e.Message, url = $"/api/runs/{id}" }); }
        }
        return Results.Ok(list);
    }

    private static IResult Get(string id, IRunStore runs)
    {
        var folder = runs.GetRunFolder(id);
        if (folder is null) return Problems.NotFound($"there is no run '{id}'.");
        try { return Results.Ok(RunReader.Summarize(id, folder)); }
        catch (RunRejectedException e) { return Problems.Unprocessable(e.Message); }
    }

    private static IResult Delete(string id, IRunStore runs) =>
        runs.Delete(id) ? Results.NoContent() : Problems.NotFound($"there is no run '{id}'.");

    private static async Task<IResult> Upload(HttpContext context, IRunStore runs, ServiceLimits limits, string? id)
    {
        if (id is not null && !RunIds.IsValid(id))
            return Problems.BadRequest($"run id '{id}' is invalid: use 1–64 letters, digits, '-' or '_', starting with a letter or digit.");
        id ??= RunIds.New("r");
        if (runs.GetRunFolder(id) is not null) return Problems.Conflict($"run '{id}' exists already; delete it first or choose another id.");
        if (context.Request.ContentLength is long declared && declared > limits.MaxUploadBytes)
            return Problems.TooLarge($"the upload is {declared:N0} bytes; the limit is {limits.MaxUploadBytes:N0} bytes.");
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limits.MaxUploadBytes + 1;

        string staging = runs.CreateStagingFolder();
        try
        {
            string archive = Path.Combine(staging, "upload.archive");
            try
            {
                await using var file = new FileStream(archive, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await AtomicFiles.CopyCappedAsync(context.Request.Body, file, limits.MaxUploadBytes, context.RequestAborted);
            }
            catch (UploadTooLargeException e) { return Problems.TooLarge(e.Message); }
            catch (BadHttpRequestException e) when (e.StatusCode == 413) { return Problems.TooLarge($"the upload is larger than the limit of {limits.MaxUploadBytes:N0} bytes."); }

            string content = Path.Combine(staging, "content");
            Directory.CreateDirectory(content);
            string root;
            try
            {
                root = ArchiveExtractor.Extract(archive, content, limits, RunReader.FileNames.Manifest);
            }
            catch (ArchiveRejectedException e) { return Problems.BadRequest(e.Message); }
            catch (IOException e) { return Problems.BadRequest($"the archive cannot be unpacked: {e.Message.Replace(content, "")}"); }
            File.Delete(archive);

            RunSummary summary;
            try { summary = RunReader.Summarize(id, root); }
            catch (RunRejectedException e) { return Problems.Unprocessable(e.Message); }

            if (!runs.Publish(root, id)) return Problems.Conflict($"run '{id}' was created by another request meanwhile.");
            return Results.Created($"/api/runs/{id}", summary);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
