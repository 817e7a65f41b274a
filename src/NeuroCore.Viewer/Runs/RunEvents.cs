using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using NeuroCore.Snapshots;

namespace NeuroCore.Viewer.Runs;

/// <summary>
/// <c>GET /api/runs/{id}/events</c>: a server-sent-events stream of the run's new snapshots, following
/// the run folder as the recorder writes it (the index is polled, so any writer works: a local
/// recorder, an upload, the service's live sink).
/// </summary>
/// <remarks>
/// Events: <c>snapshot</c> (data = the index entry as JSON, id = its step) for every snapshot after
/// <c>?after=STEP</c> or the <c>Last-Event-ID</c> header; <c>finished</c> once the recorder wrote its
/// summary. A comment line every 15 s keeps proxies from closing an idle stream.
/// </remarks>
internal static class RunEvents
{
    public static async Task Stream(HttpContext context, string folder, int? after, TimeSpan poll)
    {
        var ct = context.RequestAborted;
        if (after is null && int.TryParse(context.Request.Headers["Last-Event-ID"], out var last)) after = last;
        var response = context.Response;
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync(": neurocore run events\nretry: 1000\n\n", ct);
        await response.Body.FlushAsync(ct);

        TrainingRun? run = null;
        var sent = 0;
        var finishedSent = false;
        var lastWrite = DateTime.UtcNow;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (run is null)
                {
                    try { run = TrainingRun.Open(folder); }
                    catch (SnapshotFormatException) { } // recording has not written its manifest yet
                }
                else run.Refresh();

                if (run is not null)
                {
                    var text = new StringBuilder();
                    for (; sent < run.Snapshots.Count; sent++)
                    {
                        var e = run.Snapshots[sent];
                        if (after is { } a && e.Step <= a) continue;
                        text.Append("id: ").Append(e.Step).Append("\nevent: snapshot\ndata: ")
                            .Append(JsonSerializer.Serialize(RunReader.EntryJson(e), ViewerEndpoints.Json)).Append("\n\n");
                    }
                    if (!finishedSent && run.IsFinished)
                    {
                        finishedSent = true;
                        text.Append("event: finished\ndata: {\"snapshots\":").Append(run.Snapshots.Count).Append("}\n\n");
                    }
                    if (text.Length > 0)
                    {
                        await response.WriteAsync(text.ToString(), ct);
                        await response.Body.FlushAsync(ct);
                        lastWrite = DateTime.UtcNow;
                    }
                }
                if (DateTime.UtcNow - lastWrite > TimeSpan.FromSeconds(15))
                {
                    await response.WriteAsync(": keep-alive\n\n", ct);
                    await response.Body.FlushAsync(ct);
                    lastWrite = DateTime.UtcNow;
                }
                await Task.Delay(poll, ct);
            }
        }
        catch (OperationCanceledException) { } // the client went away
        catch (IOException) { }
    }
}
