namespace NeuroCore.Tests.Infrastructure;

/// <summary>Locates the repository root and the shared conformance folder from the test's working directory.</summary>
public static class RepoPaths
{
    /// <summary>The repository root (the folder holding NeuroCore.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The conformance folder: NEUROCORE_CONFORMANCE_DIR, else ../shared/conformance from the root.</summary>
    public static string ConformanceDir
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("NEUROCORE_CONFORMANCE_DIR");
            return string.IsNullOrEmpty(env) ? Path.GetFullPath(Path.Combine(Root, "..", "shared", "conformance")) : Path.GetFullPath(env);
        }
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NeuroCore.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find NeuroCore.sln above " + AppContext.BaseDirectory);
    }
}
