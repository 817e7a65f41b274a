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

/// <summary>A small convolutional run: 8×8 images of bars (horizontal, vertical, diagonal) through conv → pool → dense.</summary>
internal static class ConvRun
{
    public static string Record(string folder, int epochs = 4, int probe = 6)
    {
        var g = new Generator(5);
        const int n = 90;
        var x = new float[n * 64];
        var y = new long[n];
        for (var i = 0; i < n; i++)
        {
            var c = i % 3; y[i] = c;
            var at = 1 + g.NextInt(6);
            for (var r = 0; r < 8; r++)
                for (var q = 0; q < 8; q++)
                {
                    var on = c == 0 ? r == at : c == 1 ? q == at : r == q;
                    x[i * 64 + r * 8 + q] = (on ? 1f : 0f) + 0.1f * g.NextFloat();
                }
        }
        var data = new TensorDataset(Tensor.FromArray(x, n, 1, 8, 8), Tensor.FromArray(y, n));
        var model = new Sequential(new Conv2d(1, 4, 3, padding: 1, generator: new Generator(1)), new ReLU(), new MaxPool2d(2), new Flatten(),
            new Linear(64, 3, generator: new Generator(2)));
        var recorder = new SnapshotRecorder(folder, new SnapshotRecorderOptions
        {
            Schedule = SnapshotSchedule.Every(5),
            Probe = ProbeBatch.FromDataset(data, probe, 0),
            Dataset = new DatasetInfo { Name = "bars", Count = n, InputShape = [1, 8, 8], Classes = 3, ClassNames = ["horizontal", "vertical", "diagonal"] },
        });
        new Trainer(model, new Adam(model.Parameters(), 0.02f)).With(recorder).Fit(new DataLoader(data, 15, shuffle: true, seed: 0), epochs);
        return folder;
    }
}
