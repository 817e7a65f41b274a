using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Visualization.Tests.Encoding;

/// <summary>Independent readers of the files we write: a chunk walker, ffprobe, and Chromium's decoder.</summary>
internal static class MediaProbe
{
    public static List<(string Type, byte[] Data)> PngChunks(byte[] file)
    {
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(file.AsSpan(0, 8).SequenceEqual(signature), "PNG signature");
        var chunks = new List<(string, byte[])>();
        int pos = 8;
        while (pos < file.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(file, pos + 4, 4);
            var data = file.AsSpan(pos + 8, length).ToArray();
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(pos + 8 + length));
            // Reference CRC-32 computed bit by bit, independent of the writer's table.
            uint c = 0xFFFFFFFF;
            foreach (var b in file.AsSpan(pos + 4, 4 + length))
            {
                c ^= b;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320 : c >> 1;
            }
            Assert.True(~c == crc, $"CRC of chunk {type} at offset {pos}");
            chunks.Add((type, data));
            pos += 12 + length;
        }
        return chunks;
    }

    public static string? Chromium()
    {
        foreach (var p in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" })
            if (File.Exists(p)) return p;
        return ExternalTools.FindOnPath("chromium");
    }

    /// <summary>Decodes an image in headless Chromium with WebCodecs' ImageDecoder: returns "frames WxH last:W" or an error text.</summary>
    /// <remarks>
    /// --dump-dom can fire before the asynchronous decode has finished (virtual time does not wait for
    /// decoder threads), which shows as "pending" on a loaded machine; that is retried, a decode error is not.
    /// </remarks>
    public static string ChromiumDecode(string chromium, string imagePath, string mime)
    {
        string result = "pending";
        for (int attempt = 0; attempt < 5 && result == "pending"; attempt++) result = ChromiumDecodeOnce(chromium, imagePath, mime);
        return result;
    }

    private static string ChromiumDecodeOnce(string chromium, string imagePath, string mime)
    {
        var dir = Directory.CreateTempSubdirectory("nc-chromium-");
        try
        {
            var dataUrl = $"data:{mime};base64,{Convert.ToBase64String(File.ReadAllBytes(imagePath))}";
            var html = Path.Combine(dir.FullName, "decode.html");
            File.WriteAllText(html, $$"""
                <!doctype html><html><body><pre id="result">pending</pre><script>
                (async () => {
                  const out = document.getElementById('result');
                  try {
                    const blob = await (await fetch('{{dataUrl}}')).blob();
                    const img = new Image();
                    img.src = URL.createObjectURL(blob);
                    await img.decode();
                    // Whole buffer, and wait for 'completed': with a stream, frameCount can be read before all frames arrived.
                    const decoder = new ImageDecoder({ data: await blob.arrayBuffer(), type: '{{mime}}' });
                    await decoder.completed;
                    await decoder.tracks.ready;
                    const frames = decoder.tracks.selectedTrack.frameCount;
                    const last = await decoder.decode({ frameIndex: frames - 1 });
                    out.textContent = frames + ' ' + img.naturalWidth + 'x' + img.naturalHeight + ' last:' + last.image.displayWidth;
                  } catch (e) { out.textContent = 'error ' + e; }
                })();
                </script></body></html>
                """);
            var info = new ProcessStartInfo(chromium)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                         $"--user-data-dir={Path.Combine(dir.FullName, "profile")}", "--virtual-time-budget=20000", "--dump-dom", new Uri(html).AbsoluteUri })
                info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(90_000)) { process.Kill(true); return "error: chromium timed out"; }
            var dom = stdout.Result;
            int start = dom.IndexOf("<pre id=\"result\">", StringComparison.Ordinal);
            if (start < 0) return "error: no result in DOM: " + dom[..Math.Min(300, dom.Length)];
            start += "<pre id=\"result\">".Length;
            return dom[start..dom.IndexOf("</pre>", start, StringComparison.Ordinal)];
        }
        finally
        {
            try { dir.Delete(true); } catch (IOException) { }
        }
    }

    public static JsonElement FfprobeVideo(string ffprobe, string path)
    {
        var info = new ProcessStartInfo(ffprobe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
                     "stream=codec_name,width,height,pix_fmt,nb_read_frames:format=format_name", "-of", "json", path })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ffprobe failed on {path}: {process.StandardError.ReadToEnd()}");
        return JsonDocument.Parse(json).RootElement;
    }
}
