using System.Formats.Tar;
using System.IO.Compression;
using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Snapshots;
using NeuroCore.Training;

namespace NeuroCore.Service.LoadBenchmarks;

/// <summary>A small recorded spiral run as a .tar.gz.</summary>
internal static class DemoRun
{
    public static byte[] Create(string folder)
    {
        Generator.ManualSeed(0);
        var data = SyntheticData.Spiral(pointsPerClass: 40, classes: 3);
        var loader = new DataLoader(data, batchSize: 30, shuffle: true);
        var model = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 3));
        var recorder = new SnapshotRecorder(folder, new SnapshotRecorderOptions
        {
            Schedule = SnapshotSchedule.Every(4), Overwrite = true, Probe = ProbeBatch.FromDataset(data, 8),
            Dataset = new DatasetInfo { Name = "spiral", Count = data.Count, InputShape = [2], Classes = 3 },
        });
        new Trainer(model, new Adam(model.Parameters(), learningRate: 0.03f)).With(recorder).Fit(loader, 12);
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            TarFile.CreateFromDirectory(folder, gz, includeBaseDirectory: false);
        return ms.ToArray();
    }
}
