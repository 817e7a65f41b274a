namespace NeuroCore.IO;

/// <summary>
/// Writes a file so that its real name only ever holds complete contents: the bytes go to a hidden
/// temporary file in the same folder (<c>.name.&lt;random&gt;.tmp</c>), are flushed to disk (fsync) and
/// the temporary file is then renamed over the target. Used by <see cref="SafeTensors"/> and by the
/// snapshot recorder, whose crash safety depends on this order.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; returns the file's length in bytes.</summary>
    /// <remarks>
    /// The temporary name is unique (not <c>path.tmp</c>) so two writers never share a temporary file; the
    /// same folder keeps the rename atomic (no cross-volume copy). On failure the temporary file is deleted
    /// and an existing file at <paramref name="path"/> is left untouched.
    /// </remarks>
    public static long Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            long length;
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                // Durable before visible: without the fsync a power loss after the rename could leave the
                // real name pointing at a file whose data never reached the disk.
                fs.Flush(flushToDisk: true);
                length = fs.Length;
            }
            File.Move(temp, full, overwrite: true);
            return length;
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
