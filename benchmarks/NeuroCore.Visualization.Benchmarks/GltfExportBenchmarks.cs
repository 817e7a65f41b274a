using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NeuroCore.Visualization.Gltf;
using NeuroCore.Visualization.Model;
using NeuroCore.Visualization.Tests.Infrastructure;

namespace NeuroCore.Visualization.Benchmarks;

/// <summary>
/// glTF export of a 784-256-10 network with the default 50,000-connection budget: one step
/// (goal &lt; 200 ms) and a 100-snapshot timeline (goal &lt; 3 s). The "File size" column is the .glb
/// written by the benchmarked call; allocated memory shows that memory follows the budget × snapshots,
/// not the full weight matrices.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SizeConfig))]
public class GltfExportBenchmarks
{
    private InMemorySnapshotSource _run1 = null!;
    private InMemorySnapshotSource _run100 = null!;
    private string _dir = null!;

    /// <summary>The connection budget.</summary>
    [Params(50_000)]
    public int MaxConnections { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _run1 = SyntheticRun.Dense([784, 256, 10], snapshots: 1);
        _run100 = SyntheticRun.Dense([784, 256, 10], snapshots: 100);
        _dir = Path.Combine(Path.GetTempPath(), "neurocore-gltf-bench");
        Directory.CreateDirectory(_dir);
    }

    [Benchmark(Description = "one step, 784-256-10")]
    public long OneStep() => Write(GltfExporter.ExportStep(_run1, _run1.Steps[0], Path.Combine(_dir, "step.glb"), new SceneOptions { MaxConnections = MaxConnections }));

    [Benchmark(Description = "timeline, 100 snapshots")]
    public long Timeline100() => Write(GltfExporter.ExportTimeline(_run100, Path.Combine(_dir, "timeline.glb"), new SceneOptions { MaxConnections = MaxConnections }));

    private static long Write(IReadOnlyList<string> files)
    {
        var bytes = files.Sum(f => new FileInfo(f).Length);
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(files[0])!, Path.GetFileNameWithoutExtension(files[0]) + ".size"), bytes.ToString());
        return bytes;
    }

    private sealed class SizeConfig : ManualConfig
    {
        public SizeConfig() => AddColumn(new FileSizeColumn());
    }

    /// <summary>Shows the size of the file the benchmark wrote (read from the ".size" note it leaves).</summary>
    private sealed class FileSizeColumn : IColumn
    {
        public string Id => nameof(FileSizeColumn);
        public string ColumnName => "File size";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Size;
        public string Legend => "Size of the written .glb";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var name = benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(OneStep) ? "step" : "timeline";
            var path = Path.Combine(Path.GetTempPath(), "neurocore-gltf-bench", name + ".size");
            return File.Exists(path) && long.TryParse(File.ReadAllText(path), out var b) ? $"{b / 1048576.0:0.0} MiB" : "?";
        }
    }
}
