namespace NeuroCore.Cli;

/// <summary>A failure the user can act on; <see cref="CliApp"/> prints the message as one line and exits with 1.</summary>
public class CliException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public CliException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>Bad command-line arguments found after parsing (e.g. two options that exclude each other); exit code 2.</summary>
public sealed class CliUsageException : CliException
{
    /// <summary>Creates the exception with a one-line message naming the option and the problem.</summary>
    public CliUsageException(string message) : base(message) { }
}
