using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NeuroCore.Snapshots;
using NeuroCore.Viewer.Embeddings;
using NeuroCore.Viewer.Playground;
using NeuroCore.Viewer.Runs;

namespace NeuroCore.Viewer;

/// <summary>Maps the interactive viewer, the playground and the endpoints their pages read into an ASP.NET Core app.</summary>
public static class ViewerEndpoints
{
    /// <summary>
    /// Maps the pages (<c>/</c> run list, <c>/runs/{id}</c> viewer, <c>/playground</c>), their assets
    /// (<c>/viewer/…</c>, three.js included) and the APIs: <c>GET /api/viewer/runs</c>,
    /// <c>GET /api/runs/{id}/view</c>, <c>…/view/connections</c>, <c>…/view/steps/{step}</c>,
    /// <c>GET /api/runs/{id}/events</c> (server-sent events of new snapshots), <c>GET /api/runs/{id}/embedding</c>
    /// (a layer's PCA / t-SNE embedding; its page <c>/runs/{id}/embedding</c>), <c>GET /api/runs/{id}/embedding/frames</c>
    /// (the same across snapshots, as an animation's frames) and <c>/api/playground/…</c>.
    /// See docs/viewer.md.
    /// </summary>
    /// <param name="app">The app (or a route group) to map into.</param>
    /// <param name="store">Where runs are found, and where playground runs are created.</param>
    /// <param name="options">Limits and defaults; null uses the defaults.</param>
    /// <returns>The playground's session manager (dispose it at shutdown to stop trainings).</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static PlaygroundSessions MapNeuroCoreViewer(this IEndpointRouteBuilder app, IViewerRunStore store, ViewerOptions? options = null) =>
        MapNeuroCoreViewer(app, store, options, new EmbeddingFolders());

    /// <summary>
    /// Maps everything <see cref="MapNeuroCoreViewer(IEndpointRouteBuilder, IViewerRunStore, ViewerOptions?)"/> maps, and the
    /// embedding folders of <paramref name="embeddingFolders"/>: <c>GET /api/embeddings</c> (the list the start page shows),
    /// <c>GET /api/embeddings/{name}</c>, <c>GET /api/embeddings/{name}/sprite.png</c> and the page <c>/embeddings/{name}</c>.
    /// </summary>
    /// <param name="app">The app (or a route group) to map into.</param>
    /// <param name="store">Where runs are found, and where playground runs are created.</param>
    /// <param name="options">Limits and defaults; null uses the defaults.</param>
    /// <param name="embeddingFolders">The embedding output folders to serve (names only, never paths, come from a URL).</param>
    /// <returns>The playground's session manager (dispose it at shutdown to stop trainings).</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static PlaygroundSessions MapNeuroCoreViewer(this IEndpointRouteBuilder app, IViewerRunStore store, ViewerOptions? options, EmbeddingFolders embeddingFolders)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(embeddingFolders);
        ArgumentNullException.ThrowIfNull(store);
        options ??= new ViewerOptions();
        options.Validate();
        var readers = new RunReaderCache();

        app.MapGet("/", () => StaticAssets.Serve("index.html")).ExcludeFromDescription();
        app.MapGet("/runs/{id}", (string id) => StaticAssets.Serve("run.html")).ExcludeFromDescription();
        app.MapGet("/playground", () => StaticAssets.Serve("playground.html")).ExcludeFromDescription();
        app.MapGet("/viewer/{**path}", (string path) => StaticAssets.Serve(path)).ExcludeFromDescription();

        app.MapGet("/api/viewer/runs", () => Results.Json(store.RunIds().Select(id => Summary(store, id)).Where(s => s is not null).ToList()));

        app.MapGet("/api/runs/{id}/view", (string id, int? budget) =>
            WithRun(store, readers, id, r => Results.Json(r.View(ClampBudget(budget, options)))));

        app.MapGet("/api/runs/{id}/view/connections", (string id, int? budget) =>
            WithRun(store, readers, id, r => Results.Json(r.Connections(ClampBudget(budget, options)))));

        app.MapGet("/api/runs/{id}/view/steps/{step:int}", (string id, int step, int? probe) =>
            WithRun(store, readers, id, r =>
            {
                r.Refresh();
                if (!r.HasStep(step))
                    return Problem(404, "No such snapshot", $"Run '{id}' has no snapshot at step {step}.");
                return Results.Json(r.Step(step, probe ?? 0));
            }));

        var embeddings = new RunEmbeddings();
        app.MapGet("/runs/{id}/embedding", (string id) => StaticAssets.Serve("embedding.html")).ExcludeFromDescription();
        app.MapGet("/api/runs/{id}/embedding", (string id, string? layer, long? step, string? method, int? dims) =>
        {
            method ??= "pca";
            if (method is not ("pca" or "tsne")) return Problem(400, "Bad request", $"method must be pca or tsne, got '{method}'.");
            var d = dims ?? 3;
            if (d is not (2 or 3)) return Problem(400, "Bad request", $"dims must be 2 or 3, got {d}.");
            if (string.IsNullOrEmpty(layer)) return Problem(400, "Bad request", "layer is required (the name of a recorded layer, e.g. one the run view lists).");
            string? recorded = null;
            long? at = null;
            string? folder = null;
            var check = WithRun(store, readers, id, r =>
            {
                r.Refresh();
                var missing = RecordedLayer(r, id, layer, out recorded);
                if (missing is not null) return missing;
                at = step ?? r.LatestStep;
                if (at is null) return Problem(404, "No such snapshot", $"Run '{id}' has no snapshots yet.");
                if (at > int.MaxValue || !r.HasStep((int)at.Value)) return Problem(404, "No such snapshot", $"Run '{id}' has no snapshot at step {at}.");
                folder = store.RunFolder(id);
                return Results.Empty;
            });
            if (!ReferenceEquals(check, Results.Empty) || folder is null) return check;
            try
            {
                var version = File.GetLastWriteTimeUtc(Path.Combine(folder, SnapshotFormat.ManifestFileName));
                return Results.Text(embeddings.Get(folder, version, recorded!, layer, at!.Value, method, d), "application/json");
            }
            catch (SnapshotFormatException e) { return Problem(422, "Unreadable run", e.Message); }
            catch (ArgumentException e) { return Problem(422, "Layer cannot be embedded", e.Message); }
        });

        app.MapGet("/api/runs/{id}/embedding/frames", (string id, string? layer, string? method, string? dims, string? frames, string? steps) =>
        {
            method ??= "tsne";
            if (method is not ("pca" or "tsne")) return Problem(400, "Bad request", $"method must be pca or tsne, got '{method}'.");
            int d = 3;
            if (dims is not null && !(int.TryParse(dims, NumberStyles.None, CultureInfo.InvariantCulture, out d) && d is 2 or 3))
                return Problem(400, "Bad request", $"dims must be 2 or 3, got '{dims}'.");
            if (string.IsNullOrEmpty(layer)) return Problem(400, "Bad request", "layer is required (the name of a recorded layer, e.g. one the run view lists).");
            if (frames is not null && steps is not null) return Problem(400, "Bad request", "give frames (how many snapshots, evenly spaced) or steps (which ones), not both.");
            int count = 12;
            if (frames is not null && !(int.TryParse(frames, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= RunEmbeddings.MaxFrames))
                return Problem(400, "Bad request", $"frames must be a whole number from 1 to {RunEmbeddings.MaxFrames}, got '{frames}'.");
            long[]? asked = null;
            if (steps is not null)
            {
                var parts = steps.Split(',');
                if (parts.Length > RunEmbeddings.MaxFrames) return Problem(400, "Bad request", $"steps lists {parts.Length} snapshots; at most {RunEmbeddings.MaxFrames} are embedded.");
                asked = new long[parts.Length];
                for (var i = 0; i < parts.Length; i++)
                {
                    if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out asked[i]))
                        return Problem(400, "Bad request", $"steps must be comma-separated training steps; '{Clip(parts[i])}' is not one.");
                    if (i > 0 && asked[i] <= asked[i - 1]) return Problem(400, "Bad request", $"steps must ascend without repeats; {asked[i]} follows {asked[i - 1]}.");
                }
            }
            string? recorded = null, folder = null;
            long[]? picked = null;
            var check = WithRun(store, readers, id, r =>
            {
                r.Refresh();
                var missing = RecordedLayer(r, id, layer, out recorded);
                if (missing is not null) return missing;
                if (r.LatestStep is null) return Problem(404, "No such snapshot", $"Run '{id}' has no snapshots yet.");
                if (asked is not null)
                {
                    foreach (var s in asked)
                        if (s > int.MaxValue || !r.HasStep((int)s)) return Problem(404, "No such snapshot", $"Run '{id}' has no snapshot at step {s}.");
                    picked = asked;
                }
                folder = store.RunFolder(id);
                return Results.Empty;
            });
            if (!ReferenceEquals(check, Results.Empty) || folder is null) return check;
            try
            {
                var version = File.GetLastWriteTimeUtc(Path.Combine(folder, SnapshotFormat.ManifestFileName));
                picked ??= RunEmbeddings.PickSteps(folder, count);
                return Results.Text(embeddings.GetFrames(folder, version, recorded!, layer, picked, method, d), "application/json");
            }
            catch (SnapshotFormatException e) { return Problem(422, "Unreadable run", e.Message); }
            catch (ArgumentException e) { return Problem(422, "Layer cannot be embedded", e.Message); }
        });

        app.MapGet("/api/runs/{id}/events", async (HttpContext context, string id, int? after) =>
        {
            if (store.RunFolder(id) is not { } folder) { await Problem(404, "No such run", $"There is no run '{id}'.").ExecuteAsync(context); return; }
            await RunEvents.Stream(context, folder, after, options.LivePollInterval);
        });

        EmbeddingFolderApi.Map(app, embeddingFolders);

        var sessions = new PlaygroundSessions(store, options);
        PlaygroundApi.Map(app, sessions);
        return sessions;
    }

    private static int ClampBudget(int? budget, ViewerOptions options) =>
        Math.Clamp(budget ?? options.DefaultConnectionBudget, 0, options.MaxConnectionBudget);

    private static object? Summary(IViewerRunStore store, string id)
    {
        var folder = store.RunFolder(id);
        if (folder is null) return null;
        try
        {
            var run = TrainingRun.Open(folder);
            return new
            {
                id,
                snapshots = run.Snapshots.Count,
                lastStep = run.Latest?.Step,
                finished = run.IsFinished,
                model = run.Manifest.Architecture.TypeName,
                parameters = run.Manifest.Architecture.ParameterCount,
                dataset = run.Manifest.Dataset?.Name,
                created = run.Manifest.CreatedUtc,
            };
        }
        catch (Exception e) when (e is SnapshotFormatException or IOException)
        {
            return new { id, error = e.Message };
        }
    }

    /// <summary>The recorded activation name of <paramref name="layer"/>, or the problem (404 unknown, 422 the input layer).</summary>
    private static IResult? RecordedLayer(RunReader r, string id, string layer, out string? recorded)
    {
        recorded = r.RecordedActivationName(layer);
        if (recorded is null)
            return Problem(404, "No such layer", $"Run '{id}' has no layer '{layer}'; layers: {string.Join(", ", r.LayerNames)}.");
        if (recorded.Length == 0)
            return Problem(422, "Layer cannot be embedded", $"Layer '{layer}' is the network's input; it has no recorded activations. Pick a later layer.");
        return null;
    }

    private static IResult WithRun(IViewerRunStore store, RunReaderCache readers, string id, Func<RunReader, IResult> answer)
    {
        var folder = store.RunFolder(id);
        if (folder is null) return Problem(404, "No such run", $"There is no run '{id}'.");
        try
        {
            return readers.Use(id, folder, answer);
        }
        catch (SnapshotFormatException e) { return Problem(422, "Unreadable run", e.Message); }
        catch (ArgumentOutOfRangeException e) { return Problem(400, "Bad request", e.Message.Split(" (Parameter")[0]); }
        catch (ArgumentException e) { return Problem(422, "Run cannot be drawn", e.Message); }
        catch (DirectoryNotFoundException e) { return Problem(404, "No such run", e.Message); }
    }

    /// <summary>A piece of a query echoed in an error, shortened so a hostile query cannot make the answer large.</summary>
    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";

    internal static IResult Problem(int status, string title, string detail) =>
        Results.Problem(title: title, detail: detail, statusCode: status);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
