using System.Reflection;
using NeuroCore.Tests.Infrastructure;
using PublicApiGenerator;
using Xunit;

namespace NeuroCore.PublicApi.Tests;

/// <summary>
/// The public API of each package against an approved copy in <c>tests/NeuroCore.PublicApi.Tests/approved/</c>,
/// so that a change of what users compile against (an accidental breaking change above all) shows up in review.
/// After an intended change, regenerate the approved files with
/// <c>NEUROCORE_ACCEPT_API=1 dotnet test -c Release --project tests/NeuroCore.PublicApi.Tests</c> and commit them.
/// </summary>
public class PublicApiTests
{
    public static TheoryData<string> Packages => new() { "NeuroCore", "NeuroCore.Visualization", "NeuroCore.Onnx", "NeuroCore.Viewer", "NeuroCore.Service", "NeuroCore.Service.Client" };

    private static readonly Dictionary<string, Assembly> Assemblies = new()
    {
        ["NeuroCore"] = typeof(NeuroCore.Tensor).Assembly,
        ["NeuroCore.Visualization"] = typeof(NeuroCore.Visualization.Gltf.GltfExporter).Assembly,
        ["NeuroCore.Onnx"] = typeof(NeuroCore.Onnx.OnnxModel).Assembly,
        ["NeuroCore.Viewer"] = typeof(NeuroCore.Viewer.IViewerRunStore).Assembly,
        ["NeuroCore.Service"] = typeof(NeuroCore.Service.ServiceApp).Assembly,
        ["NeuroCore.Service.Client"] = typeof(NeuroCore.Service.Client.RunUploader).Assembly,
    };

    [Theory]
    [MemberData(nameof(Packages))]
    public void PublicApiMatchesTheApprovedFile(string package)
    {
        string actual = Normalize(Assemblies[package].GeneratePublicApi(new ApiGeneratorOptions
        {
            IncludeAssemblyAttributes = false, // InternalsVisibleTo, versions: not API
        }));
        string approvedPath = Path.Combine(RepoPaths.Root, "tests", "NeuroCore.PublicApi.Tests", "approved", package + ".approved.txt");
        if (Environment.GetEnvironmentVariable("NEUROCORE_ACCEPT_API") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(approvedPath)!);
            File.WriteAllText(approvedPath, actual);
            return;
        }
        string approved = File.Exists(approvedPath) ? Normalize(File.ReadAllText(approvedPath)) : "";
        if (approved == actual) return;

        var receivedPath = Path.ChangeExtension(approvedPath, ".received.txt");
        File.WriteAllText(receivedPath, actual);
        Assert.Fail($"The public API of {package} changed ({Diff(approved, actual)}). " +
                    $"If the change is intended, accept it with 'NEUROCORE_ACCEPT_API=1 dotnet test -c Release --project tests/NeuroCore.PublicApi.Tests' " +
                    $"and commit {Path.GetRelativePath(RepoPaths.Root, approvedPath)}; compare with {Path.GetRelativePath(RepoPaths.Root, receivedPath)} (not committed).");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd() + "\n";

    /// <summary>The first lines that differ, so the failure says what changed without a diff tool.</summary>
    private static string Diff(string approved, string actual)
    {
        var a = approved.Split('\n').ToHashSet();
        var b = actual.Split('\n').ToHashSet();
        var removed = approved.Split('\n').Where(l => !b.Contains(l) && l.Trim().Length > 1).Take(3).Select(l => "- " + l.Trim());
        var added = actual.Split('\n').Where(l => !a.Contains(l) && l.Trim().Length > 1).Take(3).Select(l => "+ " + l.Trim());
        var lines = removed.Concat(added).ToList();
        return lines.Count == 0 ? "order or whitespace" : string.Join("; ", lines);
    }
}
