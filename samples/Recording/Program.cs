using NeuroCore.Samples;

// Records two runs of the spiral MLP: one through Trainer, one from a hand-written loop (see docs/recording.md).
string root = args.Length > 0 ? args[0] : "recording-output";
var withTrainer = RecordingSample.RecordWithTrainer(Path.Combine(root, "trainer-run"));
var ownLoop = RecordingSample.RecordOwnLoop(Path.Combine(root, "own-loop-run"));
foreach (var run in new[] { withTrainer, ownLoop })
    Console.WriteLine($"{run.Folder}: {run.Snapshots.Count} snapshots, steps {run.First?.Step}…{run.Latest?.Step}, finished: {run.IsFinished}");
Console.WriteLine($"Look at one with: dotnet run --project src/NeuroCore.Cli -- inspect {Path.Combine(root, "trainer-run")}");
return 0;
