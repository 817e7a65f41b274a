using System.Diagnostics;

namespace NeuroCore.Service.Tests;

/// <summary><c>neurocore serve</c> stops on SIGTERM (systemd, <c>docker stop</c>, <c>kill</c>), not only on Ctrl+C.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Serve_exits_cleanly_on_SIGTERM()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "SIGTERM is a POSIX signal");
        using var service = await ServiceProcess.StartServeAsync(Temp.NewFolder("sigterm"), "--workers", "1");
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", service.Pid.ToString() } })!)
            Assert.True(kill.WaitForExit(10_000) && kill.ExitCode == 0, "kill -TERM failed");
        Assert.True(service.WaitForExit(TimeSpan.FromSeconds(30)), $"serve was still running 30 s after SIGTERM:\n{service.Output}");
        Assert.Equal(0, service.ExitCode);
    }
}
