using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeuroCore.Data;
using NeuroCore.Embeddings;

// A bounded benchmark program (not BenchmarkDotNet: one t-SNE run takes seconds to minutes, and the peer is a
// Python process): each case runs NeuroCore and, where it runs, scikit-learn 1.2 on the same machine in the same
// invocation, and prints one Markdown row with time, trustworthiness (k = 10) and kNN accuracy (k = 10).
// Usage: dotnet run -c Release --project benchmarks/NeuroCore.Embeddings.Benchmarks -- [digits] [fashion10k] [fashion70k] [crossover] [word2vec]
//        [--no-sklearn] [--method auto|exact|barneshut] [--compare]
// --method fixes t-SNE's gradient method (default auto); --compare runs every t-SNE case with both methods.
// crossover: optimization time per iteration of the exact and the Barnes-Hut gradient on Fashion-MNIST subsets, to place
// TsneOptions.ExactCrossover.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string? methodArg = args.SkipWhile(a => a != "--method").Skip(1).FirstOrDefault();
var methods = args.Contains("--compare")
    ? new[] { TsneGradientMethod.Exact, TsneGradientMethod.BarnesHut }
    : new[] { methodArg switch { null or "auto" => TsneGradientMethod.Auto, "exact" => TsneGradientMethod.Exact, "barneshut" => TsneGradientMethod.BarnesHut, _ => throw new ArgumentException($"--method {methodArg}: expected auto, exact or barneshut") } };
var cases = args.Where(a => !a.StartsWith("--") && a != methodArg).ToHashSet();
if (cases.Count == 0) cases = ["digits"];
bool sklearn = !args.Contains("--no-sklearn");
Console.WriteLine($"# NeuroCore embeddings benchmark, {DateTime.UtcNow:u}, {Environment.ProcessorCount} cores, NeuroCore threads {NeuroCore.Parallelism.MaxThreads}");
Console.WriteLine("| case | implementation | dims | N | seconds (wall) | CPU seconds | trustworthiness k=10 | kNN accuracy k=10 | KL | peak working set MB |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");

// Warm-up (JIT, resident worker threads) on a small random set, so the first measured case does not pay for it: both
// methods, twice, then a pause, so that the runtime's tiered compilation has replaced the first, unoptimized code of
// everything called (System.Numerics.Tensors included) before the clock starts — as BenchmarkDotNet's warm-up would.
{
    var rng = new Random(1);
    var warm = EmbeddingInput.FromRows(Enumerable.Range(0, 400 * 8).Select(_ => (float)rng.NextDouble()).ToArray(), 400, 8);
    for (int round = 0; round < 2; round++)
        foreach (int dims in new[] { 2, 3 })
            foreach (var m in new[] { TsneGradientMethod.Exact, TsneGradientMethod.BarnesHut })
                Tsne.Fit(warm, new TsneOptions { Dimensions = dims, Iterations = 60, Method = m });
    Thread.Sleep(500);
}
if (cases.Contains("digits"))
{
    var digits = SklearnDatasets.LoadDigits();
    var x = EmbeddingInput.FromTensor(digits.Data.Inputs);
    var labels = digits.Data.Targets.ToLongArray().Select(v => (int)v).ToArray();
    foreach (int dims in new[] { 2, 3 })
    {
        foreach (var m in methods) RunOurs("digits", x, labels, dims, sampleRows: 0, method: m);
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
        foreach (var m in methods) RunOurs("fashion-mnist test", x, labels, 3, sampleRows: 2000, pcaDims: 50, method: m);
    }
    if (cases.Contains("fashion70k"))
    {
        var all = fashion.Train.Inputs.ToArray().Concat(fashion.Test.Inputs.ToArray()).ToArray();
        int n = fashion.Train.Count + fashion.Test.Count;
        var x = EmbeddingInput.FromRows(all, n, all.Length / n);
        var labels = fashion.Train.Targets.ToLongArray().Concat(fashion.Test.Targets.ToLongArray()).Select(v => (int)v).ToArray();
        foreach (int dims in new[] { 2, 3 })
            foreach (var m in methods) RunOurs("fashion-mnist all", x, labels, dims, sampleRows: 2000, pcaDims: 50, method: m);
    }
}
if (cases.Contains("crossover")) Crossover();
if (cases.Contains("word2vec")) Word2VecBenchmark.Run();

// Milliseconds per optimization iteration of both gradient methods on the first N Fashion-MNIST test images (kNN on
// PCA-50), 300 iterations (early exaggeration and 50 more) from the same PCA start, for N around the crossover.
static void Crossover()
{
    var fashion = FashionMnist.Load(flat: true);
    var all = fashion.Train.Inputs.ToArray().Concat(fashion.Test.Inputs.ToArray()).ToArray();
    int total = fashion.Train.Count + fashion.Test.Count, features = all.Length / total;
    Console.WriteLine();
    Console.WriteLine("| N | dims | exact ms/iteration | Barnes-Hut ms/iteration | exact / Barnes-Hut |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (int n in new[] { 1000, 2000, 5000, 10000, 20000, 40000 })
    {
        var x = EmbeddingInput.FromRows(all.AsSpan(0, n * features).ToArray(), n, features);
        x = EmbeddingInput.FromRows(Pca.Fit(x, 50, seed: 0).Transform(x), n, 50);
        var p = PerplexityCalibration.Joint(NearestNeighbors.Find(x, 90), 30);
        foreach (int dims in new[] { 2, 3 })
        {
            var start = Pca.Fit(x, dims, seed: 0).Transform(x);
            double scale = 1e-4 / Math.Sqrt(Enumerable.Range(0, n).Average(i => (double)start[i * dims] * start[i * dims]));
            for (int e = 0; e < start.Length; e++) start[e] = (float)(start[e] * scale);
            var perIteration = new Dictionary<TsneGradientMethod, double>();
            foreach (var m in new[] { TsneGradientMethod.Exact, TsneGradientMethod.BarnesHut })
            {
                var r = Tsne.Fit(p, start, new TsneOptions { Dimensions = dims, Iterations = 300, Method = m });
                perIteration[m] = 1000 * r.OptimizationSeconds / 300;
            }
            double ex = perIteration[TsneGradientMethod.Exact], bh = perIteration[TsneGradientMethod.BarnesHut];
            Console.WriteLine($"| {n} | {dims} | {ex:F2} | {bh:F2} | {ex / bh:F2} |");
        }
    }
}

static void RunOurs(string name, EmbeddingInput x, int[] labels, int dims, int sampleRows, int? pcaDims = null, TsneGradientMethod method = TsneGradientMethod.Auto)
{
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var options = new TsneOptions { Dimensions = dims, Seed = 0, PcaDimensions = pcaDims, Method = method };
    var result = Tsne.Fit(x, options);
    double seconds = clock.Elapsed.TotalSeconds;
    // CPU time tells what the run costs when other processes share the cores (wall time then overstates it).
    double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
    double trust = EmbeddingMetrics.Trustworthiness(x, result.Coordinates, dims, 10, sampleRows);
    double knn = EmbeddingMetrics.KnnAccuracy(result.Coordinates, dims, labels, 10, sampleRows);
    long peak = Process.GetCurrentProcess().PeakWorkingSet64 >> 20;
    string sampled = sampleRows > 0 ? $" ({sampleRows} sampled rows)" : "";
    string pca = pcaDims is { } p && x.Dimensions > p ? $", kNN on PCA-{p}" : "";
    string used = options.MethodFor(x.Count) == TsneGradientMethod.Exact ? "exact" : "Barnes-Hut";
    Console.WriteLine($"| {name} | NeuroCore {used}{(method == TsneGradientMethod.Auto ? " (auto)" : "")} (affinities {result.AffinitySeconds:F2} s{pca}) | {dims} | {x.Count} | {seconds:F2} | {cpu:F2} | {trust:F4}{sampled} | {knn:F4}{sampled} | {result.KlDivergence:F3} | {peak} |");
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
