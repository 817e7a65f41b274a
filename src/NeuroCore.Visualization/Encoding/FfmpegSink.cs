using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NeuroCore.Visualization.Encoding;

/// <summary>
/// Pipes raw RGBA frames into ffmpeg's stdin (no temporary images): H.264 (libx264, yuv420p, +faststart)
/// for MP4, VP9 (libvpx-vp9) for WebM.
/// </summary>
internal sealed class FfmpegSink : FrameSink
{
    private readonly string _path;
    private readonly string _temporaryPath;
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly StringBuilder _stderr = new();
    private readonly string _formatName;
    private bool _completed;

    public FfmpegSink(OutputFormat format, string path, int width, int height, double fps, string? ffmpegPath)
    {
        _formatName = format == OutputFormat.Mp4 ? "MP4" : "WebM";
        if (width % 2 != 0 || height % 2 != 0)
            throw new ArgumentException($"{_formatName} (yuv420p) needs an even frame size; got {width}×{height}.");
        var ffmpeg = ffmpegPath ?? throw Ffmpeg.Missing(_formatName);
        _path = path;
        // Fail on an unwritable output before any frame is rendered. ffmpeg writes (-y) a temporary file in the
        // same folder that replaces the output only once ffmpeg finished it, so an interrupted render keeps the old file.
        _temporaryPath = PendingOutputFile.Create(path).HandOver();
        var args = new List<string>
        {
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgba", "-s", $"{width}x{height}",
            "-framerate", fps.ToString(CultureInfo.InvariantCulture), "-i", "-",
            "-an",
        };
        if (format == OutputFormat.Mp4)
            args.AddRange(["-c:v", "libx264", "-preset", "medium", "-crf", "20", "-pix_fmt", "yuv420p", "-movflags", "+faststart"]);
        else
            // Constant quality VP9; "good" deadline with cpu-used 4 and row threading keeps encoding time reasonable.
            args.AddRange(["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "32", "-pix_fmt", "yuv420p", "-deadline", "good", "-cpu-used", "4", "-row-mt", "1"]);
        // The temporary name ends in .tmp, so the container is named explicitly instead of taken from the extension.
        args.AddRange(["-f", format == OutputFormat.Mp4 ? "mp4" : "webm", _temporaryPath]);
        var info = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            _process = Process.Start(info) ?? throw Ffmpeg.Missing(_formatName);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            PendingOutputFile.Discard(_temporaryPath);
            throw new ExternalToolException(Ffmpeg.Missing(_formatName).Message, e);
        }
        catch
        {
            PendingOutputFile.Discard(_temporaryPath);
            throw;
        }
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        _stdin = _process.StandardInput.BaseStream;
    }

    public override string OutputPath => _path;

    // The renderer reuses its buffer, so the frame is copied; ffmpeg converts to YUV itself.
    public override byte[] Encode(int index, byte[] rgba) => (byte[])rgba.Clone();

    public override void Write(int index, byte[] encoded)
    {
        try
        {
            _stdin.Write(encoded);
        }
        catch (IOException e)
        {
            _process.WaitForExit(5000);
            throw new ExternalToolException($"ffmpeg stopped while writing {_formatName} frame {index}: {Tail()}", e);
        }
    }

    public override void Complete()
    {
        _stdin.Close();
        _process.WaitForExit();
        _completed = true;
        if (_process.ExitCode != 0)
        {
            PendingOutputFile.Discard(_temporaryPath);
            throw new ExternalToolException($"ffmpeg failed to write the {_formatName} '{_path}' (exit code {_process.ExitCode}): {Tail()}");
        }
        PendingOutputFile.Publish(_temporaryPath, _path);
    }

    private string Tail()
    {
        lock (_stderr)
        {
            var text = _stderr.ToString().Trim();
            return text.Length == 0 ? "(no message)" : text.Length > 2000 ? text[^2000..] : text;
        }
    }

    public override void Dispose()
    {
        if (!_completed)
        {
            try { _stdin.Dispose(); } catch (IOException) { }
            try { if (!_process.WaitForExit(2000)) _process.Kill(); } catch (InvalidOperationException) { }
            try { _process.WaitForExit(2000); } catch (InvalidOperationException) { }
            PendingOutputFile.Discard(_temporaryPath);
        }
        _process.Dispose();
    }
}

/// <summary>Finds ffmpeg and explains what to do when it is missing.</summary>
public static class Ffmpeg
{
    /// <summary>Path of the ffmpeg executable: <c>NEUROCORE_FFMPEG</c>, else the first <c>ffmpeg</c> on PATH, else null.</summary>
    public static string? Find()
    {
        var explicitPath = Environment.GetEnvironmentVariable("NEUROCORE_FFMPEG");
        if (!string.IsNullOrEmpty(explicitPath)) return File.Exists(explicitPath) ? explicitPath : null;
        string exe = OperatingSystem.IsWindows() ? "ffmpeg.exe" : "ffmpeg";
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var candidate = Path.Combine(dir, exe);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>True when ffmpeg was found.</summary>
    public static bool IsAvailable => Find() is not null;

    internal static ExternalToolException Missing(string formatName) => new(
        $"{formatName} output needs ffmpeg, which was not found on PATH (or at NEUROCORE_FFMPEG). " +
        "Install it with `sudo apt-get install ffmpeg` (Debian/Ubuntu; `brew install ffmpeg` on macOS, `winget install ffmpeg` on Windows), " +
        "or choose a format that needs no external tool: .png (animated PNG), .webp (animated WebP) or FOLDER/ (PNG frames).");
}
