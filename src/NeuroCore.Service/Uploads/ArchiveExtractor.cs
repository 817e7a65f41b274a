using System.Formats.Tar;
using System.IO.Compression;
using NeuroCore.Service.Options;

namespace NeuroCore.Service.Uploads;

/// <summary>
/// Unpacks an uploaded <c>.tar</c>, <c>.tar.gz</c> or <c>.zip</c> (recognised by content, not name) into an empty folder,
/// refusing anything unsafe: <c>..</c> or absolute names, links, devices, and archives over the entry-count or unpacked-size
/// caps, which are checked while unpacking (a bomb stops at the cap). On any refusal the caller deletes the folder.
/// </summary>
public static class ArchiveExtractor
{
    /// <summary>Unpacks <paramref name="archivePath"/> into <paramref name="destination"/>; returns the folder holding <c>manifest.json</c>.</summary>
    /// <exception cref="ArchiveRejectedException">The archive is of an unknown type, holds an unsafe entry, or exceeds a cap.</exception>
    public static string Extract(string archivePath, string destination, ServiceLimits limits, string manifestName)
    {
        var kind = Detect(archivePath);
        var budget = new Budget(limits);
        try
        {
            switch (kind)
            {
                case ArchiveKind.Zip: ExtractZip(archivePath, destination, budget); break;
                case ArchiveKind.Tar: ExtractTar(archivePath, destination, budget, gzip: false); break;
                case ArchiveKind.TarGz: ExtractTar(archivePath, destination, budget, gzip: true); break;
                default: throw new ArchiveRejectedException("the body is not a .tar, .tar.gz or .zip archive.");
            }
        }
        catch (InvalidDataException e)
        {
            throw new ArchiveRejectedException($"the archive is corrupt: {e.Message}");
        }
        catch (EndOfStreamException)
        {
            throw new ArchiveRejectedException("the archive is truncated.");
        }
        return RunRoot(destination, manifestName);
    }

    private enum ArchiveKind { Unknown, Zip, Tar, TarGz }

    private static ArchiveKind Detect(string path)
    {
        Span<byte> head = stackalloc byte[512];
        using var fs = File.OpenRead(path);
        int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..n];
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return ArchiveKind.Zip;
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 5 && head[3] == 6) return ArchiveKind.Zip; // empty zip
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) return ArchiveKind.TarGz;
        if (n >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a' && head[261] == 'r') return ArchiveKind.Tar;
        return ArchiveKind.Unknown;
    }

    private sealed class Budget(ServiceLimits limits)
    {
        public int MaxEntries => limits.MaxArchiveEntries;

        private int _entries;
        private long _bytes;

        public void Entry(string name)
        {
            if (++_entries > limits.MaxArchiveEntries)
                throw new ArchiveRejectedException($"the archive has more than {limits.MaxArchiveEntries:N0} entries (the limit).");
        }

        public void Bytes(long n, string name)
        {
            _bytes += n;
            if (_bytes > limits.MaxUncompressedBytes)
                throw new ArchiveRejectedException($"the archive unpacks to more than {limits.MaxUncompressedBytes:N0} bytes (the limit), reached at '{name}'.");
        }
    }

    /// <summary>The safe destination of an entry named <paramref name="name"/>, or an <see cref="ArchiveRejectedException"/>.</summary>
    internal static string SafePath(string destination, string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('\0')) throw new ArchiveRejectedException("the archive has an entry with an empty or invalid name.");
        string n = name.Replace('\\', '/');
        if (n.StartsWith('/') || (n.Length >= 2 && n[1] == ':'))
            throw new ArchiveRejectedException($"the archive entry '{name}' has an absolute path.");
        var parts = n.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Any(p => p == ".."))
            throw new ArchiveRejectedException($"the archive entry '{name}' points outside the archive ('..').");
        var clean = parts.Where(p => p != ".").ToArray();
        string full = Path.GetFullPath(Path.Combine([destination, .. clean]));
        string root = Path.GetFullPath(destination).TrimEnd('/') + "/";
        if (!(full + "/").StartsWith(root, StringComparison.Ordinal))
            throw new ArchiveRejectedException($"the archive entry '{name}' points outside the archive.");
        return full;
    }

    private static void ExtractTar(string path, string destination, Budget budget, bool gzip)
    {
        using var file = File.OpenRead(path);
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new TarReader(stream);
        TarEntry? entry;
        var buffer = new byte[1 << 16];
        while ((entry = reader.GetNextEntry(copyData: false)) is not null)
        {
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes) continue;
            budget.Entry(entry.Name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(SafePath(destination, entry.Name));
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    var target = SafePath(destination, entry.Name);
                    if (entry.Length < 0) throw new ArchiveRejectedException($"the archive entry '{entry.Name}' has a negative size.");
                    budget.Bytes(0, entry.Name);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
                    {
                        if (entry.DataStream is { } data) CopyCounted(data, output, budget, entry.Name, buffer);
                    }
                    break;
                case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                    throw new ArchiveRejectedException($"the archive entry '{entry.Name}' is a link; links are not accepted.");
                case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                    throw new ArchiveRejectedException($"the archive entry '{entry.Name}' is a device or pipe; only files and folders are accepted.");
                default:
                    throw new ArchiveRejectedException($"the archive entry '{entry.Name}' is of type {entry.EntryType}; only files and folders are accepted.");
            }
        }
    }

    /// <summary>
    /// The entry count a zip declares in its end-of-central-directory record (or the Zip64 one), read before the central
    /// directory is loaded: opening a zip reads every entry header into memory, so a hostile count is refused first.
    /// Returns -1 when the record is not found (the zip reader then reports the archive as corrupt).
    /// </summary>
    internal static long DeclaredZipEntries(string path)
    {
        using var fs = File.OpenRead(path);
        int tail = (int)Math.Min(fs.Length, 22 + 65535 + 20);
        var buffer = new byte[tail];
        fs.Position = fs.Length - tail;
        fs.ReadExactly(buffer);
        for (int i = tail - 22; i >= 0; i--)
        {
            if (buffer[i] != 0x50 || buffer[i + 1] != 0x4b || buffer[i + 2] != 0x05 || buffer[i + 3] != 0x06) continue;
            long count = BitConverter.ToUInt16(buffer, i + 10);
            if (count != 0xFFFF || i < 20) return count;
            // Zip64: the locator (20 bytes before) points at the Zip64 end record, whose entry count is a uint64 at +32.
            if (BitConverter.ToUInt32(buffer, i - 20) != 0x07064b50) return count;
            long recordOffset = (long)BitConverter.ToUInt64(buffer, i - 20 + 8);
            if (recordOffset < 0 || recordOffset + 40 > fs.Length) return long.MaxValue;
            var record = new byte[40];
            fs.Position = recordOffset;
            fs.ReadExactly(record);
            return BitConverter.ToUInt32(record, 0) == 0x06064b50 ? (long)Math.Min(BitConverter.ToUInt64(record, 32), long.MaxValue) : long.MaxValue;
        }
        return -1;
    }

    private static void ExtractZip(string path, string destination, Budget budget)
    {
        long declared = DeclaredZipEntries(path);
        if (declared > budget.MaxEntries)
            throw new ArchiveRejectedException($"the archive has more than {budget.MaxEntries:N0} entries (the limit): it declares {declared:N0}.");
        using var zip = ZipFile.OpenRead(path);
        var buffer = new byte[1 << 16];
        foreach (var entry in zip.Entries)
        {
            budget.Entry(entry.FullName);
            // Unix mode in the high 16 bits of the external attributes: refuse links and devices.
            int mode = (entry.ExternalAttributes >> 16) & 0xF000;
            if (mode == 0xA000) throw new ArchiveRejectedException($"the archive entry '{entry.FullName}' is a link; links are not accepted.");
            if (mode is 0x2000 or 0x6000 or 0x1000 or 0xC000)
                throw new ArchiveRejectedException($"the archive entry '{entry.FullName}' is a device, pipe or socket; only files and folders are accepted.");
            var target = SafePath(destination, entry.FullName);
            if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\'))
            {
                Directory.CreateDirectory(target);
                continue;
            }
            // The declared size is checked first (cheap), the real one while copying (a lying header cannot pass).
            budget.Bytes(0, entry.FullName);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var input = entry.Open();
            using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
            CopyCounted(input, output, budget, entry.FullName, buffer);
        }
    }

    private static void CopyCounted(Stream input, Stream output, Budget budget, string name, byte[] buffer)
    {
        int n;
        while ((n = input.Read(buffer)) > 0)
        {
            budget.Bytes(n, name);
            output.Write(buffer, 0, n);
        }
    }

    // A run folder archived with its folder name ("spiral/manifest.json") or without it ("manifest.json").
    private static string RunRoot(string destination, string manifestName)
    {
        if (File.Exists(Path.Combine(destination, manifestName))) return destination;
        var dirs = Directory.GetDirectories(destination);
        if (dirs.Length == 1 && Directory.GetFiles(destination).Length == 0 && File.Exists(Path.Combine(dirs[0], manifestName))) return dirs[0];
        return destination; // the run reader names what is missing
    }
}
