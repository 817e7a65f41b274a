using NeuroCore;
using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Snapshots;
using NeuroCore.Training;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Samples;

/// <summary>
/// Recording a training run from your own code (docs/recording.md shows these two methods): a
/// <see cref="SnapshotRecorder"/> plugged into a <see cref="Trainer"/>, and one driven by a hand-written loop.
/// The test project compiles this file and reads both runs back.
/// </summary>
public static class RecordingSample
{
    /// <summary>A recorder as a <see cref="Trainer"/> callback: it snapshots on its schedule and writes the summary at the end.</summary>
    public static TrainingRun RecordWithTrainer(string folder)
    {
        Generator.ManualSeed(0);
        // <trainer>
        var data = SyntheticData.Spiral(pointsPerClass: 100, classes: 3);
        var model = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 3));
        var optimizer = new Adam(model.Parameters(), learningRate: 0.01f);

        using var recorder = new SnapshotRecorder(folder, new SnapshotRecorderOptions
        {
            Probe = ProbeBatch.FromDataset(data, count: 64),   // activations of 64 fixed points in every snapshot
            Dataset = new DatasetInfo { Name = "spiral", Count = data.Count, InputShape = [2], Classes = 3 },
            HyperParameters = new Dictionary<string, object?> { ["learningRate"] = 0.01, ["epochs"] = 30 },
            Overwrite = true,                                  // replace an earlier run in the folder (like train --force)
        });
        var trainer = new Trainer(model, optimizer).With(recorder);
        trainer.Fit(new DataLoader(data, batchSize: 32, shuffle: true, seed: 0), epochs: 30);
        // </trainer>
        return TrainingRun.Open(folder);
    }

    /// <summary>A recorder driven by your own loop: <see cref="SnapshotRecorder.Capture"/> after each optimizer step it should record.</summary>
    public static TrainingRun RecordOwnLoop(string folder)
    {
        Generator.ManualSeed(0);
        // <own-loop>
        var data = SyntheticData.Spiral(pointsPerClass: 100, classes: 3);
        var loader = new DataLoader(data, batchSize: 32, shuffle: true, seed: 0);
        var model = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 3));
        var optimizer = new Adam(model.Parameters(), learningRate: 0.01f);
        var schedule = SnapshotSchedule.DenseEarly();          // the default; every step early, then ever sparser

        using var recorder = new SnapshotRecorder(folder, new SnapshotRecorderOptions
        {
            Probe = ProbeBatch.FromDataset(data, count: 64),
            Overwrite = true,
        });
        recorder.Capture(model, step: 0, epoch: 0);            // the initial weights
        int step = 0;
        for (int epoch = 0; epoch < 30; epoch++)
        {
            foreach (var (x, y) in loader)
            {
                optimizer.ZeroGrad();
                var loss = F.CrossEntropy(model.Call(x), y);
                loss.Backward();
                optimizer.Step();
                step++;
                // After Step and before the next ZeroGrad, so the snapshot holds this step's gradients too.
                if (schedule.ShouldCapture(step))
                    recorder.Capture(model, step, epoch, loss: loss.Item(), learningRate: optimizer.LearningRate);
            }
        }
        recorder.Capture(model, step, epoch: 29);              // the last step (skipped if already recorded)
        recorder.Complete();                                   // writes summary.json: the run is finished
        // </own-loop>
        return TrainingRun.Open(folder);
    }
}
