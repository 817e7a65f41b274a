namespace NeuroCore.Cli;

/// <summary>Entry point of the <c>neurocore</c> command.</summary>
public static class CliApp
{
    /// <summary>Runs the command line; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("neurocore: no commands yet.");
        return 2;
    }
}
