using System.Diagnostics;
using System.Globalization;
using System.Text;
using NeuroCore.Visualization.Encoding;

namespace NeuroCore.Service.Jobs;

/// <summary>
/// Encodes frame ranges as self-contained segments and joins them without re-encoding. Every segment is encoded with
/// the same settings and starts on a key frame with a closed GOP (no frame refers across a segment boundary), so the
/// ffmpeg concat demuxer can copy the packets of all segments, in order, into one file.
/// </summary>
public static class VideoSegments
{
    /// <summary>The encoder arguments of every segment of a <paramref name="format"/> video (identical for all segments).</summary>
    public static IReadOnlyList<string> EncoderArguments(string format, int gop) => format == "mp4"
        ? ["-c:v", "libx264", "-preset", "medium", "-crf", "20", "-pix_fmt", "yuv420p", "-g", gop.ToString(CultureInfo.InvariantCulture),
           "-flags", "+cgop", "-x264-params", "open-gop=0:scenecut=0", "-bf", "0"]
        : ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "32", "-pix_fmt", "yuv420p", "-deadline", "good", "-cpu-used", "4", "-row-mt", "1",
           "-g", gop.ToString(CultureInfo.InvariantCulture), "-auto-alt-ref", "0", "-lag-in-frames", "0"];

    /// <summary>Starts ffmpeg reading raw RGBA frames on stdin and writing one segment to <paramref name="output"/>.</summary>
    public static FfmpegPipe Start(string format, string output, int width, int height, double fps, int frames)
    {
        var ffmpeg = Ffmpeg.Find() ?? throw new ExternalToolException("ffmpeg is not installed; MP4 and WebM renders need it (apt-get install ffmpeg).");
        var args = new List<string>
        {
            "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgba", "-s", $"{width}x{height}",
            "-framerate", fps.ToString(CultureInfo.InvariantCulture), "-i", "-", "-an",
        };
        args.AddRange(EncoderArguments(format, Math.Max(1, frames)));
        args.AddRange(["-f", format == "mp4" ? "mp4" : "webm", output]);
        return new FfmpegPipe(ffmpeg, args);
    }

    /// <summary>Joins <paramref name="segments"/> (in order) into <paramref name="output"/> with the concat demuxer, copying packets.</summary>
    public static void Stitch(IReadOnlyList<string> segments, string format, string output, string listFile)
    {
        var ffmpeg = Ffmpeg.Find() ?? throw new ExternalToolException("ffmpeg is not installed; it is needed to join video segments.");
        var list = new StringBuilder();
        foreach (var s in segments) list.Append("file '").Append(s.Replace("'", "'\\''")).Append("'\n");
        File.WriteAllText(listFile, list.ToString());
        var args = new List<string> { "-hide_banner", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0", "-i", listFile, "-c", "copy" };
        if (format == "mp4") args.AddRange(["-movflags", "+faststart"]);
        args.AddRange(["-f", format == "mp4" ? "mp4" : "webm", output]);
        using var pipe = new FfmpegPipe(ffmpeg, args, stdin: false);
        pipe.Complete();
    }
}

/// <summary>One ffmpeg process: frames written to stdin, errors collected from stderr.</summary>
public sealed class FfmpegPipe : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    internal FfmpegPipe(string ffmpeg, IEnumerable<string> args, bool stdin = true)
    {
        var info = new ProcessStartInfo(ffmpeg) { RedirectStandardInput = stdin, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        _process = Process.Start(info) ?? throw new ExternalToolException("ffmpeg did not start.");
        // The encoder yields to the API: status requests stay fast while videos encode.
        try { _process.PriorityClass = ProcessPriorityClass.BelowNormal; }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or PlatformNotSupportedException) { }
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    /// <summary>Writes one RGBA frame.</summary>
    public void Write(byte[] rgba)
    {
        try { _process.StandardInput.BaseStream.Write(rgba); }
        catch (IOException e) { _process.WaitForExit(5000); throw new ExternalToolException($"ffmpeg stopped: {Tail()}", e); }
    }

    /// <summary>Closes stdin and waits for ffmpeg; throws when it failed.</summary>
    public void Complete()
    {
        if (_process.StartInfo.RedirectStandardInput) _process.StandardInput.Close();
        _process.WaitForExit();
        if (_process.ExitCode != 0) throw new ExternalToolException($"ffmpeg failed (exit {_process.ExitCode}): {Tail()}");
    }

    private string Tail() { lock (_stderr) return _stderr.ToString().Trim(); }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited) { try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }
        _process.Dispose();
    }
}
