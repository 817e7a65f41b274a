namespace NeuroCore.Cli;

/// <summary>
/// How the user started this program, so that the commands a command suggests ("inspect it with …") work
/// from where the user stands: <c>neurocore</c> when that is on PATH, else the tool's path, or
/// <c>dotnet run --project …/NeuroCore.Cli --</c> when running from the source tree.
/// </summary>
public static class Invocation
{
    private static readonly Lazy<string> Prefix = new(Detect);

    /// <summary>The text that starts a <c>neurocore</c> command line here (e.g. <c>neurocore</c> or <c>dotnet run --project src/NeuroCore.Cli --</c>).</summary>
    public static string Program => Prefix.Value;

    /// <summary>A command line for <paramref name="command"/> with <paramref name="arguments"/> (quoted when needed).</summary>
    public static string Command(string command, params string[] arguments) =>
        string.Join(' ', new[] { Program, command }.Concat(arguments.Select(Quote)));

    /// <summary>Quotes a shell word that holds spaces or quotes.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsLetterOrDigit(c) || "/._-+:=,@%".Contains(c)) ? word : "'" + word.Replace("'", "'\\''") + "'";

    private static string Detect()
    {
        string? process = Environment.ProcessPath;
        if (process is null) return CliApp.ProgramName;
        string name = Path.GetFileName(process);
        if (name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase)) name = name[..^4];
        if (name == CliApp.ProgramName)
            return OnPath(process) ? CliApp.ProgramName : Quote(Shorter(process));
        if (name == "NeuroCore.Cli" || name == "dotnet" && File.Exists(Path.Combine(AppContext.BaseDirectory, "NeuroCore.Cli.dll")) && Environment.GetCommandLineArgs().FirstOrDefault()?.EndsWith("NeuroCore.Cli.dll", StringComparison.Ordinal) == true)
        {
            // bin/<Configuration>/<framework>/ under the project folder: running from the source tree.
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent;
            var project = configuration?.Parent?.Parent;
            if (project is not null && File.Exists(Path.Combine(project.FullName, "NeuroCore.Cli.csproj")))
                return $"dotnet run{(configuration!.Name == "Debug" ? "" : $" -c {Quote(configuration.Name)}")} --project {Quote(Shorter(project.FullName))} --";
            return Quote(Shorter(process));
        }
        return CliApp.ProgramName; // hosted elsewhere (tests): the installed name
    }

    private static bool OnPath(string process)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(process)) ?? "";
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(p => string.Equals(Path.GetFullPath(p).TrimEnd(Path.DirectorySeparatorChar), dir.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal));
    }

    private static string Shorter(string path)
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.Length < path.Length ? relative : path;
    }
}
