using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace NeuroCore.Cli;

/// <summary>
/// System.CommandLine's help with one addition: a command's examples and notes, printed after its options
/// (<see cref="SetDetails"/>).
/// </summary>
public static class CliHelp
{
    private static readonly ConditionalWeakTable<Command, string> Details = new();

    /// <summary>Sets the text (examples, notes) shown after <paramref name="command"/>'s options in <c>--help</c>.</summary>
    public static T SetDetails<T>(this T command, string details) where T : Command
    {
        ArgumentNullException.ThrowIfNull(details);
        Details.AddOrUpdate(command, details.TrimEnd());
        return command;
    }

    /// <summary>Makes the help option under <paramref name="root"/> print the details after System.CommandLine's sections.</summary>
    internal static void Install(RootCommand root)
    {
        foreach (var option in root.Options.OfType<HelpOption>())
            if (option.Action is HelpAction help) option.Action = new WithDetails(help);
    }

    /// <summary>True when <paramref name="action"/> prints help.</summary>
    internal static bool IsHelp(CommandLineAction? action) => action is WithDetails or HelpAction;

    private sealed class WithDetails(HelpAction help) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            int code = help.Invoke(parseResult);
            if (Details.TryGetValue(parseResult.CommandResult.Command, out var text))
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine(text);
                output.WriteLine();
            }
            return code;
        }
    }
}
