using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Snapshots;
using NeuroCore.Training;

namespace NeuroCore.Viewer.Tests.Infrastructure;

/// <summary>Records demo-like runs (the spiral 2-16-16-3 of <c>neurocore demo</c>) for the tests.</summary>
internal static class DemoRun
{
    /// <summary>Trains a 2-16-16-3 tanh MLP on the spiral with Adam, recording every 10 steps with full gradients.</summary>
    public static string Record(string folder, int epochs = 12)
    {
        var data = SyntheticData.Spiral(100, 3, 0.1f, seed: 0);
        var model = Spiral(seed: 0);
        var recorder = new SnapshotRecorder(folder, Options(data));
        new Trainer(model, new Adam(model.Parameters(), 0.03f)).With(recorder).Fit(new DataLoader(data, 32, shuffle: true, seed: 0), epochs);
        return folder;
    }

    public static Sequential Spiral(int seed) =>
        new(new Linear(2, 16, generator: new Generator(seed)), new Tanh(), new Linear(16, 16, generator: new Generator(seed + 1)), new Tanh(),
            new Linear(16, 3, generator: new Generator(seed + 2)));

    public static SnapshotRecorderOptions Options(TensorDataset data) => new()
    {
        Schedule = SnapshotSchedule.Every(10),
        Gradients = GradientRecording.Full,
        Probe = ProbeBatch.FromDataset(data, 8, 0),
        Dataset = new DatasetInfo { Name = "spiral", Count = data.Count, InputShape = [2], Classes = 3, ClassNames = ["arm 0", "arm 1", "arm 2"] },
    };
}
