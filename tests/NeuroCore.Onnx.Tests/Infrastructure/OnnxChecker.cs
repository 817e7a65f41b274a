using System.Diagnostics;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Onnx.Tests.Infrastructure;

/// <summary>Runs Debian onnx 1.12's <c>onnx.checker.check_model(full_check=True)</c> on a file.</summary>
public static class OnnxChecker
{
    private const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> Available = new(() => Exec("-c \"import onnx\"").ExitCode == 0);

    public static void RequireAvailable() =>
        ExternalTools.Require(File.Exists(Python) && Available.Value, "python3-onnx (Debian's onnx 1.12 for /usr/bin/python3)", "apt-get install -y python3-onnx");

    /// <summary>Returns the checker's error output, or null when the file passes.</summary>
    public static string? Check(string path)
    {
        var (code, output) = Exec($"-c \"import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)\" \"{path}\"");
        return code == 0 ? null : output;
    }

    private static (int ExitCode, string Output) Exec(string arguments)
    {
        if (!File.Exists(Python)) return (-1, "no " + Python);
        var psi = new ProcessStartInfo(Python, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.Environment["PYTHONNOUSERSITE"] = "1";
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(true); return (-1, "timeout"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
