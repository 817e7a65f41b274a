namespace NeuroCore.Visualization.Encoding;

/// <summary>Formats a timelapse can be written in.</summary>
public enum OutputFormat
{
    /// <summary>A folder of numbered PNG frames (<c>frame_00000.png</c>, …). Needs no external tool.</summary>
    PngFrames,

    /// <summary>Animated PNG written by NeuroCore itself. Needs no external tool.</summary>
    AnimatedPng,

    /// <summary>Animated WebP: frames encoded by SkiaSharp, animation container written by NeuroCore. Needs no external tool.</summary>
    AnimatedWebp,

    /// <summary>H.264 (libx264, yuv420p, faststart) MP4 through ffmpeg.</summary>
    Mp4,

    /// <summary>VP9 WebM through ffmpeg.</summary>
    WebM,
}

/// <summary>Chooses the output format from a path.</summary>
public static class OutputFormats
{
    /// <summary>
    /// The format for <paramref name="path"/>: a trailing directory separator or an existing directory means
    /// PNG frames; otherwise the extension decides (<c>.mp4</c>, <c>.webm</c>, <c>.png</c>/<c>.apng</c>, <c>.webp</c>).
    /// </summary>
    /// <exception cref="ArgumentException">Empty path or unsupported extension.</exception>
    public static OutputFormat FromPath(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("Output path is empty.", nameof(path));
        if (path.EndsWith('/') || path.EndsWith(Path.DirectorySeparatorChar) || Directory.Exists(path)) return OutputFormat.PngFrames;
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".mp4" => OutputFormat.Mp4,
            ".webm" => OutputFormat.WebM,
            ".png" or ".apng" => OutputFormat.AnimatedPng,
            ".webp" => OutputFormat.AnimatedWebp,
            "" => throw new ArgumentException(
                $"Output '{path}' has no extension: use .mp4, .webm, .png (animated PNG), .webp (animated WebP), or end the path with '/' for a folder of PNG frames.", nameof(path)),
            _ => throw new ArgumentException(
                $"Unsupported output extension '{ext}' in '{path}': use .mp4, .webm, .png (animated PNG), .webp (animated WebP), or end the path with '/' for a folder of PNG frames.", nameof(path)),
        };
    }

    /// <summary>True when <paramref name="format"/> is written through ffmpeg.</summary>
    public static bool NeedsFfmpeg(OutputFormat format) => format is OutputFormat.Mp4 or OutputFormat.WebM;
}

/// <summary>An external tool (ffmpeg) is missing or failed; the message says how to install it and what works without it.</summary>
public sealed class ExternalToolException : Exception
{
    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ExternalToolException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and the underlying cause.</summary>
    public ExternalToolException(string message, Exception inner) : base(message, inner) { }
}
