using System.Globalization;
using System.Text;
using NeuroCore.IO;

namespace NeuroCore.Snapshots;

/// <summary>
/// Reads a training run folder written by <see cref="SnapshotRecorder"/>: the manifest, the index of
/// complete snapshots and each snapshot's tensors. Opening a run that is still being written, or whose
/// writer was killed, is safe: every complete snapshot is readable, damaged index lines or snapshot files
/// are skipped and described in <see cref="Warnings"/>, and <see cref="Refresh"/> picks up snapshots
/// written since.
/// </summary>
/// <remarks>Not thread-safe: use one instance per thread (instances are cheap).</remarks>
public sealed class TrainingRun
{
    private readonly List<SnapshotEntry> _entries = [];
    private readonly Dictionary<int, SnapshotEntry> _byStep = [];
    private readonly List<string> _warnings = [];
    private long _indexOffset;
    private int _indexLine;
    private bool _indexShrank; // the run was replaced under us; warned once
    private ProbeBatch? _probe;

    private TrainingRun(string folder, RunManifest manifest)
    {
        Folder = folder;
        Manifest = manifest;
    }

    /// <summary>
    /// Opens the run in <paramref name="folder"/>: reads and validates <c>manifest.json</c> and the complete
    /// lines of <c>index.jsonl</c>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="SnapshotFormatException">The manifest is missing, corrupt, not a training run or of a newer format version.</exception>
    public static TrainingRun Open(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"{folder}: run folder does not exist.");
        string manifestPath = Path.Combine(full, SnapshotFormat.ManifestFileName);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(manifestPath);
        }
        catch (FileNotFoundException e)
        {
            throw new SnapshotFormatException(manifestPath, "missing: this folder is not a NeuroCore training run (or recording has not started yet).", e);
        }
        var run = new TrainingRun(full, RunJson.ReadManifest(manifestPath, bytes));
        run.Refresh();
        return run;
    }

    /// <summary>The run folder (full path).</summary>
    public string Folder { get; }

    /// <summary>The run's manifest: architecture, dataset, hyper-parameters, probe, storage.</summary>
    public RunManifest Manifest { get; }

    /// <summary>The complete, readable snapshots in the order they were written (ascending steps).</summary>
    public IReadOnlyList<SnapshotEntry> Snapshots => _entries;

    /// <summary>Problems found while reading the index (torn lines, missing or truncated snapshot files); each names the file.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>True when the recorder finished normally (it wrote <c>summary.json</c>); false while recording or after a crash.</summary>
    public bool IsFinished => File.Exists(Path.Combine(Folder, SnapshotFormat.SummaryFileName));

    /// <summary>True when <c>index.jsonl</c> ends with an incomplete line: a snapshot being recorded, or the writer was interrupted.</summary>
    public bool HasIncompleteIndexLine { get; private set; }

    /// <summary>The first snapshot, or null when there is none yet.</summary>
    public SnapshotEntry? First => _entries.Count > 0 ? _entries[0] : null;

    /// <summary>The latest snapshot, or null when there is none yet.</summary>
    public SnapshotEntry? Latest => _entries.Count > 0 ? _entries[^1] : null;

    /// <summary>
    /// Reads index lines appended since the last call (to follow a run while it is being written);
    /// returns how many new snapshots became available. An incomplete last line is left for the next call.
    /// </summary>
    public int Refresh()
    {
        string indexPath = Path.Combine(Folder, SnapshotFormat.IndexFileName);
        byte[] fresh;
        try
        {
            using var fs = new FileStream(indexPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (fs.Length < _indexOffset)
            {
                if (_indexShrank) return 0;
                _indexShrank = true;
                _warnings.Add($"{indexPath}: the index shrank from {_indexOffset} to {fs.Length} bytes since it was last read; new lines are ignored.");
                return 0;
            }
            fs.Position = _indexOffset;
            fresh = new byte[fs.Length - _indexOffset];
            fs.ReadExactly(fresh);
        }
        catch (FileNotFoundException)
        {
            return 0; // No snapshot recorded yet.
        }

        int added = 0, start = 0;
        while (true)
        {
            int nl = Array.IndexOf(fresh, (byte)'\n', start);
            if (nl < 0) break;
            _indexLine++;
            string line = Encoding.UTF8.GetString(fresh, start, nl - start).Trim();
            start = nl + 1;
            if (line.Length == 0) continue;
            if (Accept(indexPath, line)) added++;
        }
        _indexOffset += start;
        HasIncompleteIndexLine = start < fresh.Length;
        return added;
    }

    private bool Accept(string indexPath, string line)
    {
        SnapshotEntry entry;
        try
        {
            entry = RunJson.ReadEntry(line);
        }
        catch (FormatException e)
        {
            _warnings.Add($"{indexPath}: line {_indexLine} is torn or corrupt and was skipped ({e.Message}).");
            return false;
        }
        string file = Path.Combine(Folder, entry.File);
        var info = new FileInfo(file);
        if (!info.Exists)
        {
            _warnings.Add($"{file}: snapshot file of step {entry.Step} is missing; skipped.");
            return false;
        }
        if (entry.Bytes >= 0 && info.Length != entry.Bytes)
        {
            _warnings.Add(info.Length < entry.Bytes
                ? $"{file}: snapshot file of step {entry.Step} is truncated ({info.Length} of {entry.Bytes} bytes); skipped."
                : $"{file}: snapshot file of step {entry.Step} has {info.Length} bytes but the index says {entry.Bytes}; skipped.");
            return false;
        }
        if (_byStep.ContainsKey(entry.Step))
        {
            _warnings.Add($"{indexPath}: line {_indexLine} repeats step {entry.Step}; the first entry is kept.");
            return false;
        }
        _entries.Add(entry);
        _byStep[entry.Step] = entry;
        return true;
    }

    /// <summary>Finds the snapshot of <paramref name="step"/>.</summary>
    public bool TryGetEntry(int step, out SnapshotEntry entry) => _byStep.TryGetValue(step, out entry!);

    /// <summary>The snapshot entry of <paramref name="step"/>.</summary>
    /// <exception cref="KeyNotFoundException">The run has no readable snapshot at that step; the message lists what it has.</exception>
    public SnapshotEntry GetEntry(int step)
    {
        if (_byStep.TryGetValue(step, out var e)) return e;
        string have = _entries.Count == 0
            ? "it has no snapshots yet"
            : $"it has {_entries.Count} snapshot{(_entries.Count == 1 ? "" : "s")} between steps {_entries.Min(x => x.Step)} and {_entries.Max(x => x.Step)}" +
              NearestSteps(step);
        throw new KeyNotFoundException($"{Folder}: no snapshot at step {step.ToString(CultureInfo.InvariantCulture)}; {have}.");
    }

    private string NearestSteps(int step)
    {
        var below = _entries.Where(x => x.Step < step).Select(x => x.Step).DefaultIfEmpty(int.MinValue).Max();
        var above = _entries.Where(x => x.Step > step).Select(x => x.Step).DefaultIfEmpty(int.MaxValue).Min();
        var near = new[] { below, above }.Where(s => s != int.MinValue && s != int.MaxValue).ToArray();
        return near.Length == 0 ? "" : $" (nearest: {string.Join(", ", near)})";
    }

    /// <summary>Loads the tensors of the snapshot at <paramref name="step"/>.</summary>
    /// <exception cref="KeyNotFoundException">No snapshot at that step.</exception>
    /// <exception cref="SnapshotFormatException">The snapshot file is missing, truncated or corrupt.</exception>
    public Snapshot LoadSnapshot(int step) => LoadSnapshot(GetEntry(step));

    /// <summary>Loads the tensors of <paramref name="entry"/> (float16 storage is widened to float32).</summary>
    /// <exception cref="SnapshotFormatException">The snapshot file is missing, truncated or corrupt.</exception>
    public Snapshot LoadSnapshot(SnapshotEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var tensors = ReadTensors(Path.Combine(Folder, entry.File));
        var parameters = new Dictionary<string, Tensor>();
        var buffers = new Dictionary<string, Tensor>();
        var grads = new Dictionary<string, Tensor>();
        var norms = new Dictionary<string, float>();
        var acts = new Dictionary<string, Tensor>();
        foreach (var (name, t) in tensors)
        {
            // Unknown prefixes are tensors added by newer writers: ignored, as the format promises.
            if (Strip(name, SnapshotFormat.ParameterPrefix) is { } p) parameters[p] = t;
            else if (Strip(name, SnapshotFormat.BufferPrefix) is { } b) buffers[b] = t;
            else if (Strip(name, SnapshotFormat.GradientNormPrefix) is { } gn) norms[gn] = t.ToArray()[0];
            else if (Strip(name, SnapshotFormat.GradientPrefix) is { } g) grads[g] = t;
            else if (Strip(name, SnapshotFormat.ActivationPrefix) is { } a) acts[a] = t;
        }
        foreach (var (name, g) in grads)
            if (!norms.ContainsKey(name)) norms[name] = (float)Math.Sqrt(g.ToArray().Sum(v => (double)v * v));
        return new Snapshot { Entry = entry, Parameters = parameters, Buffers = buffers, Gradients = grads, GradientNorms = norms, Activations = acts };
    }

    private static string? Strip(string name, string prefix) => name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : null;

    /// <summary>Loads the probe batch (inputs and labels), or returns null when the run has none.</summary>
    /// <exception cref="SnapshotFormatException">The probe file is missing or corrupt.</exception>
    public ProbeBatch? LoadProbe()
    {
        if (Manifest.Probe is null) return null;
        if (_probe is not null) return _probe;
        string path = Path.Combine(Folder, Manifest.Probe.File);
        var tensors = ReadTensors(path);
        if (!tensors.TryGetValue("inputs", out var inputs))
            throw new SnapshotFormatException(path, "the probe file has no \"inputs\" tensor.");
        tensors.TryGetValue("labels", out var labels);
        return _probe = new ProbeBatch(inputs, labels);
    }

    /// <summary>Reads a snapshot or probe file (float16 widened to float32), in the order the recorder wrote it.</summary>
    /// <exception cref="SnapshotFormatException">The file is missing, truncated or corrupt; the message names it.</exception>
    internal static IReadOnlyDictionary<string, Tensor> ReadTensors(string path)
    {
        try
        {
            // Shared read/delete: a recorder replacing files (Overwrite) must not fail because a reader has one open.
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
            return SafeTensors.Load(fs, path).Tensors;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SnapshotFormatException(path, "file not found.", e);
        }
        catch (InvalidDataException e)
        {
            throw new SnapshotFormatException(path, $"not a valid safetensors file: {SafeTensors.ReasonOf(e)}.", e);
        }
    }

    /// <summary>Total size in bytes of the run's files (manifest, index, probe and readable snapshots).</summary>
    public long TotalBytes()
    {
        long total = 0;
        foreach (var f in new[] { SnapshotFormat.ManifestFileName, SnapshotFormat.IndexFileName, SnapshotFormat.ProbeFileName, SnapshotFormat.SummaryFileName })
        {
            var fi = new FileInfo(Path.Combine(Folder, f));
            if (fi.Exists) total += fi.Length;
        }
        return total + _entries.Sum(e => Math.Max(0, e.Bytes));
    }
}
