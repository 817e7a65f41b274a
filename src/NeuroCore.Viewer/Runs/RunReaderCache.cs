using System.Collections.Concurrent;

namespace NeuroCore.Viewer.Runs;

/// <summary>
/// One open <see cref="RunReader"/> per run folder, reused across requests (opening a run and picking
/// its connections costs a snapshot load) and used under a lock, because the reader is not thread-safe.
/// A reader whose manifest changed (a run replaced under the same id) is reopened.
/// </summary>
internal sealed class RunReaderCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry(RunReader reader, DateTime manifestTime)
    {
        public RunReader Reader { get; } = reader;
        public DateTime ManifestTime { get; } = manifestTime;
        public object Gate { get; } = new();
    }

    /// <summary>Runs <paramref name="use"/> with the reader of <paramref name="folder"/> under its lock.</summary>
    public T Use<T>(string id, string folder, Func<RunReader, T> use)
    {
        var manifest = new FileInfo(Path.Combine(folder, NeuroCore.Snapshots.SnapshotFormat.ManifestFileName));
        var time = manifest.Exists ? manifest.LastWriteTimeUtc : DateTime.MinValue;
        var key = Path.GetFullPath(folder);
        if (!_entries.TryGetValue(key, out var entry) || entry.ManifestTime != time)
        {
            entry = new Entry(RunReader.Open(id, folder), time);
            _entries[key] = entry;
            // A bounded cache: a long-lived server sees many runs; dropping all is cheap compared to unbounded growth.
            if (_entries.Count > 64) { _entries.Clear(); _entries[key] = entry; }
        }
        lock (entry.Gate) return use(entry.Reader);
    }
}
