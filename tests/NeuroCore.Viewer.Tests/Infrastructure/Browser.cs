using System.Diagnostics;
using System.Text.Json;

namespace NeuroCore.Viewer.Tests.Infrastructure;

/// <summary>
/// Drives Debian's Chromium through playwright-core (tests/js/viewer-e2e.mjs, one scenario per call).
/// Skips when node, the npm packages or Chromium are missing (fails under NEUROCORE_REQUIRE_TOOLS=1).
/// </summary>
internal static class Browser
{
    public static string JsDir => Path.Combine(RepoPaths.Root, "tests", "js");

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    /// <summary>Where screenshots for docs/viewer.md go.</summary>
    public static string ImagesDir => Path.Combine(RepoPaths.Root, "docs", "images");

    public static void Require() =>
        ExternalTools.Require(ExternalTools.FindOnPath("node") is not null && File.Exists(Path.Combine(JsDir, "node_modules", "playwright-core", "package.json"))
                              && File.Exists(ChromiumPath),
            "node with playwright-core (tests/js) and Chromium", "apt-get install nodejs npm chromium && (cd tests/js && npm ci)");

    /// <summary>Runs a scenario; <paramref name="onLine"/> sees every JSON line the script prints before the last (its result).</summary>
    public static JsonElement Run(string scenario, IReadOnlyDictionary<string, string> args, TimeSpan timeout, Action<JsonElement>? onLine = null)
    {
        var psi = new ProcessStartInfo("node") { WorkingDirectory = JsDir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("viewer-e2e.mjs");
        psi.ArgumentList.Add(scenario);
        foreach (var (k, v) in args) { psi.ArgumentList.Add("--" + k); psi.ArgumentList.Add(v); }
        psi.ArgumentList.Add("--chromium"); psi.ArgumentList.Add(ChromiumPath);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        JsonElement? last = null;
        var reader = Task.Run(() =>
        {
            string? line;
            while ((line = p.StandardOutput.ReadLine()) is not null)
            {
                if (!line.StartsWith('{')) continue;
                var json = JsonDocument.Parse(line).RootElement;
                if (json.TryGetProperty("event", out _)) onLine?.Invoke(json);
                else last = json;
            }
        });
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"viewer-e2e.mjs {scenario} did not finish within {timeout}: {stderr.Result}");
        }
        reader.Wait(TimeSpan.FromSeconds(10));
        Assert.True(p.ExitCode == 0 && last is not null, $"viewer-e2e.mjs {scenario} exited {p.ExitCode}: {stderr.Result}");
        var result = last!.Value;
        // No browser console errors in any scenario.
        var errors = result.GetProperty("consoleErrors").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.True(errors.Count == 0, "browser console errors: " + string.Join(" | ", errors));
        return result;
    }
}
