using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace NeuroCore.Service.Tests.Infrastructure;

/// <summary>ffprobe/ffmpeg checks of downloaded videos and polling of jobs.</summary>
public static class Media
{
    /// <summary>Skips (or fails under NEUROCORE_REQUIRE_TOOLS=1) without ffmpeg and ffprobe.</summary>
    public static void RequireFfmpeg() =>
        ExternalTools.Require(ExternalTools.FindOnPath("ffmpeg") is not null && ExternalTools.FindOnPath("ffprobe") is not null, "ffmpeg/ffprobe", "apt-get install ffmpeg");

    /// <summary>Decoded frame count, codec, width and height of the first video stream.</summary>
    public static (int Frames, string Codec, int Width, int Height) Probe(string file)
    {
        var o = Run("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames,codec_name,width,height", "-of", "json", file);
        var s = JsonDocument.Parse(o).RootElement.GetProperty("streams")[0];
        return (int.Parse(s.GetProperty("nb_read_frames").GetString()!), s.GetProperty("codec_name").GetString()!, s.GetProperty("width").GetInt32(), s.GetProperty("height").GetInt32());
    }

    /// <summary>Every frame decoded to 16×16 grey pixels, in order.</summary>
    public static List<byte[]> Thumbnails(string file)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-v", "error", "-i", file, "-vf", "scale=16:16", "-pix_fmt", "gray", "-f", "rawvideo", "-" }) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        var all = ms.ToArray();
        return [.. Enumerable.Range(0, all.Length / 256).Select(i => all.AsSpan(i * 256, 256).ToArray())];
    }

    /// <summary>Mean absolute difference of two thumbnails (0..255).</summary>
    public static double Difference(byte[] a, byte[] b) => a.Zip(b).Average(t => Math.Abs(t.First - t.Second));

    private static string Run(string exe, params string[] args)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var o = p.StandardOutput.ReadToEnd();
        var e = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{exe} failed: {e}");
        return o;
    }

    /// <summary>Polls a job until it is final or <paramref name="timeout"/> passes; returns the last status.</summary>
    public static async Task<JsonElement> WaitForJobAsync(HttpClient client, string location, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        JsonElement status = default;
        while (DateTime.UtcNow < until)
        {
            status = await client.GetFromJsonAsync<JsonElement>(location);
            if (status.GetProperty("state").GetString() is "succeeded" or "failed" or "canceled") return status;
            await Task.Delay(200);
        }
        Assert.Fail($"job {location} did not end within {timeout}: {status}");
        return status;
    }
}
