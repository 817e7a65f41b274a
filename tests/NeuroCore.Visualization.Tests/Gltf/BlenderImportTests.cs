using System.Diagnostics;
using System.Text.Json;
using NeuroCore.Visualization.Gltf;
using NeuroCore.Visualization.Model;

namespace NeuroCore.Visualization.Tests.Gltf;

/// <summary>Blender's own glTF importer reads a timeline: named neuron objects with their extras as custom properties, one constant-interpolation key per snapshot.</summary>
[Collection(nameof(ExternalViewerCollection))]
public class BlenderImportTests
{
    [Fact]
    public async Task BlenderImportsTheTimelineWithNamesExtrasAndStepKeys()
    {
        var blender = ExternalTools.FindOnPath("blender");
        ExternalTools.Require(blender is not null, "Blender (its glTF importer)", "apt-get install blender");
        // On PATH is not enough: Blender's glTF importer imports numpy, which Debian's Blender takes from python3-numpy.
        ExternalTools.RequireWorking(await BlenderNumpyProblem(blender!), "apt-get install python3-numpy");
        using var dir = new TempDir();
        var run = SyntheticRun.Dense([16, 6, 3], snapshots: 4);
        var path = dir.File("timeline.glb");
        GltfExporter.ExportTimeline(run, path);

        var psi = new ProcessStartInfo(blender!) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir.Path };
        foreach (var a in new[] { "-b", "--factory-startup", "--python", Path.Combine(RepoPaths.Root, "tests", "blender", "import_gltf.py"), "--", path })
            psi.ArgumentList.Add(a);
        // Blender writes its user config under HOME; keep it inside the test's folder.
        psi.Environment["HOME"] = dir.Path;
        using var p = Process.Start(psi)!;
        var ct = TestContext.Current.CancellationToken;
        var stdoutTask = p.StandardOutput.ReadToEndAsync(ct);
        var stderrTask = p.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { p.Kill(true); Assert.Fail("Blender did not finish within 3 minutes."); }
        var stdout = await stdoutTask;
        var stderr = await stderrTask;
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        Assert.True(line is not null, $"Blender printed no result (exit {p.ExitCode}):\n{stdout}\n{stderr}");
        var r = JsonDocument.Parse(line!["RESULT ".Length..]).RootElement;

        Assert.Equal(16 + 6 + 3, r.GetProperty("neuronNodes").GetInt32());
        // Extras become custom properties (the 4x4 input neurons also carry row/col).
        var props = r.GetProperty("neuronProps").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Contains("activations", props);
        Assert.Contains("index", props);
        Assert.Contains("layer", props);
        Assert.Equal(4 * (3 + 2), r.GetProperty("meshObjects").GetInt32()); // per snapshot: 3 neuron + 2 connection mesh objects
        Assert.Equal(5, r.GetProperty("maxKeyframes").GetInt32());          // one key per snapshot, one holding the last
        Assert.Equal(["CONSTANT"], r.GetProperty("interpolations").EnumerateArray().Select(e => e.GetString()));
        Assert.NotEmpty(r.GetProperty("colorAttributes").EnumerateArray());
    }

    [Fact]
    public async Task ProbeNamesMissingNumpyAndAcceptsAWorkingBlender()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "the stand-in Blender is a shell script");
        using var dir = new TempDir();
        // A stand-in for a Blender whose Python lacks numpy: what Debian's Blender prints without python3-numpy.
        var fake = dir.File("blender-without-numpy");
        File.WriteAllText(fake, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'numpy'\" >&2\nexit 3\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.StartsWith("python3-numpy missing", await BlenderNumpyProblem(fake));

        var blender = ExternalTools.FindOnPath("blender");
        ExternalTools.Require(blender is not null, "Blender (its glTF importer)", "apt-get install blender");
        Assert.Null(await BlenderNumpyProblem(blender!));
    }

    /// <summary>Null when Blender's Python can import numpy (as its glTF importer does), else the reason it cannot.</summary>
    internal static async Task<string?> BlenderNumpyProblem(string blender)
    {
        using var dir = new TempDir();
        var psi = new ProcessStartInfo(blender) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir.Path };
        foreach (var a in new[] { "-b", "--factory-startup", "--python-exit-code", "3", "--python-expr",
                     "import numpy, io_scene_gltf2; print('NEUROCORE_NUMPY_OK', numpy.__version__)" })
            psi.ArgumentList.Add(a);
        psi.Environment["HOME"] = dir.Path;
        using var p = Process.Start(psi)!;
        var ct = TestContext.Current.CancellationToken;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { p.Kill(true); return "Blender did not start within 2 minutes"; }
        string output = await stdout + await stderr;
        if (output.Contains("NEUROCORE_NUMPY_OK", StringComparison.Ordinal)) return null;
        return output.Contains("numpy", StringComparison.OrdinalIgnoreCase)
            ? "python3-numpy missing: Blender's glTF importer cannot import numpy"
            : $"Blender's Python cannot load the glTF importer (exit {p.ExitCode}): {output.Trim()[^Math.Min(300, output.Trim().Length)..]}";
    }
}
