namespace NeuroCore.Visualization.Encoding;

/// <summary>
/// Receives rendered frames. <see cref="Encode"/> runs on worker threads (compress a frame while others
/// render); <see cref="Write"/> is called in frame order on one thread with what Encode returned.
/// </summary>
internal abstract class FrameSink : IDisposable
{
    /// <summary>The file or folder being written.</summary>
    public abstract string OutputPath { get; }

    /// <summary>Encodes frame <paramref name="index"/> (RGBA8888, opaque); the buffer is reused after the call.</summary>
    public abstract byte[] Encode(int index, byte[] rgba);

    /// <summary>Appends an encoded frame; called in order.</summary>
    public abstract void Write(int index, byte[] encoded);

    /// <summary>Finishes the output (trailers, waiting for an encoder process).</summary>
    public abstract void Complete();

    /// <summary>Releases the output; without <see cref="Complete"/> an output file is discarded (an existing one is left as it was).</summary>
    public virtual void Dispose() { }
}

/// <summary>Creates the sink for an output format.</summary>
internal static class FrameSinks
{
    public static FrameSink Create(OutputFormat format, string path, int width, int height, double fps, int frames) => format switch
    {
        OutputFormat.PngFrames => new PngFramesSink(path, width, height),
        OutputFormat.AnimatedPng => new ApngWriter(path, width, height, fps, frames),
        OutputFormat.AnimatedWebp => new WebpAnimationWriter(path, width, height, fps),
        OutputFormat.Mp4 or OutputFormat.WebM => new FfmpegSink(format, path, width, height, fps, Ffmpeg.Find()),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
