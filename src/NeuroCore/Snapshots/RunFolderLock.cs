using System.Diagnostics;
using System.Globalization;

namespace NeuroCore.Snapshots;

/// <summary>
/// Holds a run folder exclusively while a <see cref="SnapshotRecorder"/> records into it, so two recorders
/// (two <c>train</c> processes) started on one folder cannot both pass the "already holds a run" check and
/// mix their files. The lock is a file opened with <see cref="FileShare.None"/> (an exclusive <c>flock</c>
/// on Unix, a sharing lock on Windows): the operating system releases it when the process ends, so a
/// killed recorder leaves no stale lock behind.
/// </summary>
internal sealed class RunFolderLock : IDisposable
{
    /// <summary>The lock file's name inside the run folder.</summary>
    public const string FileName = ".neurocore-recording.lock";

    private readonly FileStream _file;

    private RunFolderLock(FileStream file) => _file = file;

    /// <summary>Takes <paramref name="folder"/> (which must exist) for this process.</summary>
    /// <exception cref="IOException">Another recorder holds the folder; the message names the folder and the holder.</exception>
    public static RunFolderLock Acquire(string folder)
    {
        string path = Path.Combine(folder, FileName);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            throw new IOException(
                $"{folder}: another recording holds this run folder ({Holder(path)}); wait for it to finish or record into another folder.", e);
        }
        try
        {
            var me = Process.GetCurrentProcess();
            string holder = string.Create(CultureInfo.InvariantCulture,
                $"process {Environment.ProcessId} ({me.ProcessName}) on {Environment.MachineName}, since {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z");
            file.SetLength(0);
            var bytes = System.Text.Encoding.UTF8.GetBytes(holder + "\n");
            file.Write(bytes);
            file.Flush();
            // A copy readable by the process that is refused (the lock file itself cannot be opened while held).
            File.WriteAllText(path + ".holder", holder + "\n");
        }
        catch (IOException)
        {
            // The description is a courtesy for the error message; the lock is what matters.
        }
        return new RunFolderLock(file);
    }

    /// <summary>
    /// True when opening failed because another handle holds the file: a sharing or lock violation on Windows
    /// (HRESULT 0x80070020/21), EWOULDBLOCK from <c>flock</c> on Unix (.NET reports the errno: 11 on Linux,
    /// 35 on macOS). Other IO errors (read-only folder, disk full) pass through as they are.
    /// </summary>
    private static bool IsHeldElsewhere(IOException e) =>
        e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException
        && (OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 32 or 33 : e.HResult is 11 or 35);

    private static string Holder(string path)
    {
        try
        {
            var text = File.ReadAllText(path + ".holder").Trim();
            return text.Length is > 0 and < 500 ? text : "another process";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "another process";
        }
    }

    /// <summary>Releases the folder (the lock file is deleted as it is closed).</summary>
    public void Dispose()
    {
        try { File.Delete(_file.Name + ".holder"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        _file.Dispose();
    }
}
