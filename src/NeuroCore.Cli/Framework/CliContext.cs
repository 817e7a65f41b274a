using System.CommandLine;
using System.Runtime.CompilerServices;

namespace NeuroCore.Cli;

/// <summary>Where a command writes, what it knows about the terminal, and its Ctrl+C token.</summary>
public sealed class CliContext
{
    private static readonly ConditionalWeakTable<InvocationConfiguration, CliContext> ByInvocation = new();

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

    /// <summary>
    /// The context of the invocation that produced <paramref name="parseResult"/>: the one <see cref="CliApp.Run(IReadOnlyList{string}, TextWriter, TextWriter, bool, CancellationToken)"/>
    /// set up, or (for a command invoked on its own) the parse result's writers, non-interactive, without cancellation.
    /// </summary>
    public static CliContext For(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var invocation = parseResult.InvocationConfiguration;
        return ByInvocation.TryGetValue(invocation, out var context) ? context : new CliContext(invocation.Output, invocation.Error, false);
    }

    internal void Attach(InvocationConfiguration invocation) => ByInvocation.AddOrUpdate(invocation, this);

    /// <summary>Runs <paramref name="work"/> with a progress display on <see cref="Error"/> for <paramref name="total"/> units.</summary>
    public T WithProgress<T>(long total, string label, Func<CliProgress, T> work) => CliProgress.Run(this, total, label, work);
}
