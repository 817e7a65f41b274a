// Trains a small spiral classifier and streams its run to a NeuroCore service while it records.
//   dotnet run -c Release --project samples/LiveRecording -- http://127.0.0.1:5080 my-run [API_KEY] [--epochs N] [--pause-ms MS]
// The recorder writes runs/<run id> locally as always; RunUploader sends each new snapshot to the service.
using NeuroCore;
using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Service.Client;
using NeuroCore.Snapshots;
using NeuroCore.Training;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: LiveRecording SERVER_URL RUN_ID [API_KEY] [--epochs N] [--pause-ms MS] [--folder DIR]");
    return 2;
}
var server = new Uri(args[0]);
string runId = args[1];
string? apiKey = args.Length > 2 && !args[2].StartsWith("--") ? args[2] : null;
int epochs = Option("--epochs", 40);
int pauseMs = Option("--pause-ms", 0);
string folder = OptionString("--folder", Path.Combine("runs", runId));

Generator.ManualSeed(0);
var data = SyntheticData.Spiral(pointsPerClass: 60, classes: 3);
var loader = new DataLoader(data, batchSize: 30, shuffle: true);
var model = new Sequential(new Linear(2, 12), new Tanh(), new Linear(12, 3));
var optimizer = new Adam(model.Parameters(), learningRate: 0.02f);
var recorder = new SnapshotRecorder(folder, new SnapshotRecorderOptions
{
    Schedule = SnapshotSchedule.Every(3), Overwrite = true, Probe = ProbeBatch.FromDataset(data, 8),
    Dataset = new DatasetInfo { Name = "spiral", Count = data.Count, InputShape = [2], Classes = 3 },
});
await using var upload = recorder.ToServer(server, apiKey, runId);
new Trainer(model, optimizer).With(recorder).With(new Pause(pauseMs)).Fit(loader, epochs);
await upload.CompleteAsync(TimeSpan.FromMinutes(3));
Console.WriteLine($"streamed {recorder.Written.Count} snapshots to {server} as '{runId}': {upload.SnapshotsUploaded} acknowledged, {upload.Retries} retries{(upload.LastError is { } e ? $" (last error: {e})" : "")}");
return 0;

int Option(string name, int fallback) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
string OptionString(string name, string fallback) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;

/// <summary>Slows training down (per epoch) so that a stream can be watched, or interrupted, while it runs.</summary>
sealed class Pause(int milliseconds) : ITrainingCallback
{
    public void OnEpochEnd(TrainingContext context, EpochMetrics epoch) { if (milliseconds > 0) Thread.Sleep(milliseconds); }
}
