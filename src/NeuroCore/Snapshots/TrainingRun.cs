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
    private readonly Dictionary<long, SnapshotEntry> _byStep = [];
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
    /// <exception cref="SnapshotFormatException">The manifest (or the index) is missing, corrupt, a folder, not a training run or of a newer format version.</exception>
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
        catch (UnauthorizedAccessException e)
        {
            throw NotReadable(manifestPath, e);
        }
        var run = new TrainingRun(full, RunSerializer.ReadManifest(manifestPath, bytes));
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

    /// <summary>Reads <c>summary.json</c>, or returns null while the run is recording (or after a crash).</summary>
    /// <exception cref="SnapshotFormatException">The summary is corrupt or a folder.</exception>
    public RunSummary? LoadSummary()
    {
        string path = Path.Combine(Folder, SnapshotFormat.SummaryFileName);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { return null; }
        catch (UnauthorizedAccessException e) { throw NotReadable(path, e); }
        return RunSerializer.ReadSummary(path, bytes);
    }

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
        catch (UnauthorizedAccessException e)
        {
            throw NotReadable(indexPath, e);
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
            entry = RunSerializer.ReadEntry(line);
        }
        catch (FormatException e)
        {
            _warnings.Add($"{indexPath}: line {_indexLine} is torn or corrupt and was skipped ({e.Message}).");
            return false;
        }
        string file = Path.GetFullPath(Path.Combine(Folder, entry.File));
        if (!file.StartsWith(Path.TrimEndingDirectorySeparator(Folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            _warnings.Add($"{indexPath}: line {_indexLine} names a file outside the run folder; skipped.");
            return false;
        }
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
    public bool TryGetEntry(long step, out SnapshotEntry entry) => _byStep.TryGetValue(step, out entry!);

    /// <summary>The snapshot entry of <paramref name="step"/>.</summary>
    /// <exception cref="KeyNotFoundException">The run has no readable snapshot at that step; the message lists what it has and the nearest steps.</exception>
    public SnapshotEntry GetEntry(long step)
    {
        if (_byStep.TryGetValue(step, out var e)) return e;
        throw new KeyNotFoundException($"{Folder}: {DescribeMissingStep(step)}.");
    }

    /// <summary>
    /// "no snapshot at step 600; it has 12 snapshots between steps 0 and 1140 (nearest: 500, 700)": what to say
    /// when <paramref name="step"/> is not recorded.
    /// </summary>
    public string DescribeMissingStep(long step)
    {
        string have = _entries.Count == 0
            ? "it has no snapshots yet"
            : $"it has {_entries.Count} snapshot{(_entries.Count == 1 ? "" : "s")} between steps {_entries[0].Step} and {_entries[^1].Step}";
        var near = NearestSteps(step);
        return $"no snapshot at step {step.ToString(CultureInfo.InvariantCulture)}; {have}" +
            (near.Count == 0 ? "" : $" (nearest: {string.Join(", ", near)})");
    }

    /// <summary>The recorded steps closest to <paramref name="step"/>: the one below and the one above (one or none at the ends).</summary>
    public IReadOnlyList<long> NearestSteps(long step)
    {
        SnapshotEntry? below = null, above = null;
        foreach (var x in _entries)
        {
            if (x.Step < step && (below is null || x.Step > below.Step)) below = x;
            if (x.Step > step && (above is null || x.Step < above.Step)) above = x;
        }
        var near = new List<long>(2);
        if (below is not null) near.Add(below.Step);
        if (above is not null) near.Add(above.Step);
        return near;
    }

    /// <summary>Loads the tensors of the snapshot at <paramref name="step"/>.</summary>
    /// <exception cref="KeyNotFoundException">No snapshot at that step.</exception>
    /// <exception cref="SnapshotFormatException">The snapshot file is missing, truncated or corrupt.</exception>
    public Snapshot LoadSnapshot(long step) => LoadSnapshot(GetEntry(step));

    /// <summary>Loads the tensors of <paramref name="entry"/> (float16 storage is widened to float32).</summary>
    /// <exception cref="SnapshotFormatException">The snapshot file is missing, truncated or corrupt.</exception>
    public Snapshot LoadSnapshot(SnapshotEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string path = Path.Combine(Folder, entry.File);
        var tensors = ReadTensors(path);
        int? probeRows = Manifest.Probe?.Count;
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
            else if (Strip(name, SnapshotFormat.GradientNormPrefix) is { } gn)
                norms[gn] = t.Numel == 1 ? t.ToArray()[0]
                    : throw new SnapshotFormatException(path, $"tensor \"{name}\" has {t.Numel} elements; a gradient norm is one number.");
            else if (Strip(name, SnapshotFormat.GradientPrefix) is { } g) grads[g] = t;
            else if (Strip(name, SnapshotFormat.ActivationPrefix) is { } a)
            {
                int rows = t.Rank == 0 ? 1 : t.Size(0);
                if (probeRows is int expected && rows != expected)
                    throw new SnapshotFormatException(path, $"tensor \"{name}\" holds {rows} probe rows but the manifest's probe.count is {expected}.");
                acts[a] = t;
            }
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
        string path = RunValidation.Resolve(Folder, Manifest.Probe.File, Path.Combine(Folder, SnapshotFormat.ManifestFileName), "probe.file");
        var tensors = ReadTensors(path);
        if (!tensors.TryGetValue("inputs", out var inputs))
            throw new SnapshotFormatException(path, "the probe file has no \"inputs\" tensor.");
        int rows = inputs.Rank == 0 ? 1 : inputs.Size(0);
        if (rows != Manifest.Probe.Count)
            throw new SnapshotFormatException(path, $"\"inputs\" holds {rows} examples but the manifest's probe.count is {Manifest.Probe.Count}.");
        tensors.TryGetValue("labels", out var labels);
        if (labels is not null && (labels.Rank == 0 || labels.Size(0) != rows))
            throw new SnapshotFormatException(path, $"\"labels\" has shape {Layout.ShapeUtil.Format(labels.ShapeRef)}; expected {rows} rows like \"inputs\".");
        return _probe = new ProbeBatch(inputs, labels);
    }

    /// <summary>A run file that cannot be opened: a folder where the file should be (the BCL says "access denied"), or really no permission.</summary>
    private static SnapshotFormatException NotReadable(string path, UnauthorizedAccessException e) =>
        new(path, Directory.Exists(path) ? "is a folder, not a file." : "cannot be read (access denied).", e);

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
        catch (UnauthorizedAccessException e)
        {
            throw NotReadable(path, e);
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
