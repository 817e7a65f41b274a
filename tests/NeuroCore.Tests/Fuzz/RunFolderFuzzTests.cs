using NeuroCore.Snapshots;
using NeuroCore.Tests.Infrastructure;
using NeuroCore.Tests.Snapshots;

namespace NeuroCore.Tests.Fuzz;

/// <summary>
/// Seeded mutation fuzzing of a run folder through the public run reader only (<see cref="TrainingRun"/>:
/// open, snapshots, refresh, load each snapshot and the probe): one file of a valid run — manifest, index,
/// summary, probe or a snapshot — is mutated per input. Every input must read, or fail with the documented
/// <see cref="SnapshotFormatException"/>; damaged index lines and snapshot files may also just be skipped with a warning.
/// Kept apart from <see cref="ReaderFuzzTests"/> so the run reader can change without touching the file readers' fuzzing.
/// </summary>
public sealed class RunFolderFuzzTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _valid;

    public RunFolderFuzzTests()
    {
        _valid = Path.Combine(_dir.Path, "valid");
        var model = SnapshotFixture.Model();
        using var recorder = new SnapshotRecorder(_valid, new SnapshotRecorderOptions
        {
            Probe = SnapshotFixture.Probe(),
            Gradients = GradientRecording.Full,
            HyperParameters = new Dictionary<string, object?> { ["lr"] = 0.1, ["epochs"] = 3, ["name"] = "fuzz" },
        });
        recorder.Capture(model, 0, 0);
        for (int step = 1; step <= 2; step++)
        {
            float loss = SnapshotFixture.Step(model);
            recorder.Capture(model, step, 0, loss, new Dictionary<string, double> { ["accuracy"] = 0.5 }, 0.1);
        }
        recorder.Complete();
    }

    public void Dispose() => _dir.Dispose();

    private string[] RunFiles() =>
        [.. Directory.EnumerateFiles(_valid, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_valid, f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void MutatedRunFilesReadOrFailWithSnapshotFormatException()
    {
        var files = RunFiles();
        Assert.Contains(SnapshotFormat.ManifestFileName, files);
        Assert.Equal(3, ReadAll(_valid)); // the untouched run reads completely

        var originals = files.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(_valid, f)));
        var mutator = new Mutator(FuzzSettings.Seed);
        var random = new Random(FuzzSettings.Seed);
        int iterations = FuzzSettings.Iterations(1500);
        int rejected = 0;
        string folder = Path.Combine(_dir.Path, "mutant");
        foreach (var (file, bytes) in originals)
        {
            var path = Path.Combine(folder, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
        for (int i = 0; i < iterations; i++)
        {
            // The valid run with one file mutated (manifest and index most often: they are the most parsed);
            // the file is restored afterwards, so every input differs from the valid run in that file only.
            string victim = random.Next(3) switch
            {
                0 => SnapshotFormat.ManifestFileName,
                1 => SnapshotFormat.IndexFileName,
                _ => files[random.Next(files.Length)],
            };
            var mutant = mutator.Mutate(originals[victim]);
            File.WriteAllBytes(Path.Combine(folder, victim), mutant);
            try
            {
                ReadAll(folder);
            }
            catch (SnapshotFormatException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                var saved = FuzzSettings.SaveFailure("run-" + victim.Replace('/', '_').Replace('\\', '_'), i, mutant);
                Assert.Fail($"run #{i} (seed {FuzzSettings.Seed}), {victim} mutated: {e.GetType().Name} instead of SnapshotFormatException; the mutated file is saved to {saved}\n{e}");
            }
            File.WriteAllBytes(Path.Combine(folder, victim), originals[victim]);
        }
        Assert.True(rejected > 0, "no mutant was rejected: the fuzzer does not reach the run reader's checks");
    }

    /// <summary>Reads everything a run offers through the public API; returns the number of snapshots loaded.</summary>
    private static int ReadAll(string folder)
    {
        var run = TrainingRun.Open(folder);
        _ = run.Manifest.Architecture.Layers.Count;
        _ = run.IsFinished;
        _ = run.Warnings.Count;
        run.Refresh();
        _ = run.TotalBytes();
        _ = run.LoadProbe();
        int loaded = 0;
        foreach (var entry in run.Snapshots)
        {
            var snapshot = run.LoadSnapshot(entry);
            _ = snapshot.Parameters.Count + snapshot.Gradients.Count + snapshot.Activations.Count;
            loaded++;
        }
        return loaded;
    }
}
