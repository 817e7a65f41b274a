// Load and scale-out measurements of the render service, on 127.0.0.1 only, bounded in count and time.
//   dotnet run -c Release --project benchmarks/NeuroCore.Service.LoadBenchmarks -- load [--clients 50] [--rounds 3]
//   dotnet run -c Release --project benchmarks/NeuroCore.Service.LoadBenchmarks -- scaleout postgres://user:pass@127.0.0.1:5432/db
// 'load': one 'neurocore serve' (embedded SQLite, 2 workers); N clients each upload a run, request a render, poll its
// status until done and download the result, R times, while videos render in the background. Reports throughput,
// p50/p99 latency of GET /api/jobs/{id}, and errors. 'scaleout': one video rendered by 1 worker, then by 2 workers.
// This is a load generator, not a BenchmarkDotNet benchmark: it measures a whole service under concurrent traffic.
using NeuroCore.Service.LoadBenchmarks;

string mode = args.Length > 0 ? args[0] : "load";
int Option(string name, int fallback) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
return mode switch
{
    "load" => await LoadRun.RunAsync(Option("--clients", 50), Option("--rounds", 3)),
    "scaleout" when args.Length > 1 => await ScaleOutRun.RunAsync(args[1]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: load [--clients N] [--rounds R] | scaleout postgres://user:pass@127.0.0.1:5432/db");
    return 2;
}
