using System.Text.RegularExpressions;

namespace NeuroCore.Service.Storage;

/// <summary>Run and job ids: short, URL- and file-name-safe, never a path.</summary>
public static partial class RunIds
{
    /// <summary>True for 1–64 characters of letters, digits, '-' and '_' that start with a letter or digit.</summary>
    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>A new random id with <paramref name="prefix"/> (e.g. <c>r-3f9a0c1b2d4e</c>).</summary>
    public static string New(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..12];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex Pattern();
}
