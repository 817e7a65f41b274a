using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using NeuroCore.Cli.Commands;

namespace NeuroCore.Cli;

/// <summary>
/// Entry point of the <c>neurocore</c> command, on System.CommandLine: builds the command tree, parses,
/// prints help, and turns every failure into one line on stderr with a non-zero exit code (never a stack
/// trace, unless <c>NEUROCORE_DEBUG=1</c>).
/// </summary>
/// <remarks>Exit codes: 0 success, 1 failure, 2 bad arguments, 130 interrupted (Ctrl+C).</remarks>
public static class CliApp
{
    /// <summary>The program name used in help and error messages.</summary>
    public const string ProgramName = "neurocore";

    /// <summary>Exit code of bad arguments (unknown option, bad value, missing argument).</summary>
    public const int UsageError = 2;

    /// <summary>
    /// The command tree. Every command, in the order help lists them: adding a command is one line here
    /// (<c>XCommand.Create()</c>); a subcommand of <c>export</c> is one line in <see cref="ExportCommand.Create"/>.
    /// </summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("neurocore — train neural networks, record training snapshots, and turn them into glTF scenes and videos.")
        {
            TrainCommand.Create(),
            InspectCommand.Create(),
            ExportCommand.Create(),
            RenderCommand.Create(),
            DemoCommand.Create(),
            ExplainCommand.Create(),
            ServeCommand.Create(),
            WorkerCommand.Create(),
            EmbedCommand.Create(),
            Word2VecCommand.Create(),
        };
        root.HelpName = ProgramName;
        CliHelp.Install(root);
        return root;
    }

    /// <summary>Runs the command line on the console; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        using var cts = new CancellationTokenSource();
        // First Ctrl+C asks the command to stop cleanly (a training run records its last snapshot);
        // a second one falls through to the default and ends the process.
        Console.CancelKeyPress += (_, e) =>
        {
            if (cts.IsCancellationRequested) return;
            e.Cancel = true;
            cts.Cancel();
        };
        bool interactive = !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";
        return Run(args, Console.Out, Console.Error, interactive, cts.Token);
    }

    /// <summary>Runs the command line with the given writers (used by tests); returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive = false, CancellationToken cancellation = default) =>
        Run(CreateRootCommand(), args, output, error, interactive, cancellation);

    /// <summary>Runs <paramref name="args"/> against <paramref name="root"/> with the error policy of <c>neurocore</c> (tests use their own roots).</summary>
    internal static int Run(RootCommand root, IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(args);
        // "neurocore help train" is "neurocore train --help".
        if (args.Count > 0 && args[0] == "help") args = [.. args.Skip(1), "--help"];
        if (args.Count == 0) args = ["--help"];
        var parseResult = root.Parse(args);
        string prefix = Prefix(parseResult);
        if (parseResult.Errors.Count > 0 && !CliHelp.IsHelp(parseResult.Action))
        {
            error.WriteLine($"{prefix}: {UsageMessage(parseResult, args)} (see '{prefix} --help')");
            return UsageError;
        }
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null, // Ctrl+C is ours: the first one stops cleanly (see Run(string[]))
        };
        new CliContext(output, error, interactive, cancellation).Attach(invocation);
        try
        {
            // InvokeAsync hands our Ctrl+C token to asynchronous actions (a server's graceful stop);
            // synchronous actions read it from CliContext.Cancellation.
            int code = parseResult.InvokeAsync(invocation, cancellation).GetAwaiter().GetResult();
            output.Flush();
            return code;
        }
        catch (CliUsageException e)
        {
            error.WriteLine($"{prefix}: {OneLine(e.Message)} (see '{prefix} --help')");
            return UsageError;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine($"{prefix}: interrupted.");
            return 130;
        }
        catch (Exception e)
        {
            if (Environment.GetEnvironmentVariable("NEUROCORE_DEBUG") == "1") error.WriteLine(e.ToString());
            error.WriteLine($"{prefix}: {Describe(e)}");
            return 1;
        }
    }

    /// <summary><c>neurocore</c> followed by the words of the command that was parsed (<c>neurocore export gltf</c>).</summary>
    private static string Prefix(ParseResult parseResult)
    {
        var words = new List<string>();
        for (SymbolResult? r = parseResult.CommandResult; r is CommandResult c && c.Parent is not null; r = c.Parent)
            words.Insert(0, c.Command.Name);
        return words.Count == 0 ? ProgramName : $"{ProgramName} {string.Join(' ', words)}";
    }

    /// <summary>The first parse error as one line, in the project's wording.</summary>
    private static string UsageMessage(ParseResult parseResult, IReadOnlyList<string> args)
    {
        var command = parseResult.CommandResult.Command;
        // "--flag=value": System.CommandLine splits it and reports the value as an extra argument.
        foreach (var arg in args)
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is > 2 and var eq
                && command.Options.FirstOrDefault(o => o.Name == arg[..eq]) is { Arity.MaximumNumberOfValues: 0 } flagOption)
                return $"{flagOption.Name} is a flag and takes no value (got '{arg}')";
        foreach (var option in command.Options)
            if (option.Required && parseResult.GetResult(option) is not { IdentifierTokenCount: > 0 })
                return $"missing {string.Join('/', option.Aliases.Order().Append(option.Name))} {option.HelpName ?? "VALUE"}";
        if (parseResult.UnmatchedTokens.Count > 0)
        {
            string token = parseResult.UnmatchedTokens[0];
            if (command is RootCommand || command.Subcommands.Count > 0 && command.Arguments.Count == 0 && !token.StartsWith('-'))
                return $"unknown command '{token}'. Commands: {string.Join(", ", command.Subcommands.Select(s => s.Name))}";
            if (token.StartsWith('-') && !double.TryParse(token, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                string name = token.Split('=')[0];
                var near = command.Options.Where(o => o is not HelpOption and not VersionOption).Select(o => o.Name)
                    .Where(n => Distance(n, name) <= 2).OrderBy(n => Distance(n, name)).FirstOrDefault();
                return $"unknown option '{name}'{(near is null ? "" : $"; did you mean '{near}'?")}";
            }
            return $"unexpected argument '{token}'";
        }
        var first = parseResult.Errors[0];
        if (first.SymbolResult is CommandResult { Command: var c } && c.Subcommands.Count > 0 && c.Action is null)
            return $"missing a command after '{c.Name}' ({string.Join(", ", c.Subcommands.Select(s => s.Name))})";
        if (first.SymbolResult is ArgumentResult { Argument: var a } && parseResult.GetResult(a) is { Tokens.Count: 0 })
            return $"missing {a.HelpName ?? a.Name}{(a.Description is null ? "" : $" ({a.Description})")}";
        if (first.SymbolResult is OptionResult { Option: var o } && first.SymbolResult.Tokens.Count == 0 && o.Arity.MinimumNumberOfValues > 0)
            return $"{o.Name} needs a value ({o.HelpName ?? "VALUE"})";
        return OneLine(first.Message);
    }

    /// <summary>The failure as one line: expected failures by their message, anything else with its type.</summary>
    private static string Describe(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        bool expected = e is CliException or IOException or UnauthorizedAccessException or KeyNotFoundException
            or ArgumentException or FormatException or InvalidDataException or System.Text.Json.JsonException;
        string message = OneLine(e is ArgumentException { ParamName: not null } ae ? ae.Message.Replace($" (Parameter '{ae.ParamName}')", "") : e.Message);
        return expected ? message : $"internal error ({e.GetType().Name}): {message} (set NEUROCORE_DEBUG=1 for details)";
    }

    internal static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Levenshtein distance, for "did you mean" hints.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
