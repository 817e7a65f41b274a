using System.Buffers.Binary;
using NeuroCore.Cli;

namespace NeuroCore.Cli.Tests.Infrastructure;

/// <summary>Runs the CLI in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Err)
    {
        public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Result Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, o, e, interactive: false);
        return new Result(code, o.ToString(), e.ToString().Replace("\r", ""));
    }

    /// <summary>A short recorded spiral run made by <c>neurocore train</c> (steps 0–20 under the default schedule).</summary>
    public static string TrainSmallRun(TempFolder tmp, string name = "run")
    {
        string run = tmp.Sub(name);
        var r = Run("train", "--dataset", "spiral", "--samples", "60", "--layers", "8", "--epochs", "10", "--batch-size", "30", "--probe", "4", "-o", run);
        Assert.True(r.ExitCode == 0, r.Err);
        return run;
    }
}

internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "neurocore-cli-" + Guid.NewGuid().ToString("N")[..12]);
    public string Sub(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Walks the chunks of a PNG file (enough to read an APNG's <c>acTL</c> frame count).</summary>
internal static class Png
{
    public static List<(string Type, byte[] Data)> Chunks(byte[] file)
    {
        Assert.True(file.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        var chunks = new List<(string, byte[])>();
        for (int pos = 8; pos + 12 <= file.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos));
            chunks.Add((System.Text.Encoding.ASCII.GetString(file, pos + 4, 4), file.AsSpan(pos + 8, length).ToArray()));
            pos += 12 + length;
        }
        return chunks;
    }

    public static int FrameCount(string path) =>
        BinaryPrimitives.ReadInt32BigEndian(Chunks(File.ReadAllBytes(path)).Single(c => c.Type == "acTL").Data);
}

/// <summary>ffprobe's view of a video's first stream.</summary>
internal static class Ffprobe
{
    public static System.Text.Json.JsonElement Video(string ffprobe, string path)
    {
        var info = new System.Diagnostics.ProcessStartInfo(ffprobe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
                     "stream=codec_name,width,height,pix_fmt,nb_read_frames:format=format_name", "-of", "json", path })
            info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        var json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ffprobe failed on {path}: {process.StandardError.ReadToEnd()}");
        return System.Text.Json.JsonDocument.Parse(json).RootElement;
    }
}
