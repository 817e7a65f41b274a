using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NeuroCore.Service.Options;
using NeuroCore.Service.Runs;
using NeuroCore.Service.Security;
using NeuroCore.Service.Storage;
using NeuroCore.Service.Uploads;

namespace NeuroCore.Service.Api;

/// <summary>
/// <c>/api/runs/{id}/live</c>: a training process streams its run as it records it (the client is <c>RunUploader</c> in
/// NeuroCore.Service.Client). Every write is idempotent, so a client resends after a dropped connection without
/// losing or duplicating a snapshot.
/// </summary>
public static class LiveApi
{
    /// <summary>The header carrying a snapshot's <c>index.jsonl</c> line, base64 (UTF-8).</summary>
    public const string IndexLineHeader = "NeuroCore-Index-Line";

    /// <summary>Maps the live-ingest endpoints.</summary>
    public static RouteGroupBuilder MapLiveApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs/{id}/live").WithTags("Live runs");
        group.MapGet("/", State).RequireReadAccess().WithSummary("What the service holds of a live run (to resume)");
        group.MapPut("/manifest", Manifest).RequireWriteAccess().WithSummary("Start a live run with its manifest.json");
        group.MapPut("/probe", (string id, HttpContext c, LiveIngest live, ServiceLimits l) => File(id, RunReader.FileNames.Probe, c, live, l))
            .RequireWriteAccess().WithSummary("The run's probe.safetensors");
        group.MapPut("/summary", (string id, HttpContext c, LiveIngest live, ServiceLimits l) => File(id, RunReader.FileNames.Summary, c, live, l))
            .RequireWriteAccess().WithSummary("Finish the run with its summary.json");
        group.MapPut("/snapshots/{step:int}", Snapshot).RequireWriteAccess()
            .WithSummary($"One snapshot file; its index.jsonl line goes base64 in the {IndexLineHeader} header");
        return group;
    }

    private static IResult State(string id, IRunStore runs)
    {
        var folder = runs.GetRunFolder(id);
        if (folder is null) return Problems.NotFound($"there is no run '{id}'.");
        var names = RunReader.FileNames;
        return Results.Ok(new
        {
            id,
            steps = LiveIngest.RecordedSteps(folder),
            probe = System.IO.File.Exists(Path.Combine(folder, names.Probe)),
            finished = System.IO.File.Exists(Path.Combine(folder, names.Summary)),
        });
    }

    private static async Task<(byte[]? Body, IResult? Error)> ReadBody(HttpContext context, ServiceLimits limits)
    {
        if (context.Request.ContentLength is long n && n > limits.MaxUploadBytes)
            return (null, Problems.TooLarge($"the body is {n:N0} bytes; the limit is {limits.MaxUploadBytes:N0} bytes."));
        var ms = new MemoryStream();
        try { await AtomicFiles.CopyCappedAsync(context.Request.Body, ms, limits.MaxUploadBytes, context.RequestAborted); }
        catch (UploadTooLargeException e) { return (null, Problems.TooLarge(e.Message)); }
        return (ms.ToArray(), null);
    }

    private static IResult Answer(LiveIngest.Outcome outcome, string id, string what) => outcome switch
    {
        LiveIngest.Outcome.Created => Results.Created($"/api/runs/{id}", new { id, status = "created", what }),
        LiveIngest.Outcome.Unchanged => Results.Ok(new { id, status = "unchanged", what }),
        LiveIngest.Outcome.NoRun => Problems.NotFound($"there is no run '{id}': send its manifest first (PUT /api/runs/{id}/live/manifest)."),
        _ => Problems.Conflict($"run '{id}' already holds a different {what}."),
    };

    private static async Task<IResult> Manifest(string id, HttpContext context, LiveIngest live, ServiceLimits limits)
    {
        if (!RunIds.IsValid(id)) return Problems.BadRequest($"run id '{id}' is invalid: use 1–64 letters, digits, '-' or '_'.");
        var (body, error) = await ReadBody(context, limits);
        if (error is not null) return error;
        try { return Answer(await live.PutManifestAsync(id, body!), id, "manifest"); }
        catch (RunRejectedException e) { return Problems.Unprocessable(e.Message); }
    }

    private static async Task<IResult> File(string id, string name, HttpContext context, LiveIngest live, ServiceLimits limits)
    {
        var (body, error) = await ReadBody(context, limits);
        if (error is not null) return error;
        return Answer(await live.PutFileAsync(id, name, body!), id, name);
    }

    private static async Task<IResult> Snapshot(string id, int step, HttpContext context, LiveIngest live, ServiceLimits limits)
    {
        if (step < 0) return Problems.BadRequest("step must be 0 or more.");
        string header = context.Request.Headers[IndexLineHeader].ToString();
        if (header.Length == 0) return Problems.BadRequest($"the {IndexLineHeader} header (the snapshot's index.jsonl line, base64) is missing.");
        string line;
        try { line = Encoding.UTF8.GetString(Convert.FromBase64String(header)); }
        catch (FormatException) { return Problems.BadRequest($"the {IndexLineHeader} header is not base64."); }
        var (body, error) = await ReadBody(context, limits);
        if (error is not null) return error;
        if (LiveIngest.CheckIndexLine(line, step, body!.Length) is { } bad) return Problems.BadRequest(bad);
        return Answer(await live.PutSnapshotAsync(id, step, body, line), id, $"snapshot of step {step}");
    }
}
