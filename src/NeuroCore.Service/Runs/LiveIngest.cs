using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using NeuroCore.Service.Storage;

namespace NeuroCore.Service.Runs;

/// <summary>
/// Writes the files a remote recorder streams into the run folder exactly as a local <c>SnapshotRecorder</c> writes them:
/// the snapshot file first (temporary name, rename), then its index line appended in one write. Idempotent by step:
/// sending a step again is a no-op, so a client that lost its connection can resend without duplicating anything.
/// </summary>
public sealed class LiveIngest(IRunStore runs)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();
    // Steps per run folder, valid while the index keeps the length it had when read (so a PUT does not re-read the index).
    private readonly ConcurrentDictionary<string, (long Length, SortedSet<int> Steps)> _steps = new();

    /// <summary>The outcome of a write.</summary>
    public enum Outcome
    {
        /// <summary>Written now.</summary>
        Created,
        /// <summary>Already there with the same content; nothing written.</summary>
        Unchanged,
        /// <summary>Already there with different content; nothing written.</summary>
        Conflict,
        /// <summary>The run does not exist (send the manifest first).</summary>
        NoRun,
    }

    private SemaphoreSlim Lock(string id) => _locks.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));

    /// <summary>Creates live run <paramref name="id"/> from its manifest (checked by the run reader), atomically visible.</summary>
    public async Task<Outcome> PutManifestAsync(string id, byte[] manifest)
    {
        RunReader.CheckManifest(manifest);
        var gate = Lock(id);
        await gate.WaitAsync();
        try
        {
            if (runs.GetRunFolder(id) is { } existing)
            {
                var path = Path.Combine(existing, RunReader.FileNames.Manifest);
                return File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(manifest) ? Outcome.Unchanged : Outcome.Conflict;
            }
            string staging = runs.CreateStagingFolder();
            try
            {
                Directory.CreateDirectory(Path.Combine(staging, RunReader.FileNames.Snapshots));
                AtomicFiles.WriteAllBytes(Path.Combine(staging, RunReader.FileNames.Manifest), manifest);
                return runs.Publish(staging, id) ? Outcome.Created : Outcome.Conflict;
            }
            finally { if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true); }
        }
        finally { gate.Release(); }
    }

    /// <summary>Writes a whole-file part of a live run (<c>probe.safetensors</c> or <c>summary.json</c>).</summary>
    public async Task<Outcome> PutFileAsync(string id, string fileName, byte[] content)
    {
        var gate = Lock(id);
        await gate.WaitAsync();
        try
        {
            var folder = runs.GetRunFolder(id);
            if (folder is null) return Outcome.NoRun;
            var path = Path.Combine(folder, fileName);
            if (File.Exists(path)) return File.ReadAllBytes(path).AsSpan().SequenceEqual(content) ? Outcome.Unchanged : Outcome.Conflict;
            AtomicFiles.WriteAllBytes(path, content);
            return Outcome.Created;
        }
        finally { gate.Release(); }
    }

    /// <summary>Checks an index line sent with snapshot <paramref name="step"/>; returns a message naming what is wrong, or null.</summary>
    public static string? CheckIndexLine(string line, int step, long bytes)
    {
        if (line.Contains('\n') || line.Contains('\r')) return "the index line must be one line.";
        try
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object) return "the index line is not a JSON object.";
            if (!r.TryGetProperty("step", out var s) || !s.TryGetInt32(out int st) || st != step) return $"the index line's step is not {step}.";
            if (!r.TryGetProperty("file", out var f) || f.GetString() != RunReader.SnapshotFile(step)) return $"the index line's file must be '{RunReader.SnapshotFile(step)}'.";
            if (!r.TryGetProperty("bytes", out var b) || !b.TryGetInt64(out long n) || n != bytes) return $"the index line says a different size than the {bytes} bytes sent.";
            return null;
        }
        catch (JsonException e) { return $"the index line is not valid JSON: {e.Message}"; }
    }

    /// <summary>Writes snapshot <paramref name="step"/> and appends its index line, unless that step is recorded already.</summary>
    public async Task<Outcome> PutSnapshotAsync(string id, int step, byte[] content, string indexLine)
    {
        var gate = Lock(id);
        await gate.WaitAsync();
        try
        {
            var folder = runs.GetRunFolder(id);
            if (folder is null) return Outcome.NoRun;
            string file = Path.Combine(folder, RunReader.SnapshotFile(step));
            var steps = CachedSteps(folder);
            if (steps.Contains(step))
                return File.Exists(file) && new FileInfo(file).Length == content.Length && File.ReadAllBytes(file).AsSpan().SequenceEqual(content)
                    ? Outcome.Unchanged : Outcome.Conflict;
            AtomicFiles.WriteAllBytes(file, content);
            var bytes = Encoding.UTF8.GetBytes(indexLine.Trim() + "\n");
            using var fs = new FileStream(Path.Combine(folder, RunReader.FileNames.Index), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            fs.Write(bytes);
            fs.Flush(flushToDisk: true);
            steps.Add(step);
            _steps[folder] = (fs.Length, steps);
            return Outcome.Created;
        }
        finally { gate.Release(); }
    }

    private SortedSet<int> CachedSteps(string folder)
    {
        var index = new FileInfo(Path.Combine(folder, RunReader.FileNames.Index));
        long length = index.Exists ? index.Length : 0;
        if (_steps.TryGetValue(folder, out var cached) && cached.Length == length) return cached.Steps;
        var steps = RecordedSteps(folder);
        _steps[folder] = (length, steps);
        return steps;
    }

    /// <summary>The steps in a run's index (complete lines only).</summary>
    public static SortedSet<int> RecordedSteps(string folder)
    {
        var steps = new SortedSet<int>();
        string index = Path.Combine(folder, RunReader.FileNames.Index);
        if (!File.Exists(index)) return steps;
        var text = File.ReadAllText(index);
        int end = text.LastIndexOf('\n');
        if (end < 0) return steps;
        foreach (var line in text[..end].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("step", out var s) && s.TryGetInt32(out int st)) steps.Add(st);
            }
            catch (JsonException) { }
        }
        return steps;
    }
}
