using System.Formats.Tar;
using System.IO.Compression;
using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Snapshots;
using NeuroCore.Training;

namespace NeuroCore.Service.Tests.Infrastructure;

/// <summary>Small recorded runs (a spiral MLP, a few seconds of training) and archives of them.</summary>
public static class TestRuns
{
    private static readonly Lazy<string> Spiral = new(() => Record(Path.Combine(Temp.Root, "spiral-run"), epochs: 12));

    /// <summary>A finished spiral run folder, recorded once per test process.</summary>
    public static string SpiralFolder => Spiral.Value;

    /// <summary>Records a 2-8-3 spiral run into <paramref name="folder"/>.</summary>
    public static string Record(string folder, int epochs)
    {
        lock (typeof(TestRuns))
        {
            if (File.Exists(Path.Combine(folder, "summary.json"))) return folder;
            Generator.ManualSeed(0);
            var data = SyntheticData.Spiral(pointsPerClass: 40, classes: 3);
            var loader = new DataLoader(data, batchSize: 30, shuffle: true);
            var model = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 3));
            var recorder = new SnapshotRecorder(folder, new SnapshotRecorderOptions
            {
                Schedule = SnapshotSchedule.Every(4), Overwrite = true, Probe = ProbeBatch.FromDataset(data, 8),
                Dataset = new DatasetInfo { Name = "spiral", Count = data.Count, InputShape = [2], Classes = 3 },
            });
            new Trainer(model, new Adam(model.Parameters(), learningRate: 0.03f)).With(recorder).Fit(loader, epochs);
            return folder;
        }
    }

    /// <summary>The run as a .tar.gz of its files (no top folder).</summary>
    public static byte[] TarGz(string folder)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            TarFile.CreateFromDirectory(folder, gz, includeBaseDirectory: false);
        return ms.ToArray();
    }

    /// <summary>The run as a .tar with its folder name as the top entry.</summary>
    public static byte[] Tar(string folder)
    {
        var ms = new MemoryStream();
        TarFile.CreateFromDirectory(folder, ms, includeBaseDirectory: true);
        return ms.ToArray();
    }

    /// <summary>The run as a .zip.</summary>
    public static byte[] Zip(string folder)
    {
        var path = Path.Combine(Temp.Root, Guid.NewGuid().ToString("N") + ".zip");
        ZipFile.CreateFromDirectory(folder, path);
        var bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }
}

/// <summary>A per-process temporary root, removed at exit.</summary>
public static class Temp
{
    /// <summary>The root folder.</summary>
    public static string Root { get; } = Create();

    /// <summary>A new empty folder under the root.</summary>
    public static string NewFolder(string name)
    {
        var f = Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(f);
        return f;
    }

    private static string Create()
    {
        var root = Path.Combine(Path.GetTempPath(), "neurocore-service-tests-" + Environment.ProcessId);
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { } };
        return root;
    }
}
