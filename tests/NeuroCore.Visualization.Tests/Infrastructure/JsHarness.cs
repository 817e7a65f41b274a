using System.Diagnostics;
using System.Text.Json;

namespace NeuroCore.Visualization.Tests.Infrastructure;

/// <summary>
/// Runs the node scripts of tests/js (Khronos glTF validator, three.js viewer in headless Chromium).
/// Tests call <see cref="RequireValidator"/> / <see cref="RequireViewer"/> first: they skip when node
/// or the npm packages are missing, and fail under NEUROCORE_REQUIRE_TOOLS=1.
/// </summary>
internal static class JsHarness
{
    public static string Dir => Path.Combine(RepoPaths.Root, "tests", "js");

    private static string? Node => ExternalTools.FindOnPath("node");

    private static bool HasPackage(string name) => File.Exists(Path.Combine(Dir, "node_modules", name, "package.json"));

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    public static void RequireValidator() =>
        ExternalTools.Require(Node is not null && HasPackage("gltf-validator"), "node with the npm package gltf-validator (tests/js)",
            "apt-get install nodejs npm && (cd tests/js && npm ci)");

    public static void RequireViewer() =>
        ExternalTools.Require(Node is not null && HasPackage("playwright-core") && HasPackage("three") && File.Exists(ChromiumPath),
            "node with playwright-core and three (tests/js) and Chromium", "apt-get install nodejs npm chromium && (cd tests/js && npm ci)");

    /// <summary>Validates files; returns one report per file.</summary>
    public static IReadOnlyList<JsonElement> Validate(params string[] files)
    {
        var (code, stdout, stderr) = Run(["validate.mjs", .. files], TimeSpan.FromMinutes(3));
        var reports = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.True(reports.Count == files.Length, $"validate.mjs exited {code} with {reports.Count} reports for {files.Length} files: {stderr}");
        return reports;
    }

    /// <summary>Loads a file in the three.js viewer; <paramref name="time"/> sets the animation time.</summary>
    public static JsonElement View(string file, double? time = null)
    {
        string[] args = time is { } t ? ["view.mjs", file, "--time", t.ToString(System.Globalization.CultureInfo.InvariantCulture)] : ["view.mjs", file];
        var (code, stdout, stderr) = Run([.. args, "--chromium", ChromiumPath], TimeSpan.FromMinutes(3));
        Assert.True(code == 0, $"view.mjs exited {code}: {stderr}");
        return JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
    }

    private static (int Code, string Stdout, string Stderr) Run(string[] args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(Node!) { WorkingDirectory = Dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"node {string.Join(' ', args)} did not finish within {timeout}.");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>A fresh temporary folder per test, deleted afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "neurocore-gltf-" + Guid.NewGuid().ToString("N")[..12]);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
