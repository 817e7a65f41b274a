// Viewer benchmark: time to first frame and scrubbing speed of a 784-256-10 run with 50,000 drawn
// connections, and the playground's live update rate for 2-16-16-3, in headless Chromium (software
// WebGL: a real GPU draws much faster). Not a test: it prints numbers for docs/performance.md.
//   dotnet run -c Release --project benchmarks/NeuroCore.Viewer.Benchmarks [-- --snapshots N --repeat R]
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using NeuroCore;
using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Snapshots;
using NeuroCore.Training;
using NeuroCore.Viewer;

int Arg(string name, int fallback) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback; }
var snapshots = Arg("--snapshots", 30);
var repeat = Arg("--repeat", 3);
var root = FindRoot();
var data = Path.Combine(Path.GetTempPath(), "neurocore-viewer-bench-" + Guid.NewGuid().ToString("N")[..8]);
var store = new FolderRunStore(data);

// A 784-256-10 MLP trained on random 28×28 inputs (what is drawn matters, not what is learnt).
var g = new Generator(0);
var x = new float[512 * 784];
for (var i = 0; i < x.Length; i++) x[i] = g.NextFloat();
var y = Enumerable.Range(0, 512).Select(i => (long)(i % 10)).ToArray();
var set = new TensorDataset(Tensor.FromArray(x, 512, 784), Tensor.FromArray(y, 512));
var model = new Sequential(new Linear(784, 256, generator: g), new ReLU(), new Linear(256, 10, generator: g));
var recorder = new SnapshotRecorder(store.CreateRunFolder("mlp-784"), new SnapshotRecorderOptions
{
    Schedule = SnapshotSchedule.Every(4),
    Probe = ProbeBatch.FromDataset(set, 8),
    Dataset = new DatasetInfo { Name = "random-28x28", Count = 512, InputShape = [784], Classes = 10 },
});
new Trainer(model, new Adam(model.Parameters(), 1e-3f)).With(recorder).Fit(new DataLoader(set, 64, shuffle: true), (snapshots - 1) * 4 / 8 + 1);
Console.WriteLine($"recorded {recorder.Written.Count} snapshots of 784-256-10 into {recorder.Folder}");

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
var app = builder.Build();
using var sessions = app.MapNeuroCoreViewer(store, new ViewerOptions { MaxConnectionBudget = 250_000 });
await app.StartAsync();
var url = app.Urls.First();

var results = new List<JsonElement>();
for (var r = 0; r < repeat; r++)
{
    results.Add(Run("bench", "--run", "mlp-784", "--budget", "50000"));
    results.Add(Run("playground-rate", "--query", "?dataset=spiral&layers=16,16"));
}
foreach (var e in results) Console.WriteLine(e);
await app.StopAsync();
try { Directory.Delete(data, true); } catch (IOException) { }
return 0;

JsonElement Run(string scenario, params string[] more)
{
    var psi = new ProcessStartInfo("node") { WorkingDirectory = Path.Combine(root, "tests", "js"), RedirectStandardOutput = true };
    foreach (var a in new[] { "viewer-e2e.mjs", scenario, "--url", url }.Concat(more)) psi.ArgumentList.Add(a);
    using var p = Process.Start(psi)!;
    var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{scenario} failed (exit {p.ExitCode})");
    return JsonDocument.Parse(lines[^1]).RootElement;
}

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NeuroCore.sln"))) dir = dir.Parent;
    return dir?.FullName ?? throw new InvalidOperationException("NeuroCore.sln not found");
}
