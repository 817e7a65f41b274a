using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeuroCore.Data;
using NeuroCore.Embeddings;

// A bounded benchmark program (not BenchmarkDotNet: one t-SNE run takes seconds to minutes, and the peer is a
// Python process): each case runs NeuroCore and, where it runs, scikit-learn 1.2 on the same machine in the same
// invocation, and prints one Markdown row with time, trustworthiness (k = 10) and kNN accuracy (k = 10).
// Usage: dotnet run -c Release --project benchmarks/NeuroCore.Embeddings.Benchmarks -- [digits] [fashion10k] [fashion70k] [word2vec] [--no-sklearn]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var cases = args.Where(a => !a.StartsWith("--")).ToHashSet();
if (cases.Count == 0) cases = ["digits"];
bool sklearn = !args.Contains("--no-sklearn");
Console.WriteLine($"# NeuroCore embeddings benchmark, {DateTime.UtcNow:u}, {Environment.ProcessorCount} cores, NeuroCore threads {NeuroCore.Parallelism.MaxThreads}");
Console.WriteLine("| case | implementation | dims | N | seconds (wall) | CPU seconds | trustworthiness k=10 | kNN accuracy k=10 | KL | peak working set MB |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");

// Warm-up (JIT, resident worker threads) on a small random set, so the first measured case does not pay for it.
{
    var rng = new Random(1);
    var warm = EmbeddingInput.FromRows(Enumerable.Range(0, 300 * 8).Select(_ => (float)rng.NextDouble()).ToArray(), 300, 8);
    foreach (int dims in new[] { 2, 3 }) Tsne.Fit(warm, new TsneOptions { Dimensions = dims, Iterations = 60 });
}
if (cases.Contains("digits"))
{
    var digits = SklearnDatasets.LoadDigits();
    var x = EmbeddingInput.FromTensor(digits.Data.Inputs);
    var labels = digits.Data.Targets.ToLongArray().Select(v => (int)v).ToArray();
    foreach (int dims in new[] { 2, 3 })
    {
        RunOurs("digits", x, labels, dims, sampleRows: 0);
        if (sklearn) RunSklearn("digits", dims);
    }
}
if (cases.Contains("fashion10k") || cases.Contains("fashion70k"))
{
    var fashion = FashionMnist.Load(flat: true);
    if (cases.Contains("fashion10k"))
    {
        var x = EmbeddingInput.FromTensor(fashion.Test.Inputs);
        var labels = fashion.Test.Targets.ToLongArray().Select(v => (int)v).ToArray();
        RunOurs("fashion-mnist test", x, labels, 3, sampleRows: 2000, pcaDims: 50);
    }
    if (cases.Contains("fashion70k"))
    {
        var all = fashion.Train.Inputs.ToArray().Concat(fashion.Test.Inputs.ToArray()).ToArray();
        int n = fashion.Train.Count + fashion.Test.Count;
        var x = EmbeddingInput.FromRows(all, n, all.Length / n);
        var labels = fashion.Train.Targets.ToLongArray().Concat(fashion.Test.Targets.ToLongArray()).Select(v => (int)v).ToArray();
        foreach (int dims in new[] { 2, 3 }) RunOurs("fashion-mnist all", x, labels, dims, sampleRows: 2000, pcaDims: 50);
    }
}
if (cases.Contains("word2vec")) Word2VecBenchmark.Run();

static void RunOurs(string name, EmbeddingInput x, int[] labels, int dims, int sampleRows, int? pcaDims = null)
{
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var result = Tsne.Fit(x, new TsneOptions { Dimensions = dims, Seed = 0, PcaDimensions = pcaDims });
    double seconds = clock.Elapsed.TotalSeconds;
    // CPU time tells what the run costs when other processes share the cores (wall time then overstates it).
    double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
    double trust = EmbeddingMetrics.Trustworthiness(x, result.Coordinates, dims, 10, sampleRows);
    double knn = EmbeddingMetrics.KnnAccuracy(result.Coordinates, dims, labels, 10, sampleRows);
    long peak = Process.GetCurrentProcess().PeakWorkingSet64 >> 20;
    string sampled = sampleRows > 0 ? $" ({sampleRows} sampled rows)" : "";
    string pca = pcaDims is { } p && x.Dimensions > p ? $", kNN on PCA-{p}" : "";
    Console.WriteLine($"| {name} | NeuroCore (affinities {result.AffinitySeconds:F2} s{pca}) | {dims} | {x.Count} | {seconds:F2} | {cpu:F2} | {trust:F4}{sampled} | {knn:F4}{sampled} | {result.KlDivergence:F3} | {peak} |");
}

static void RunSklearn(string name, int dims)
{
    var script = Path.Combine(AppContext.BaseDirectory, "sklearn_tsne.py");
    var psi = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3", [script, name, dims.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true, RedirectStandardError = true };
    Process process;
    try { process = Process.Start(psi)!; }
    catch (System.ComponentModel.Win32Exception e) { Console.WriteLine($"| {name} | scikit-learn: not run ({e.Message}) | {dims} | | | | | | | |"); return; }
    string output = process.StandardOutput.ReadToEnd();
    string error = process.StandardError.ReadToEnd();
    if (!process.WaitForExit(TimeSpan.FromMinutes(15))) { process.Kill(); Console.WriteLine($"| {name} | scikit-learn: timed out | {dims} | | | | | | | |"); return; }
    if (process.ExitCode != 0) { Console.WriteLine($"| {name} | scikit-learn: failed ({error.Trim().Split('\n').LastOrDefault()}) | {dims} | | | | | | | |"); return; }
    var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
    Console.WriteLine($"| {name} | scikit-learn 1.2.1 | {dims} | {json.GetProperty("n").GetInt32()} | {json.GetProperty("seconds").GetDouble():F2} | {json.GetProperty("cpu").GetDouble():F2} | {json.GetProperty("trustworthiness").GetDouble():F4} | {json.GetProperty("knn").GetDouble():F4} | | |");
}
