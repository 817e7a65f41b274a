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
        public GflopsConfig() => AddColumn(new GflopsColumn());
    }

    /// <summary>GFLOP/s = 2·M·N·K / mean time.</summary>
    public sealed class GflopsColumn : IColumn
    {
        public string Id => nameof(GflopsColumn);
        public string ColumnName => "GFLOP/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Statistics;
        public int PriorityInCategory => 100;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Billions of floating-point operations per second (2·M·N·K / Mean)";
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var shape = benchmarkCase.Parameters["Shape"] as string;
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (shape is null || mean is not double ns || ns <= 0) return "-";
            var d = shape.Split('x').Select(double.Parse).ToArray();
            return (2 * d[0] * d[1] * d[2] / ns).ToString("N1", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
