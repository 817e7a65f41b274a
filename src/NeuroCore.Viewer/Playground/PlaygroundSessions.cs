using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace NeuroCore.Viewer.Playground;

/// <summary>
/// The playground's sessions and the limits that keep a shared server healthy: at most
/// <see cref="ViewerOptions.MaxConcurrentTrainings"/> at once, idle sessions stopped after
/// <see cref="ViewerOptions.PlaygroundIdleTimeout"/>, model size and steps capped.
/// </summary>
public sealed class PlaygroundSessions : IDisposable
{
    private readonly ConcurrentDictionary<string, PlaygroundSession> _sessions = new(StringComparer.Ordinal);
    private readonly IViewerRunStore _store;
    private readonly Timer _reaper;
    private readonly object _createGate = new();

    internal PlaygroundSessions(IViewerRunStore store, ViewerOptions options)
    {
        _store = store;
        Options = options;
        var period = TimeSpan.FromSeconds(Math.Clamp(options.PlaygroundIdleTimeout.TotalSeconds / 4, 0.25, 5));
        _reaper = new Timer(_ => Reap(), null, period, period);
    }

    /// <summary>The limits in force.</summary>
    public ViewerOptions Options { get; }

    /// <summary>Sessions alive now (each holds one training).</summary>
    public int Count => _sessions.Count;

    /// <summary>Creates a session training <paramref name="config"/>, or returns null when the concurrency limit is reached.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid (the message names the field).</exception>
    public PlaygroundSession? TryCreate(PlaygroundConfig config)
    {
        config.Validate();
        lock (_createGate)
        {
            Reap();
            if (_sessions.Count >= Options.MaxConcurrentTrainings) return null;
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var session = new PlaygroundSession(id, config, NewRunFolder, Options);
            _sessions[id] = session;
            return session;
        }
    }

    /// <summary>The session with id <paramref name="id"/>, or null (unknown, or stopped and removed).</summary>
    public PlaygroundSession? Find(string id) => _sessions.TryGetValue(id, out var s) ? s : null;

    /// <summary>Stops and removes a session; false when there is none with that id.</summary>
    public bool Remove(string id, string reason)
    {
        if (!_sessions.TryRemove(id, out var s)) return false;
        s.Stop(reason);
        s.Dispose();
        return true;
    }

    private string NewRunFolder()
    {
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        return _store.CreateRunFolder($"playground-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{suffix}");
    }

    private void Reap()
    {
        foreach (var (id, s) in _sessions)
            if (s.Idle > Options.PlaygroundIdleTimeout || s.State == "stopped")
                Remove(id, $"nobody watched it for {Options.PlaygroundIdleTimeout.TotalSeconds:0} s");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _reaper.Dispose();
        foreach (var id in _sessions.Keys.ToList()) Remove(id, "the server is shutting down");
    }
}
