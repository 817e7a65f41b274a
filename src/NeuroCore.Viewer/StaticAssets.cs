using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace NeuroCore.Viewer;

/// <summary>The pages, scripts and the vendored three.js, served from the assembly's embedded resources.</summary>
internal static class StaticAssets
{
    private static readonly Assembly Assembly = typeof(StaticAssets).Assembly;
    private static readonly HashSet<string> Names = Assembly.GetManifestResourceNames().ToHashSet(StringComparer.Ordinal);

    /// <summary>True when an asset exists at <paramref name="path"/> (relative to wwwroot, '/'-separated).</summary>
    public static bool Exists(string path) => Names.Contains("wwwroot/" + path);

    /// <summary>Answers with the asset at <paramref name="path"/>, or 404.</summary>
    public static IResult Serve(string path)
    {
        if (path.Contains("..", StringComparison.Ordinal) || !Exists(path)) return Results.NotFound();
        var stream = Assembly.GetManifestResourceStream("wwwroot/" + path)!;
        return Results.Stream(stream, ContentType(path));
    }

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".png" => "image/png",
        ".svg" => "image/svg+xml",
        _ => path.EndsWith("LICENSE", StringComparison.Ordinal) || path.EndsWith("VERSION", StringComparison.Ordinal) ? "text/plain; charset=utf-8" : "application/octet-stream",
    };
}
