namespace NeuroCore.Cli;

/// <summary>
/// One <c>neurocore</c> command. To add a command, subclass this in <c>Commands/</c> and add one line to
/// <see cref="CliApp.Commands"/>; parsing, <c>--help</c>, error reporting and exit codes come for free.
/// </summary>
public abstract class CliCommand
{
    /// <summary>The command's words as typed after <c>neurocore</c>, e.g. <c>train</c> or <c>export gltf</c>.</summary>
    public abstract string Name { get; }

    /// <summary>A one-line description shown in <c>neurocore --help</c>.</summary>
    public abstract string Summary { get; }

    /// <summary>Further help text (paragraphs, examples) shown after the options in <c>--help</c>; may be empty.</summary>
    public virtual string Details => "";

    /// <summary>The positional arguments, in order.</summary>
    public virtual IReadOnlyList<CliArgument> Arguments => [];

    /// <summary>The options the command accepts (<c>--help</c> is added automatically).</summary>
    public virtual IReadOnlyList<CliOption> Options => [];

    /// <summary>
    /// Runs the command with parsed arguments; returns the exit code (0 on success). Throw
    /// <see cref="CliUsageException"/> for bad arguments and <see cref="CliException"/> (or any exception with a clear
    /// message) for failures: <see cref="CliApp"/> turns them into one line on stderr and a non-zero exit code.
    /// </summary>
    public abstract int Execute(CliContext context, CliArguments arguments);
}

/// <summary>A named option such as <c>--epochs 20</c> or the flag <c>--force</c>.</summary>
/// <param name="Name">The long name with dashes, e.g. <c>--epochs</c>.</param>
/// <param name="Alias">A short alias such as <c>-o</c>, or null.</param>
/// <param name="ValueName">The value's placeholder in help (<c>N</c>, <c>DIR</c>); null for a flag that takes no value.</param>
/// <param name="Description">One line of help (mention the default here).</param>
public sealed record CliOption(string Name, string? Alias, string? ValueName, string Description)
{
    /// <summary>True for a flag (no value).</summary>
    public bool IsFlag => ValueName is null;

    /// <summary>An option that takes a value.</summary>
    public static CliOption Value(string name, string valueName, string description, string? alias = null) => new(name, alias, valueName, description);

    /// <summary>A flag that takes no value.</summary>
    public static CliOption Flag(string name, string description, string? alias = null) => new(name, alias, null, description);
}

/// <summary>A positional argument.</summary>
/// <param name="Name">Its placeholder in help, e.g. <c>RUN</c>.</param>
/// <param name="Description">One line of help.</param>
/// <param name="Required">False when it may be omitted (only trailing arguments may be optional).</param>
public sealed record CliArgument(string Name, string Description, bool Required = true);

/// <summary>A failure the user can act on; <see cref="CliApp"/> prints the message as one line and exits with 1.</summary>
public class CliException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public CliException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>Bad command-line arguments; <see cref="CliApp"/> prints the message as one line and exits with 2.</summary>
public sealed class CliUsageException : CliException
{
    /// <summary>Creates the exception with a one-line message naming the argument and the problem.</summary>
    public CliUsageException(string message) : base(message) { }
}

/// <summary>Where a command writes and what it knows about the terminal.</summary>
public sealed class CliContext
{
    /// <summary>Creates a context.</summary>
    public CliContext(TextWriter output, TextWriter error, bool isInteractive, CancellationToken cancellation = default)
    {
        Out = output;
        Error = error;
        IsInteractive = isInteractive;
        Cancellation = cancellation;
    }

    /// <summary>Standard output: results (tables, paths).</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: progress and diagnostics.</summary>
    public TextWriter Error { get; }

    /// <summary>True when stderr is a terminal (progress bars redraw in place); false when redirected (plain lines).</summary>
    public bool IsInteractive { get; }

    /// <summary>Signalled when the user presses Ctrl+C; long commands should stop cleanly.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>A progress bar on <see cref="Error"/> for <paramref name="total"/> units of work.</summary>
    public ProgressBar CreateProgressBar(long total, string label) => new(Error, IsInteractive, total, label);
}
