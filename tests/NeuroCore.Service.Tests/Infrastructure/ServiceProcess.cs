using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace NeuroCore.Service.Tests.Infrastructure;

/// <summary>
/// A real <c>neurocore serve</c> or <c>neurocore worker</c> process (<c>dotnet NeuroCore.Cli.dll ...</c>) on
/// 127.0.0.1 with a random port; its output is kept for failure messages. Disposing kills it.
/// </summary>
public sealed partial class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(IEnumerable<string> args, string readyPattern)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(CliDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        _process = Process.Start(info)!;
        var ready = new Regex(readyPattern);
        void OnLine(string? line)
        {
            if (line is null) { _listening.TrySetException(new InvalidOperationException($"the process ended before it was ready:\n{Output}")); return; }
            lock (_output) _output.AppendLine(line);
            var m = ready.Match(line);
            if (m.Success) _listening.TrySetResult(new Uri(m.Groups.Count > 1 && m.Groups[1].Value.Length > 0 ? m.Groups[1].Value : "http://127.0.0.1/"));
        }
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The CLI assembly copied beside the tests.</summary>
    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "NeuroCore.Cli.dll");

    /// <summary>The base URL (serve only).</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Everything the process printed so far.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The process id.</summary>
    public int Pid => _process.Id;

    /// <summary>True when it has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>neurocore serve</c> on 127.0.0.1 with a random port and waits until it listens.</summary>
    public static async Task<ServiceProcess> StartServeAsync(string dataFolder, params string[] extra)
    {
        var p = new ServiceProcess(["serve", "--data", dataFolder, "--urls", "http://127.0.0.1:0", .. extra], @"listening on (http://\S+)");
        p.Url = await p.WaitReadyAsync(TimeSpan.FromSeconds(60));
        return p;
    }

    /// <summary>Starts <c>neurocore worker</c> and waits until it runs.</summary>
    public static async Task<ServiceProcess> StartWorkerAsync(string storage, string dataFolder, string name, params string[] extra)
    {
        var p = new ServiceProcess(["worker", "--storage", storage, "--data", dataFolder, "--name", name, .. extra], @"NeuroCore worker ()");
        await p.WaitReadyAsync(TimeSpan.FromSeconds(60));
        return p;
    }

    /// <summary>Runs the CLI to completion (for commands expected to fail fast); returns its exit code and output.</summary>
    public static (int Code, string Output) RunToExit(TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(CliDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(true); Assert.Fail($"neurocore {string.Join(' ', args)} did not exit within {timeout}"); }
        return (p.ExitCode, so.Result + se.Result);
    }

    private async Task<Uri> WaitReadyAsync(TimeSpan timeout)
    {
        var done = await Task.WhenAny(_listening.Task, Task.Delay(timeout));
        if (done != _listening.Task) { Kill(); throw new TimeoutException($"not ready within {timeout}:\n{Output}"); }
        return await _listening.Task;
    }

    /// <summary>Waits for the process to end; true when it did within <paramref name="timeout"/>.</summary>
    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>The exit code (once exited).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>kill -9: no shutdown, no flush, like a power cut or the OOM killer.</summary>
    public void Kill()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        _process.WaitForExit(10_000);
    }

    /// <summary>A client for the service with an optional key.</summary>
    public HttpClient Client(string? apiKey = null)
    {
        var c = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null) c.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        return c;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
