namespace NeuroCore.Visualization.Encoding;

/// <summary>
/// An output file written under a hidden temporary name in the target's folder (<c>.name.&lt;random&gt;.tmp</c>)
/// and renamed over the target only by <see cref="Commit"/>: a render that is cancelled, fails or is killed
/// (Ctrl+C, SIGTERM, SIGKILL) never leaves a partial file under the real name, and an existing file there
/// stays as it was until the new one is complete.
/// </summary>
internal sealed class PendingOutputFile : IDisposable
{
    private FileStream? _stream;
    private bool _committed;

    private PendingOutputFile(string path, string temporaryPath, FileStream stream)
    {
        Path = path;
        TemporaryPath = temporaryPath;
        _stream = stream;
    }

    /// <summary>The target (full path).</summary>
    public string Path { get; }

    /// <summary>The temporary file being written.</summary>
    public string TemporaryPath { get; }

    /// <summary>The temporary file's stream (read/write, seekable).</summary>
    public FileStream Stream => _stream ?? throw new ObjectDisposedException(nameof(PendingOutputFile));

    /// <summary>The temporary name for <paramref name="path"/> (same folder, so the final rename is atomic).</summary>
    public static string TemporaryPathFor(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full) ?? ".";
        return System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>Creates the temporary file for <paramref name="path"/>, turning permission and path problems into one clear IOException.</summary>
    public static PendingOutputFile Create(string path)
    {
        try
        {
            var full = System.IO.Path.GetFullPath(path);
            if (Directory.Exists(full))
                throw new IOException($"'{path}' is a folder; give a file name (or end the path with '/' to write PNG frames into it).");
            var dir = System.IO.Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            var temp = TemporaryPathFor(full);
            return new PendingOutputFile(full, temp, new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16));
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or NotSupportedException)
        {
            throw new IOException($"Cannot write the output '{path}': {e.Message}", e);
        }
    }

    /// <summary>Flushes the temporary file (to disk when <paramref name="durable"/>) and renames it over the target.</summary>
    public void Commit(bool durable = true)
    {
        var stream = Stream;
        stream.Flush(flushToDisk: durable);
        stream.Dispose();
        _stream = null;
        Publish(TemporaryPath, Path);
        _committed = true;
    }

    /// <summary>
    /// Closes the temporary file and hands it to the caller (for another process, such as ffmpeg, to write):
    /// the caller then <see cref="Publish"/>es or <see cref="Discard"/>s it.
    /// </summary>
    public string HandOver()
    {
        Stream.Dispose();
        _stream = null;
        _committed = true;
        return TemporaryPath;
    }

    /// <summary>Renames a finished temporary file (written by another process, e.g. ffmpeg) over <paramref name="path"/>.</summary>
    public static void Publish(string temporaryPath, string path)
    {
        try
        {
            File.Move(temporaryPath, path, overwrite: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            Discard(temporaryPath);
            throw new IOException($"Cannot write the output '{path}': {e.Message}", e);
        }
    }

    /// <summary>Deletes a temporary file, ignoring one that is already gone.</summary>
    public static void Discard(string temporaryPath)
    {
        try { File.Delete(temporaryPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Without <see cref="Commit"/>, closes and deletes the temporary file; the target is untouched.</summary>
    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
        if (!_committed) Discard(TemporaryPath);
    }
}
