using System.Text;
using NeuroCore.Cli.Commands;

namespace NeuroCore.Cli;

/// <summary>
/// Entry point of the <c>neurocore</c> command: finds the command, parses its arguments, prints help, and
/// turns every failure into one line on stderr with a non-zero exit code (never a stack trace, unless
/// <c>NEUROCORE_DEBUG=1</c>).
/// </summary>
/// <remarks>Exit codes: 0 success, 1 failure, 2 bad arguments, 130 interrupted (Ctrl+C).</remarks>
public static class CliApp
{
    /// <summary>The program name used in help and error messages.</summary>
    public const string ProgramName = "neurocore";

    /// <summary>Every command, in the order help lists them. Adding a command is one line here.</summary>
    public static IReadOnlyList<CliCommand> Commands { get; } =
    [
        new TrainCommand(),
        new InspectCommand(),
        new ExportGltfCommand(),
        new RenderCommand(),
        new DemoCommand(),
    ];

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
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive = false, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count > 0 && args[0] is "embed" or "word2vec") return new System.CommandLine.RootCommand { EmbedCommand.Create(), Word2VecCommand.Create() }.Parse(args.ToArray()).Invoke(); // SHIM(embed): the lead registers EmbedCommand/Word2VecCommand.Create() in the new root at merge
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help" && args.Count == 1)
        {
            WriteOverview(output);
            return 0;
        }
        if (args[0] == "--version")
        {
            output.WriteLine($"{ProgramName} {typeof(CliApp).Assembly.GetName().Version?.ToString(3)}");
            return 0;
        }
        bool helpCommand = args[0] == "help";
        var rest = helpCommand ? args.Skip(1).ToList() : args.ToList();
        var command = Find(rest);
        if (command is null)
        {
            error.WriteLine($"{ProgramName}: unknown command '{string.Join(" ", rest.TakeWhile(a => !a.StartsWith('-')).Take(2))}'. Commands: {string.Join(", ", Commands.Select(c => c.Name))}; see '{ProgramName} --help'.");
            return 2;
        }
        var commandArgs = rest.Skip(command.Name.Split(' ').Length).ToList();
        if (helpCommand || commandArgs.Contains("--help") || commandArgs.Contains("-h"))
        {
            WriteHelp(command, output);
            return 0;
        }
        string prefix = $"{ProgramName} {command.Name}";
        try
        {
            var parsed = CliArguments.Parse(command, commandArgs);
            var context = new CliContext(output, error, interactive, cancellation);
            int code = command.Execute(context, parsed);
            output.Flush();
            return code;
        }
        catch (CliUsageException e)
        {
            error.WriteLine($"{prefix}: {OneLine(e.Message)} (see '{prefix} --help')");
            return 2;
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

    /// <summary>The command whose words start <paramref name="args"/> (longest match), or null.</summary>
    private static CliCommand? Find(IReadOnlyList<string> args) =>
        Commands
            .Where(c => c.Name.Split(' ') is var words && words.Length <= args.Count && words.Select((w, i) => w == args[i]).All(x => x))
            .MaxBy(c => c.Name.Length);

    /// <summary>The failure as one line: expected failures by their message, anything else with its type.</summary>
    private static string Describe(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        bool expected = e is CliException or IOException or UnauthorizedAccessException or KeyNotFoundException
            or ArgumentException or FormatException or InvalidDataException or System.Text.Json.JsonException;
        string message = OneLine(e.Message);
        return expected ? message : $"internal error ({e.GetType().Name}): {message} (set NEUROCORE_DEBUG=1 for details)";
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static void WriteOverview(TextWriter w)
    {
        w.WriteLine($"{ProgramName} — train neural networks, record training snapshots, and turn them into glTF scenes and videos.");
        w.WriteLine();
        w.WriteLine($"Usage: {ProgramName} <command> [options]");
        w.WriteLine();
        w.WriteLine("Commands:");
        int width = Commands.Max(c => c.Name.Length);
        foreach (var c in Commands) w.WriteLine($"  {c.Name.PadRight(width)}  {c.Summary}");
        w.WriteLine();
        w.WriteLine($"Run '{ProgramName} <command> --help' for a command's options.");
    }

    /// <summary>Writes a command's help: usage line, arguments, options, details.</summary>
    public static void WriteHelp(CliCommand command, TextWriter w)
    {
        var usage = new StringBuilder($"Usage: {ProgramName} {command.Name}");
        foreach (var a in command.Arguments) usage.Append(a.Required ? $" {a.Name}" : $" [{a.Name}]");
        usage.Append(" [options]");
        w.WriteLine(usage.ToString());
        w.WriteLine();
        w.WriteLine(command.Summary);
        if (command.Arguments.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("Arguments:");
            int aw = command.Arguments.Max(a => a.Name.Length);
            foreach (var a in command.Arguments) w.WriteLine($"  {a.Name.PadRight(aw)}  {a.Description}");
        }
        w.WriteLine();
        w.WriteLine("Options:");
        var rows = command.Options.Select(o => (Left: (o.Alias is null ? "    " : o.Alias + ", ") + o.Name + (o.IsFlag ? "" : " " + o.ValueName), o.Description))
            .Append((Left: "-h, --help", Description: "Show this help."))
            .ToList();
        int ow = rows.Max(r => r.Left.Length);
        foreach (var (left, description) in rows) w.WriteLine($"  {left.PadRight(ow)}  {description}");
        if (command.Details.Length > 0)
        {
            w.WriteLine();
            w.WriteLine(command.Details.TrimEnd());
        }
    }
}
