namespace NeuroCore.Service.Storage;

/// <summary>Writes that never leave a half-written file under the final name: a temporary file beside it, then a rename.</summary>
internal static class AtomicFiles
{
    /// <summary>A fresh temporary path beside <paramref name="path"/> (same folder, so the rename is atomic).</summary>
    public static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..12] + ".tmp");

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = TempPathFor(path);
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Streams <paramref name="source"/> to <paramref name="path"/> atomically; returns the bytes written, or throws when more than <paramref name="maxBytes"/>.</summary>
    public static async Task<long> WriteStreamAsync(string path, Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = TempPathFor(path);
        try
        {
            long total;
            await using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                total = await CopyCappedAsync(source, fs, maxBytes, cancellationToken);
                await fs.FlushAsync(cancellationToken);
            }
            File.Move(temp, path, overwrite: true);
            return total;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Copies at most <paramref name="maxBytes"/>; throws <see cref="Uploads.UploadTooLargeException"/> beyond.</summary>
    public static async Task<long> CopyCappedAsync(Stream source, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += n;
            if (total > maxBytes) throw new Uploads.UploadTooLargeException(maxBytes);
            await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
        }
        return total;
    }
}
