using System.Diagnostics;
using System.Text.Json;

namespace NeuroCore.Service.Tests.Infrastructure;

/// <summary>The Khronos glTF validator of tests/js (npm ci there).</summary>
public static class GltfValidator
{
    private static string Dir => Path.Combine(RepoPaths.Root, "tests", "js");

    /// <summary>Skips (or fails under NEUROCORE_REQUIRE_TOOLS=1) without node and the validator package.</summary>
    public static void Require() =>
        ExternalTools.Require(ExternalTools.FindOnPath("node") is not null && File.Exists(Path.Combine(Dir, "node_modules", "gltf-validator", "package.json")),
            "node with the npm package gltf-validator (tests/js)", "apt-get install nodejs npm && (cd tests/js && npm ci)");

    /// <summary>The validator's report of <paramref name="file"/> (errors, warnings, messages).</summary>
    public static JsonElement Validate(string file)
    {
        var info = new ProcessStartInfo(ExternalTools.FindOnPath("node")!) { WorkingDirectory = Dir, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("validate.mjs");
        info.ArgumentList.Add(file);
        using var p = Process.Start(info)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(true); Assert.Fail("the glTF validator did not finish in 2 minutes"); }
        Assert.True(o.Result.Trim().Length > 0, $"validate.mjs printed nothing: {e.Result}");
        return JsonDocument.Parse(o.Result.Trim().Split('\n')[^1]).RootElement;
    }
}
