using System.Text;
using System.Text.Json.Nodes;
using NeuroCore.IO;
using NeuroCore.Snapshots;

namespace NeuroCore.Tests.Snapshots;

/// <summary>
/// Regression tests for the run-reader defects of issue 14: every hostile manifest, index line or
/// snapshot file is answered with a <see cref="SnapshotFormatException"/> naming the file and the field
/// (or, for one index line, a warning), never a BCL exception and never a read outside the run folder.
/// </summary>
public class RunReaderHardeningTests
{
    private static TempDir Recorded()
    {
        var tmp = SnapshotFixture.Temp();
        var model = SnapshotFixture.Model();
        var recorder = new SnapshotRecorder(tmp.Run, new SnapshotRecorderOptions
        {
            Probe = SnapshotFixture.Probe(),
            HyperParameters = new Dictionary<string, object?> { ["epochs"] = 3, ["learningRate"] = 0.1 },
        });
        recorder.Capture(model, 0, 0);
        SnapshotFixture.Step(model);
        recorder.Capture(model, 1, 0, 0.5);
        recorder.Complete();
        return tmp;
    }

    private static string ManifestPath(TempDir tmp) => Path.Combine(tmp.Run, SnapshotFormat.ManifestFileName);

    private static void EditManifest(TempDir tmp, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(File.ReadAllText(ManifestPath(tmp)))!.AsObject();
        edit(node);
        File.WriteAllText(ManifestPath(tmp), node.ToJsonString(), new UTF8Encoding(false));
    }

    private static SnapshotFormatException OpenFails(TempDir tmp)
    {
        var e = Assert.Throws<SnapshotFormatException>(() => TrainingRun.Open(tmp.Run));
        Assert.EndsWith(SnapshotFormat.ManifestFileName, e.FilePath);
        return e;
    }

    public static TheoryData<string> HostileProbeFiles => new()
    {
        "",
        "../other/probe.safetensors",
        "/etc/passwd",
        "a\0b.safetensors",
        new string('p', 5_000),
        "snapshots/../../x",
        "C:\\probe.safetensors",
    };

    [Theory]
    [MemberData(nameof(HostileProbeFiles))]
    public void ProbeFileIsValidatedLikeIndexFileNames(string file)
    {
        using var tmp = Recorded();
        // A real file outside the run, so a reader that followed the path would find something to read.
        string outside = Path.Combine(tmp.Path, "other");
        Directory.CreateDirectory(outside);
        File.Copy(Path.Combine(tmp.Run, SnapshotFormat.ProbeFileName), Path.Combine(outside, SnapshotFormat.ProbeFileName));
        EditManifest(tmp, m => m["probe"]!["file"] = file);
        var e = OpenFails(tmp);
        Assert.Contains("probe.file", e.Message);
    }

    [Fact]
    public void AnEmptyGradientNormTensorIsAFormatErrorNamingTheTensor()
    {
        using var tmp = Recorded();
        var run = TrainingRun.Open(tmp.Run);
        var entry = run.GetEntry(1);
        string file = Path.Combine(tmp.Run, entry.File);
        var tensors = SafeTensors.Load(file).Tensors;
        var entries = tensors.Select(kv => kv.Key.StartsWith(SnapshotFormat.GradientNormPrefix, StringComparison.Ordinal)
            ? new SafeTensorsEntry(kv.Key, Tensor.Zeros(0), SafeTensorsDType.F32)
            : SafeTensorsEntry.Of(kv.Key, kv.Value, SafeTensorsDType.F32)).ToList();
        long bytes = SafeTensors.Save(file, entries);
        // The run was opened before the file was damaged (as a follower would have it).
        var e = Assert.Throws<SnapshotFormatException>(() => run.LoadSnapshot(entry with { Bytes = bytes }));
        Assert.Contains("grad_norm/", e.Message);
        Assert.Contains("one number", e.Message);
    }

    [Fact]
    public void AnIndexLineWithAnEscapedNulIsSkippedWithAWarning()
    {
        using var tmp = Recorded();
        File.AppendAllText(Path.Combine(tmp.Run, SnapshotFormat.IndexFileName), "{\"step\":5,\"file\":\"snapshots/a\\u0000b.safetensors\",\"bytes\":10}\n");
        var run = TrainingRun.Open(tmp.Run);
        Assert.Equal([0L, 1L], run.Snapshots.Select(s => s.Step));
        var warning = Assert.Single(run.Warnings);
        Assert.Contains("line 3", warning);
        Assert.Contains("control character", warning);
        Assert.NotNull(run.LoadSnapshot(1));
    }

    [Theory]
    [InlineData("manifest.json")]
    [InlineData("index.jsonl")]
    [InlineData("summary.json")]
    public void AFolderWhereARunFileShouldBeIsAFormatErrorNamingIt(string file)
    {
        // The BCL reports opening a folder as a file as "Access to the path … is denied".
        using var tmp = Recorded();
        string path = Path.Combine(tmp.Run, file);
        File.Delete(path);
        Directory.CreateDirectory(path);
        var e = Assert.Throws<SnapshotFormatException>(() => TrainingRun.Open(tmp.Run).LoadSummary());
        Assert.Equal(path, e.FilePath);
        Assert.Contains("is a folder, not a file", e.Message);
        Assert.DoesNotContain("denied", e.Message);
    }

    [Theory]
    [InlineData("\"producer\": \"")]
    [InlineData("\"epochs\": 3")]
    [InlineData("\"format\": \"")] // fuzz seed 7, run #4541: the header check read "format" with the transcoder's exception
    public void ManifestStringsWithInvalidUtf8AreAFormatError(string anchor)
    {
        using var tmp = Recorded();
        var text = File.ReadAllText(ManifestPath(tmp));
        Assert.Contains(anchor, text);
        string marked = anchor.EndsWith('"') ? anchor + "X" : anchor + ", \"note\": \"X\"";
        var bytes = Encoding.UTF8.GetBytes(text.Replace(anchor, marked, StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xFF; // not UTF-8
        File.WriteAllBytes(ManifestPath(tmp), bytes);
        var e = OpenFails(tmp);
        Assert.Contains("corrupt manifest", e.Message);
    }

    [Fact]
    public void AFormatFieldWithInvalidUtf8NamesTheField()
    {
        using var tmp = Recorded();
        var bytes = Encoding.UTF8.GetBytes(File.ReadAllText(ManifestPath(tmp)).Replace("\"neurocore.", "\"neuroc\u0001re.", StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)1)] = 0x84; // the byte the fuzzer wrote: a UTF-8 continuation byte on its own
        File.WriteAllBytes(ManifestPath(tmp), bytes);
        var e = OpenFails(tmp);
        Assert.Contains("field \"format\" is not valid text", e.Message);
    }

    [Fact]
    public void AFormatFieldWithALoneSurrogateNamesTheField()
    {
        // Fuzz seed 2026, run #708: "neurocore\udc00.training-run".
        using var tmp = Recorded();
        File.WriteAllText(ManifestPath(tmp), File.ReadAllText(ManifestPath(tmp)).Replace("\"neurocore.", "\"neurocore\\udc00.", StringComparison.Ordinal));
        var e = OpenFails(tmp);
        Assert.Contains("field \"format\" is not valid text (invalid UTF-8 or a lone surrogate", e.Message);
    }

    [Theory]
    [InlineData("\"producer\": \"", "producer")]
    [InlineData("\"name\": \"0\"", "architecture.layers[0].name")]
    [InlineData("\"epochs\": 3", "hyperParameters")]
    public void ManifestStringsWithLoneSurrogatesAreAFormatErrorNamingTheField(string anchor, string field)
    {
        using var tmp = Recorded();
        var text = File.ReadAllText(ManifestPath(tmp));
        Assert.Contains(anchor, text);
        string replaced = anchor.EndsWith('"')
            ? text.Replace(anchor, anchor + "\\ud800", StringComparison.Ordinal)
            : text.Replace(anchor, anchor + ", \"note\": \"\\ud800\"", StringComparison.Ordinal);
        if (anchor.StartsWith("\"name\"", StringComparison.Ordinal))
            replaced = text.Replace(anchor, "\"name\": \"0\\ud800\"", StringComparison.Ordinal);
        File.WriteAllText(ManifestPath(tmp), replaced, new UTF8Encoding(false));
        var e = OpenFails(tmp);
        Assert.Contains(field, e.Message);
    }

    [Theory]
    [InlineData("epochs", "2.5")]
    [InlineData("epochs", "\"many\"")]
    [InlineData("batchSize", "1e40")]
    [InlineData("learningRate", "\"fast\"")]
    public void MistypedKnownHyperParametersAreAFormatErrorNamingTheField(string key, string json)
    {
        using var tmp = Recorded();
        EditManifest(tmp, m => m["hyperParameters"]![key] = JsonNode.Parse(json));
        var e = OpenFails(tmp);
        Assert.Contains($"hyperParameters.{key}", e.Message);
    }

    [Fact]
    public void ProbeCountLargerThanTheRecordedActivationsIsAFormatError()
    {
        using var tmp = Recorded();
        EditManifest(tmp, m =>
        {
            m["probe"]!["count"] = 50;
            m["probe"]!.AsObject().Remove("labels");
        });
        var run = TrainingRun.Open(tmp.Run);
        var e = Assert.Throws<SnapshotFormatException>(() => run.LoadSnapshot(0));
        Assert.Contains("probe.count is 50", e.Message);
        Assert.EndsWith(".safetensors", e.FilePath);
        var p = Assert.Throws<SnapshotFormatException>(() => run.LoadProbe());
        Assert.Contains("probe.count is 50", p.Message);
    }

    [Theory]
    [InlineData("architecture", "inputShape")]
    [InlineData("probe", "inputShape")]
    public void AnInputShapeWhoseProductOverflowsIsAFormatError(string parent, string key)
    {
        using var tmp = Recorded();
        EditManifest(tmp, m => m[parent]![key] = new JsonArray(65536, 65536, 65536));
        var e = OpenFails(tmp);
        Assert.Contains($"{parent}.{key}", e.Message);
        Assert.Contains("more than", e.Message);
    }

    [Fact]
    public void ProbeLabelsThatAreNotWholeNumbersAreAFormatErrorNamingTheField()
    {
        using var tmp = Recorded();
        EditManifest(tmp, m => m["probe"]!["labels"] = new JsonArray(0.5, 1.5));
        var e = OpenFails(tmp);
        Assert.Contains("probe.labels", e.Message);
    }

    [Fact]
    public void VersionOneManifestsAreStillRead()
    {
        using var tmp = Recorded();
        EditManifest(tmp, m =>
        {
            m["version"] = 1;
            foreach (var layer in m["architecture"]!["layers"]!.AsArray())
                if (layer!["activation"] is JsonObject a) layer["activation"] = a["function"]!.GetValue<string>();
        });
        var layers = TrainingRun.Open(tmp.Run).Manifest.Architecture.Layers;
        Assert.Equal(new LayerActivation(NeuroCore.NN.ActivationFunction.Sigmoid, "1"), layers[0].Activation);
        Assert.Equal(new LayerActivation(NeuroCore.NN.ActivationFunction.Sigmoid, "1"), layers[1].Activation);
        Assert.Null(layers[2].Activation);
    }

    [Fact]
    public void SummaryIsWrittenThroughTheSchemaAndReadBack()
    {
        using var tmp = Recorded();
        var summary = TrainingRun.Open(tmp.Run).LoadSummary();
        Assert.NotNull(summary);
        Assert.Equal(2, summary.Snapshots);
        Assert.Equal(1L, summary.LastStep);
    }

    [Theory]
    [InlineData("architecture.layers.0.index", "\"zero\"", "field \"architecture.layers[0].index\": expected a whole number")]
    [InlineData("architecture.layers.0.name", "null", "field \"architecture.layers[0].name\": must not be null")]
    [InlineData("architecture.layers.0.isActivation", "3", "field \"architecture.layers[0].isActivation\": expected true or false")]
    [InlineData("storage.parameters", "\"float64\"", "field \"storage.parameters\": expected one of \"float32\", \"float16\"")]
    [InlineData("architecture.layers", "7", "field \"architecture.layers\": expected an array")]
    [InlineData("probe.count", "1.5", "field \"probe.count\": expected a whole number")]
    public void ACorruptManifestNamesTheFieldAndWhatItShouldBe(string field, string json, string expected)
    {
        using var tmp = Recorded();
        EditManifest(tmp, m =>
        {
            var parts = field.Split('.');
            JsonNode node = m;
            foreach (var part in parts[..^1]) node = int.TryParse(part, out int i) ? node[i]! : node[part]!;
            node[parts[^1]] = JsonNode.Parse(json);
        });
        var e = OpenFails(tmp);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("NeuroCore.Snapshots", e.Message); // no .NET type names
    }
}
