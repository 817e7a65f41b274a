using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace NeuroCore.Viewer.Playground;

/// <summary>
/// The playground's HTTP API (docs/viewer.md): <c>POST /api/playground/sessions</c> (config → session,
/// or 429 when the server trains its maximum already), <c>GET/DELETE …/{sid}</c>,
/// <c>POST …/{sid}/start|pause|step|reset</c>, and <c>GET …/{sid}/stream</c>, server-sent live frames.
/// </summary>
internal static class PlaygroundApi
{
    public static void Map(IEndpointRouteBuilder app, PlaygroundSessions sessions)
    {
        var group = app.MapGroup("/api/playground");

        group.MapGet("/limits", () => Results.Json(Limits(sessions)));

        group.MapPost("/sessions", async (HttpRequest request) =>
        {
            PlaygroundConfig? config;
            // A configuration is a few hundred bytes; anything much larger is not one.
            if (request.ContentLength > 16 * 1024)
                return ViewerEndpoints.Problem(413, "Configuration too large", $"The body has {request.ContentLength} bytes; a playground configuration is at most 16 KiB.");
            if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = 16 * 1024; // a chunked body without a length is cut off there too
            try
            {
                config = request.ContentLength == 0 ? new PlaygroundConfig()
                    : await JsonSerializer.DeserializeAsync<PlaygroundConfig>(request.Body, ViewerEndpoints.Json, request.HttpContext.RequestAborted);
            }
            catch (JsonException e)
            {
                return ViewerEndpoints.Problem(400, "Invalid playground configuration", $"The body is not a valid configuration: {e.Message}");
            }
            if (config is null) return ViewerEndpoints.Problem(400, "Invalid playground configuration", "The body is empty JSON (null).");
            PlaygroundSession? session;
            try { session = sessions.TryCreate(config); }
            catch (ArgumentException e) { return ViewerEndpoints.Problem(400, "Invalid playground configuration", e.Message); }
            if (session is null)
            {
                request.HttpContext.Response.Headers.RetryAfter = "10";
                return Results.Problem(statusCode: 429, title: "Too many trainings",
                    detail: $"The server is already running its maximum of {sessions.Options.MaxConcurrentTrainings} playground trainings. " +
                            $"Try again in a few seconds; idle sessions stop after {sessions.Options.PlaygroundIdleTimeout.TotalSeconds:0} s.",
                    extensions: new Dictionary<string, object?> { ["maxConcurrentTrainings"] = sessions.Options.MaxConcurrentTrainings });
            }
            return Results.Json(Describe(session), statusCode: 201);
        });

        group.MapGet("/sessions/{sid}", (string sid) => With(sessions, sid, s => Results.Json(Describe(s))));
        group.MapDelete("/sessions/{sid}", (string sid) =>
            sessions.Remove(sid, "deleted by its owner") ? Results.NoContent() : NoSession(sid));
        group.MapPost("/sessions/{sid}/start", (string sid) => With(sessions, sid, s => { s.Start(); return Results.Json(Describe(s)); }));
        group.MapPost("/sessions/{sid}/pause", (string sid) => With(sessions, sid, s => { s.Pause(); return Results.Json(Describe(s)); }));
        group.MapPost("/sessions/{sid}/step", (string sid) => With(sessions, sid, s => { s.SingleStep(); return Results.Json(Describe(s)); }));
        group.MapPost("/sessions/{sid}/reset", (string sid) => With(sessions, sid, s => { s.Reset(); return Results.Json(Describe(s)); }));
        group.MapGet("/sessions/{sid}/points", (string sid) => With(sessions, sid, s => Results.Json(s.Points())));
        group.MapGet("/sessions/{sid}/stream", async (HttpContext context, string sid, int? probe) =>
        {
            var s = sessions.Find(sid);
            if (s is null) { await NoSession(sid).ExecuteAsync(context); return; }
            await Stream(context, s, probe ?? 0, sessions.Options);
        });
        // Long-poll for the page: the newest frame after version `after`, waiting up to 2 s (204 when none).
        // The client asks again once it has drawn a frame, so a slow browser never builds a backlog.
        group.MapGet("/sessions/{sid}/frame", async (HttpContext context, string sid, long? after, int? probe) =>
        {
            var s = sessions.Find(sid);
            if (s is null) return NoSession(sid);
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(2);
            while (!context.RequestAborted.IsCancellationRequested)
            {
                s.Touch();
                var (frame, v) = s.FrameAfter(after ?? 0, probe ?? 0);
                if (frame is not null)
                {
                    context.Response.Headers["X-Frame-Version"] = v.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Results.Json(frame);
                }
                if (s.State == "stopped" || DateTime.UtcNow > until) return Results.NoContent();
                try { await Task.Delay(10, context.RequestAborted); } catch (OperationCanceledException) { break; }
            }
            return Results.NoContent();
        });
    }

    private static async Task Stream(HttpContext context, PlaygroundSession session, int probe, ViewerOptions options)
    {
        var ct = context.RequestAborted;
        var response = context.Response;
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync("retry: 1000\n\n", ct);
        await response.Body.FlushAsync(ct);
        long version = 0;
        var interval = TimeSpan.FromSeconds(1.0 / options.PlaygroundFramesPerSecond);
        try
        {
            while (!ct.IsCancellationRequested && session.State != "stopped")
            {
                session.Touch();
                var (frame, v) = session.FrameAfter(version, probe);
                if (frame is not null)
                {
                    version = v;
                    await response.WriteAsync("event: frame\ndata: " + JsonSerializer.Serialize(frame, ViewerEndpoints.Json) + "\n\n", ct);
                    await response.Body.FlushAsync(ct);
                }
                await Task.Delay(interval / 2, ct);
            }
            if (!ct.IsCancellationRequested)
                await response.WriteAsync("event: stopped\ndata: " + JsonSerializer.Serialize(new { reason = session.StopReason }, ViewerEndpoints.Json) + "\n\n", ct);
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }

    private static IResult With(PlaygroundSessions sessions, string sid, Func<PlaygroundSession, IResult> answer)
    {
        var s = sessions.Find(sid);
        if (s is null) return NoSession(sid);
        try { return answer(s); }
        catch (InvalidOperationException e) { return ViewerEndpoints.Problem(409, "Session stopped", e.Message); }
    }

    private static IResult NoSession(string sid) =>
        ViewerEndpoints.Problem(404, "No such playground session", "There is no session with that id (it may have stopped after being idle); start a new one.");

    private static object Describe(PlaygroundSession s) => new
    {
        sessionId = s.Id,
        runId = s.RunId,
        state = s.State,
        stopReason = s.StopReason,
        config = s.Config,
    };

    private static object Limits(PlaygroundSessions s) => new
    {
        maxConcurrentTrainings = s.Options.MaxConcurrentTrainings,
        activeTrainings = s.Count,
        idleTimeoutSeconds = s.Options.PlaygroundIdleTimeout.TotalSeconds,
        maxSteps = s.Options.PlaygroundMaxSteps,
        maxParameters = s.Options.PlaygroundMaxParameters,
        maxHiddenLayers = 6,
        maxNeuronsPerLayer = 64,
        datasets = PlaygroundConfig.Datasets,
        activations = PlaygroundConfig.Activations,
        optimizers = PlaygroundConfig.Optimizers,
    };
}
