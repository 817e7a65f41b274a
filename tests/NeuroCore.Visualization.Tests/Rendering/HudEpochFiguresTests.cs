using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Snapshots;
using NeuroCore.Training;
using NeuroCore.Visualization.Rendering;
using NeuroCore.Visualization.Runs;

namespace NeuroCore.Visualization.Tests.Rendering;

/// <summary>The last HUD figures are the last epoch's (summary.json), not those of the partial last batch the final snapshot saw.</summary>
public class HudEpochFiguresTests
{
    [Fact]
    public void The_last_frame_shows_the_final_epochs_loss_and_accuracy()
    {
        var folder = Path.Combine(Path.GetTempPath(), "neurocore-hud-epoch-" + Guid.NewGuid().ToString("N"));
        try
        {
            Generator.ManualSeed(0);
            var data = SyntheticData.Spiral(pointsPerClass: 35, classes: 3); // 105 examples: the last batch of 32 holds 9
            var model = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 3));
            var recorder = new SnapshotRecorder(folder, new SnapshotRecorderOptions
            {
                Schedule = SnapshotSchedule.Every(5), Probe = ProbeBatch.FromDataset(data, 8),
                Dataset = new DatasetInfo { Name = "spiral", Count = data.Count, InputShape = [2], Classes = 3 },
            });
            new Trainer(model, new Adam(model.Parameters(), learningRate: 0.03f)).With(recorder).Fit(new DataLoader(data, batchSize: 32, shuffle: true), 6);

            var run = RunModel.Open(folder);
            var summary = run.Run.LoadSummary()!;
            var last = run.Snapshots[^1];
            Assert.Equal(summary.LastStep, last.Step);
            Assert.NotEqual(summary.FinalEpochLoss, last.Loss); // otherwise the test could not tell them apart

            var renderer = new TimelapseRenderer(TimelapseData.FromRun(run), new TimelapseOptions { Width = 320, Height = 180, Fps = 4, DurationSeconds = 2 });
            var hud = renderer.HudOfFrame(renderer.FrameCount - 1)!;
            Assert.Equal(last.Step, hud.Step);
            Assert.Equal((float)summary.FinalEpochLoss!.Value, hud.Loss!.Value, 5);
            Assert.Equal((float)summary.FinalEpochAccuracy!.Value, hud.Accuracy!.Value, 5);
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
    }
}
