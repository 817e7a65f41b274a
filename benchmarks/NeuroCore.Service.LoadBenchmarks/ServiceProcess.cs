using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NeuroCore.Service.LoadBenchmarks;

/// <summary>A 'neurocore serve' or 'neurocore worker' process; disposing kills it.</summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ServiceProcess(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NeuroCore.Cli.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { _ready.TrySetException(new InvalidOperationException("process exited")); return; }
            var m = Regex.Match(e.Data, @"listening on (http://\S+)|NeuroCore worker");
            if (m.Success) _ready.TrySetResult(m.Groups[1].Value);
        };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("  [service] " + e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public async Task<string> ReadyAsync() => await _ready.Task.WaitAsync(TimeSpan.FromSeconds(60));

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}
