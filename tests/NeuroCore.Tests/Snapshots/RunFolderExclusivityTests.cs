using NeuroCore.Snapshots;

namespace NeuroCore.Tests.Snapshots;

/// <summary>
/// A run folder belongs to one recorder at a time, and replacing a run removes only what a run wrote.
/// </summary>
public class RunFolderExclusivityTests
{
    [Fact]
    public void SecondRecorderOnTheSameFolderIsRefusedNamingTheFolderAndTheHolder()
    {
        using var tmp = SnapshotFixture.Temp();
        var model = SnapshotFixture.Model();
        using var first = new SnapshotRecorder(tmp.Run);
        first.Capture(model, 0, 0);

        // Even with Overwrite (train --force) the second recorder must not touch the first one's files.
        using var second = new SnapshotRecorder(tmp.Run, new() { Overwrite = true });
        var e = Assert.Throws<IOException>(() => second.Capture(SnapshotFixture.Model(), 0, 0));
        Assert.Contains(Path.GetFullPath(tmp.Run), e.Message);
        Assert.Contains("another recording holds this run folder", e.Message);
        Assert.Contains($"process {Environment.ProcessId}", e.Message);

        first.Capture(model, 1, 0);
        first.Complete();
        var run = TrainingRun.Open(tmp.Run);
        Assert.Equal([0, 1], run.Snapshots.Select(s => s.Step));
        Assert.Empty(run.Warnings);
    }

    [Fact]
    public void FolderIsFreeAgainAfterCompleteOrDispose()
    {
        using var tmp = SnapshotFixture.Temp();
        var recorder = new SnapshotRecorder(tmp.Run);
        recorder.Capture(SnapshotFixture.Model(), 0, 0);
        recorder.Dispose(); // an unfinished run, released
        Assert.False(File.Exists(Path.Combine(tmp.Run, RunFolderLock.FileName)));

        using var again = new SnapshotRecorder(tmp.Run, new() { Overwrite = true });
        again.Capture(SnapshotFixture.Model(), 5, 0);
        again.Complete();
        Assert.Equal([5], TrainingRun.Open(tmp.Run).Snapshots.Select(s => s.Step));
        Assert.False(File.Exists(Path.Combine(tmp.Run, RunFolderLock.FileName)));
    }

    [Fact]
    public void RefusedRecorderWithoutOverwriteReleasesTheFolder()
    {
        using var tmp = SnapshotFixture.Temp();
        using (var r = new SnapshotRecorder(tmp.Run)) { r.Capture(SnapshotFixture.Model(), 0, 0); r.Complete(); }
        using var refused = new SnapshotRecorder(tmp.Run);
        Assert.Contains("already holds a training run", Assert.Throws<IOException>(() => refused.Capture(SnapshotFixture.Model(), 0, 0)).Message);
        // The refusal did not keep the folder: a deliberate replacement goes ahead.
        Assert.True(RunFiles.Delete(tmp.Run) > 0);
    }

    [Fact]
    public void OverwriteAndDeleteRemoveOnlyWhatTheRunWrote()
    {
        using var tmp = SnapshotFixture.Temp();
        using (var r = new SnapshotRecorder(tmp.Run, new() { Probe = SnapshotFixture.Probe() }))
        {
            var model = SnapshotFixture.Model();
            for (int step = 0; step < 3; step++) r.Capture(model, step, 0);
            r.Complete();
        }
        string snapshots = Path.Combine(tmp.Run, SnapshotFormat.SnapshotFolder);
        string userNotes = Path.Combine(tmp.Run, "notes.md");
        string userInSnapshots = Path.Combine(snapshots, "my-analysis.csv");
        string lookalike = Path.Combine(snapshots, "step-000001.safetensors.bak");
        string leftoverTemp = Path.Combine(snapshots, $".step-000007.safetensors.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(userNotes, "mine");
        File.WriteAllText(userInSnapshots, "mine too");
        File.WriteAllText(lookalike, "a backup I made");
        File.WriteAllText(leftoverTemp, "half a snapshot from a killed recorder");

        // Overwrite (train --force) replaces the run and keeps the user's files.
        using (var r = new SnapshotRecorder(tmp.Run, new() { Overwrite = true }))
        {
            r.Capture(SnapshotFixture.Model(), 10, 0);
            r.Complete();
        }
        Assert.Equal([10], TrainingRun.Open(tmp.Run).Snapshots.Select(s => s.Step));
        Assert.False(File.Exists(Path.Combine(tmp.Run, SnapshotFormat.ProbeFileName)));
        Assert.False(File.Exists(leftoverTemp));
        Assert.All(new[] { userNotes, userInSnapshots, lookalike }, f => Assert.True(File.Exists(f), f));

        // RunFiles.Delete removes the rest of the run, still keeping them; snapshots/ stays because it is not empty.
        Assert.Equal(4, RunFiles.Delete(tmp.Run)); // manifest, index, summary, one snapshot
        Assert.Equal(
            new[] { "notes.md", "snapshots/my-analysis.csv", "snapshots/step-000001.safetensors.bak" },
            Directory.EnumerateFiles(tmp.Run, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(tmp.Run, f).Replace('\\', '/')).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CaptureAfterCompleteTakesTheFolderAgain()
    {
        using var tmp = SnapshotFixture.Temp();
        var model = SnapshotFixture.Model();
        var recorder = new SnapshotRecorder(tmp.Run);
        recorder.Capture(model, 0, 0);
        recorder.Complete();
        Assert.NotNull(recorder.Capture(model, 5, 0)); // a loop that goes on after Complete
        Assert.Throws<IOException>(() => RunFiles.Delete(tmp.Run));
        recorder.Dispose();
        Assert.Equal([0, 5], TrainingRun.Open(tmp.Run).Snapshots.Select(s => s.Step));
        Assert.Equal(5, RunFiles.Delete(tmp.Run)); // manifest, index, summary and the two snapshots
    }

    [Fact]
    public void DeleteRefusesAFolderBeingRecorded()
    {
        using var tmp = SnapshotFixture.Temp();
        using var recorder = new SnapshotRecorder(tmp.Run);
        recorder.Capture(SnapshotFixture.Model(), 0, 0);
        Assert.Contains("another recording", Assert.Throws<IOException>(() => RunFiles.Delete(tmp.Run)).Message);
        Assert.True(File.Exists(Path.Combine(tmp.Run, SnapshotFormat.ManifestFileName)));
    }
}
