using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using NeuroCore.Viewer.Playground;

namespace NeuroCore.Viewer.Tests.Infrastructure;

/// <summary>
/// The viewer's endpoints on a real Kestrel at 127.0.0.1 (random port), over a folder-backed store in a
/// fresh temporary folder — the way the render service maps them.
/// </summary>
internal sealed class ViewerServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly PlaygroundSessions _sessions;

    private ViewerServer(WebApplication app, PlaygroundSessions sessions, FolderRunStore store, string root)
    {
        _app = app; _sessions = sessions; Store = store; Root = root;
        Url = app.Urls.First().TrimEnd('/');
    }

    public string Url { get; }

    public FolderRunStore Store { get; }

    public string Root { get; }

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public static async Task<ViewerServer> StartAsync(ViewerOptions? options = null, Action<FolderRunStore>? seed = null, Action<WebApplication>? more = null, EmbeddingFolders? embeddings = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "neurocore-viewer-" + Guid.NewGuid().ToString("N")[..12]);
        var store = new FolderRunStore(root);
        seed?.Invoke(store);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sessions = embeddings is null ? app.MapNeuroCoreViewer(store, options) : app.MapNeuroCoreViewer(store, options, embeddings);
        more?.Invoke(app);
        await app.StartAsync();
        var server = new ViewerServer(app, sessions, store, root);
        server.Client.BaseAddress = new Uri(server.Url);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        _sessions.Dispose();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5))) await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
        Client.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
