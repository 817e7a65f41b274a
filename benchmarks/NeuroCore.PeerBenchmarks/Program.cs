using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NeuroCore.PeerBenchmarks;

// dotnet run -c Release --project benchmarks/NeuroCore.PeerBenchmarks -- --filter '*'
// Peers that cannot run here are reported in one line each and left out, instead of crashing.
Peers.Report();
var skip = new List<string>();
if (Peers.TorchSharpProblem is not null) skip.Add("TorchSharp");
if (Peers.OpenBlasProblem is not null) skip.Add("OpenBLAS");
var config = DefaultConfig.Instance.AddFilter(new BenchmarkDotNet.Filters.SimpleFilter(b => !skip.Contains(b.Descriptor.WorkloadMethod.Name)));
// In process: BenchmarkDotNet's usual child build copies libLibTorchSharp.so afresh, without the GLIBCXX
// patch this project's build applies to its own output (see the .csproj), and TorchSharp would not load there.
if (!args.Contains("--inProcess", StringComparer.OrdinalIgnoreCase)) args = [.. args, "--inProcess"];
BenchmarkSwitcher.FromAssembly(typeof(Peers).Assembly).Run(args, config);

namespace NeuroCore.PeerBenchmarks
{
    /// <summary>Adds a GFLOP/s column for benchmarks whose class exposes a <c>Flops</c> count.</summary>
    public sealed class GflopsConfig : ManualConfig
    {
        /// <summary>Creates the configuration.</summary>
        public GflopsConfig() => AddColumn(RateColumn.Gflops);
    }

    /// <summary>A rate column: work per invocation (from the benchmark case) / mean time.</summary>
    public sealed class RateColumn(string name, string legend, Func<BenchmarkCase, double?> work) : IColumn
    {
        /// <summary>GFLOP/s = 2·M·N·K / mean, from a "MxKxN" Shape parameter.</summary>
        public static readonly RateColumn Gflops = new("GFLOP/s", "Billions of floating-point operations per second (2·M·N·K / Mean)",
            c => c.Parameters["Shape"] is string shape ? shape.Split('x').Select(double.Parse).Aggregate(2.0, (x, y) => x * y) : null);

        public string Id => "Rate:" + name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Statistics;
        public int PriorityInCategory => 100;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => legend;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            return work(benchmarkCase) is double w && w > 0 && mean is double ns && ns > 0
                ? (w / ns).ToString("N1", System.Globalization.CultureInfo.InvariantCulture) : "-";
        }
    }
}
