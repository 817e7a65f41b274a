using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using NeuroCore.Snapshots;

namespace NeuroCore.Service.Client;

/// <summary>
/// Follows a run folder that a <see cref="SnapshotRecorder"/> writes and streams every new file to a NeuroCore service
/// (<c>PUT /api/runs/{id}/live/...</c>): the manifest, the probe, each snapshot with its index line, then the summary.
/// Each upload is idempotent by step, so after a dropped connection the uploader asks the service what it holds and
/// resends from there: no snapshot is lost and none is recorded twice.
/// </summary>
/// <example>
/// <code>
/// var recorder = new SnapshotRecorder("runs/spiral");
/// await using var upload = recorder.ToServer(new Uri("http://127.0.0.1:5080"), apiKey: null, runId: "spiral");
/// new Trainer(model, optimizer, loss).Fit(loader, epochs: 100, callbacks: [recorder]);
/// await upload.CompleteAsync();   // waits until the summary is on the server
/// </code>
/// </example>
public sealed class RunUploader : IAsyncDisposable
{
    private readonly string _folder;
    private readonly HttpClient _http;
    private readonly string _runId;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<int> _sent = [];
    private Task? _loop;
    private bool _manifestSent, _probeSent, _finished;
    private long _indexOffset;

    /// <summary>Streams <paramref name="runFolder"/> to <paramref name="server"/> as run <paramref name="runId"/>.</summary>
    public RunUploader(string runFolder, Uri server, string runId, string? apiKey = null, HttpMessageHandler? handler = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(runFolder);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        _folder = Path.GetFullPath(runFolder);
        _runId = runId;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = server;
        _http.Timeout = TimeSpan.FromSeconds(30);
        if (!string.IsNullOrEmpty(apiKey)) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    /// <summary>How often the folder is checked for new files. Default 200 ms.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Snapshots the service acknowledged (sent now or found there already).</summary>
    public int SnapshotsUploaded { get { lock (_sent) return _sent.Count; } }

    /// <summary>Times a request failed (dropped connection, server error) and was retried.</summary>
    public int Retries { get; private set; }

    /// <summary>The last error that caused a retry, for diagnostics.</summary>
    public string? LastError { get; private set; }

    /// <summary>Starts following the folder in the background.</summary>
    public RunUploader Start()
    {
        _loop ??= Task.Run(() => RunAsync(_stop.Token));
        return this;
    }

    /// <summary>Waits until the run is finished (its summary uploaded), or <paramref name="timeout"/> (default 5 minutes) passes.</summary>
    /// <exception cref="TimeoutException">The run did not finish in time.</exception>
    public async Task CompleteAsync(TimeSpan? timeout = null)
    {
        Start();
        var finished = await Task.WhenAny(_loop!, Task.Delay(timeout ?? TimeSpan.FromMinutes(5)));
        if (finished != _loop) throw new TimeoutException($"the run in {_folder} was not finished on the server in time ({SnapshotsUploaded} snapshots uploaded, last error: {LastError ?? "none"}).");
        await _loop!;
    }

    /// <summary>Follows the folder until the summary is uploaded or <paramref name="cancellationToken"/> fires; retries failures with backoff.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        bool resync = true;
        while (!_finished)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (resync) { await ResyncAsync(cancellationToken); resync = false; }
                bool progressed = await PassAsync(cancellationToken);
                backoff = TimeSpan.FromMilliseconds(100);
                if (!progressed && !_finished) await Task.Delay(PollInterval, cancellationToken);
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                Retries++;
                LastError = e.Message;
                resync = true;
                await Task.Delay(backoff, cancellationToken);
                backoff = TimeSpan.FromMilliseconds(Math.Min(5000, backoff.TotalMilliseconds * 2));
            }
        }
    }

    // A dropped connection surfaces as any of these, and a SocketException can escape HttpClient unwrapped when the
    // connection dies while the response body is read.
    private static bool IsTransient(Exception e) =>
        e is HttpRequestException or IOException or System.Net.Sockets.SocketException or TaskCanceledException or ServerException
        || e.InnerException is { } inner && IsTransient(inner);

    // What the service already holds: after a drop, a request may have landed without its answer reaching us.
    private async Task ResyncAsync(CancellationToken ct)
    {
        using var response = await _http.GetAsync($"api/runs/{_runId}/live", ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return;
        await EnsureAsync(response, "read the live run's state");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        _manifestSent = true;
        lock (_sent) foreach (var s in doc.RootElement.GetProperty("steps").EnumerateArray()) _sent.Add(s.GetInt32());
        _probeSent = doc.RootElement.GetProperty("probe").GetBoolean();
    }

    private async Task<bool> PassAsync(CancellationToken ct)
    {
        bool progressed = false;
        if (!_manifestSent)
        {
            var manifest = Path.Combine(_folder, SnapshotFormat.ManifestFileName);
            if (!File.Exists(manifest)) return false;
            await PutAsync($"api/runs/{_runId}/live/manifest", await File.ReadAllBytesAsync(manifest, ct), null, ct);
            _manifestSent = progressed = true;
        }
        if (!_probeSent && File.Exists(Path.Combine(_folder, SnapshotFormat.ProbeFileName)))
        {
            await PutAsync($"api/runs/{_runId}/live/probe", await File.ReadAllBytesAsync(Path.Combine(_folder, SnapshotFormat.ProbeFileName), ct), null, ct);
            _probeSent = progressed = true;
        }
        // Complete index lines only: the recorder appends a line after its snapshot file is in place.
        bool summaryPresent = File.Exists(Path.Combine(_folder, SnapshotFormat.SummaryFileName));
        foreach (var line in ReadNewIndexLines())
        {
            int step = StepOf(line.Text);
            bool known;
            lock (_sent) known = _sent.Contains(step);
            if (!known)
            {
                var bytes = await File.ReadAllBytesAsync(Path.Combine(_folder, SnapshotFormat.SnapshotFileName(step)), ct);
                await PutAsync($"api/runs/{_runId}/live/snapshots/{step}", bytes, line.Text, ct);
                lock (_sent) _sent.Add(step);
                progressed = true;
            }
            _indexOffset = line.End;
        }
        if (summaryPresent && !HasUnreadIndex())
        {
            await PutAsync($"api/runs/{_runId}/live/summary", await File.ReadAllBytesAsync(Path.Combine(_folder, SnapshotFormat.SummaryFileName), ct), null, ct);
            _finished = progressed = true;
        }
        return progressed;
    }

    private bool HasUnreadIndex()
    {
        var index = Path.Combine(_folder, SnapshotFormat.IndexFileName);
        return File.Exists(index) && new FileInfo(index).Length > _indexOffset && ReadNewIndexLines().Count > 0;
    }

    private List<(string Text, long End)> ReadNewIndexLines()
    {
        var list = new List<(string, long)>();
        var index = Path.Combine(_folder, SnapshotFormat.IndexFileName);
        if (!File.Exists(index)) return list;
        using var fs = new FileStream(index, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (fs.Length <= _indexOffset) return list;
        fs.Position = _indexOffset;
        var fresh = new byte[fs.Length - _indexOffset];
        fs.ReadExactly(fresh);
        int start = 0;
        while (true)
        {
            int nl = Array.IndexOf(fresh, (byte)'\n', start);
            if (nl < 0) break;
            string text = Encoding.UTF8.GetString(fresh, start, nl - start).Trim();
            if (text.Length > 0) list.Add((text, _indexOffset + nl + 1));
            start = nl + 1;
        }
        return list;
    }

    private static int StepOf(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.GetProperty("step").GetInt32();
    }

    private async Task PutAsync(string path, byte[] body, string? indexLine, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (indexLine is not null) request.Headers.Add("NeuroCore-Index-Line", Convert.ToBase64String(Encoding.UTF8.GetBytes(indexLine)));
        using var response = await _http.SendAsync(request, ct);
        await EnsureAsync(response, "upload " + path);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode) return;
        string detail = await response.Content.ReadAsStringAsync();
        int code = (int)response.StatusCode;
        // Server errors and rate limiting are retried; anything else is a real refusal the caller must see.
        if (code >= 500 || code == 429 || code == 408) throw new ServerException($"{what}: {code} {detail}");
        throw new InvalidOperationException($"the service refused to {what}: {code} {detail}");
    }

    /// <summary>Stops following the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_loop is not null)
        {
            try { await _loop; }
            catch (OperationCanceledException) { }
        }
        _http.Dispose();
        _stop.Dispose();
    }

    private sealed class ServerException(string message) : Exception(message);
}
