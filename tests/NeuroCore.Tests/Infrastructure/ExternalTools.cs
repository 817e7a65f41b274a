namespace NeuroCore.Tests.Infrastructure;

/// <summary>
/// Tests that need an external tool or data package call <see cref="Require"/>: when it is missing
/// the test is skipped with the reason, unless NEUROCORE_REQUIRE_TOOLS=1, where it fails instead.
/// </summary>
public static class ExternalTools
{
    /// <summary>True when NEUROCORE_REQUIRE_TOOLS=1 (CI): missing tools are failures, not skips.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("NEUROCORE_REQUIRE_TOOLS") == "1";

    /// <summary>Skips (or fails under NEUROCORE_REQUIRE_TOOLS=1) unless <paramref name="available"/>.</summary>
    public static void Require(bool available, string what, string howToInstall)
    {
        if (available) return;
        var message = $"{what} is not available; install it with: {howToInstall}";
        if (Required) Assert.Fail(message + " (NEUROCORE_REQUIRE_TOOLS=1 makes this a failure)");
        Assert.Skip(message);
    }

    /// <summary>
    /// Skips (or fails under NEUROCORE_REQUIRE_TOOLS=1) when a tool is present but does not work: <paramref name="problem"/>
    /// is null when a real probe of the tool succeeded, else the reason (e.g. "python3-numpy missing").
    /// </summary>
    public static void RequireWorking(string? problem, string howToFix)
    {
        if (problem is null) return;
        var message = $"{problem}; fix it with: {howToFix}";
        if (Required) Assert.Fail(message + " (NEUROCORE_REQUIRE_TOOLS=1 makes this a failure)");
        Assert.Skip(message);
    }

    /// <summary>Finds an executable on PATH, or null.</summary>
    public static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
