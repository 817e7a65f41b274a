using System.CommandLine;
using NeuroCore.Cli;

namespace NeuroCore.Cli.Tests.Framework;

/// <summary>How CliApp runs a command that another part of the project registers (serve, worker, …).</summary>
public class InvocationTests
{
    private static RootCommand RootWith(Command command)
    {
        var root = new RootCommand { command };
        root.HelpName = CliApp.ProgramName;
        return root;
    }

    [Fact]
    public void AsynchronousActionsGetTheCtrlCToken()
    {
        using var cts = new CancellationTokenSource();
        var serve = new Command("serve");
        serve.SetAction(async (_, token) =>
        {
            cts.Cancel(); // Ctrl+C while the server runs
            try { await Task.Delay(TimeSpan.FromSeconds(30), token); }
            catch (OperationCanceledException) { return 42; } // a graceful stop
            return 0;
        });
        Assert.Equal(42, CliApp.Run(RootWith(serve), ["serve"], new StringWriter(), new StringWriter(), false, cts.Token));
    }

    [Fact]
    public void SynchronousActionsGetTheContextAndTheirFailuresBecomeOneLine()
    {
        CliContext? context = null;
        var worker = new Command("worker");
        worker.SetAction((Func<ParseResult, int>)(p => { context = CliContext.For(p); throw new IOException("queue.db: locked by another worker"); }));
        var output = new StringWriter();
        var error = new StringWriter();
        using var cts = new CancellationTokenSource();
        Assert.Equal(1, CliApp.Run(RootWith(worker), ["worker"], output, error, true, cts.Token));
        Assert.Equal("neurocore worker: queue.db: locked by another worker", error.ToString().Trim());
        Assert.NotNull(context);
        Assert.Same(output, context.Out);
        Assert.True(context.IsInteractive);
        Assert.Equal(cts.Token, context.Cancellation);
    }

    [Fact]
    public void ACommandInvokedOnItsOwnGetsAPlainContext()
    {
        CliContext? context = null;
        var command = new RootCommand();
        command.SetAction(p => { context = CliContext.For(p); return 0; });
        var output = new StringWriter();
        command.Parse([]).Invoke(new InvocationConfiguration { Output = output });
        Assert.NotNull(context);
        Assert.Same(output, context.Out);
        Assert.False(context.IsInteractive);
    }

    [Fact]
    public void UsageErrorsOfARegisteredCommandFollowTheSameRule()
    {
        var embed = new Command("embed") { new Option<int>("--dims") { Description = "dimensions" } };
        embed.SetAction(_ => 0);
        var error = new StringWriter();
        Assert.Equal(2, CliApp.Run(RootWith(embed), ["embed", "--dims", "many"], new StringWriter(), error, false, TestContext.Current.CancellationToken));
        Assert.StartsWith("neurocore embed: ", error.ToString());
        Assert.EndsWith("(see 'neurocore embed --help')", error.ToString().Trim());
        Assert.Single(error.ToString().Trim().Split('\n'));
    }
}
