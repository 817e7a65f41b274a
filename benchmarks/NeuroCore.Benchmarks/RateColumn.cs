using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NeuroCore.Benchmarks;

/// <summary>
/// A throughput column: the work one invocation does (flops, bytes, steps) divided by the mean time.
/// One class serves GFLOP/s, GB/s and Steps/s so that every benchmark reports rates the same way.
/// </summary>
public sealed class RateColumn(string name, string legend, Func<BenchmarkCase, double?> workPerInvocation, double perNanosecond) : IColumn
{
    /// <summary>GFLOP/s from a <see cref="GemmShape"/> or <see cref="IFlopCount"/> parameter (flop per ns = GFLOP/s).</summary>
    public static readonly RateColumn Gflops = new("GFLOP/s",
        "Billions of floating-point operations per second (2·M·N·K per GEMM) at the mean time", FlopsOf, 1);

    /// <summary>GB/s from a method's <see cref="BytesMovedAttribute"/> (byte per ns = 10⁹ bytes/s).</summary>
    public static readonly RateColumn GigabytesPerSecond = new("GB/s",
        "Bytes read and written per invocation / Mean, in 10^9 bytes per second",
        c => c.Descriptor.WorkloadMethod.GetCustomAttribute<BytesMovedAttribute>()?.Bytes, 1);

    /// <summary>Training steps per second: one step per invocation.</summary>
    public static readonly RateColumn StepsPerSecond = new("Steps/s", "Training steps per second (1 / Mean)", _ => 1, 1e9);

    /// <inheritdoc />
    public string Id => "Rate:" + name;
    /// <inheritdoc />
    public string ColumnName => name;
    /// <inheritdoc />
    public bool AlwaysShow => true;
    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Statistics;
    /// <inheritdoc />
    public int PriorityInCategory => 100;
    /// <inheritdoc />
    public bool IsNumeric => true;
    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;
    /// <inheritdoc />
    public string Legend => legend;
    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;
    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var work = workPerInvocation(benchmarkCase);
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return work is double w && w > 0 && mean is double ns && ns > 0
            ? (w / ns * perNanosecond).ToString("N1", CultureInfo.InvariantCulture)
            : "-";
    }

    private static double? FlopsOf(BenchmarkCase benchmarkCase)
    {
        foreach (var p in benchmarkCase.Parameters.Items)
        {
            if (p.Value is GemmShape g) return g.Flops;
            if (p.Value is IFlopCount f) return f.Flops;
        }
        return null;
    }
}

/// <summary>Adds the GFLOP/s column.</summary>
public sealed class GflopsConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public GflopsConfig() => AddColumn(RateColumn.Gflops);
}

/// <summary>Adds the GB/s column.</summary>
public sealed class GigabytesPerSecondConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public GigabytesPerSecondConfig() => AddColumn(RateColumn.GigabytesPerSecond);
}

/// <summary>Adds the Steps/s column.</summary>
public sealed class StepsPerSecondConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public StepsPerSecondConfig() => AddColumn(RateColumn.StepsPerSecond);
}

/// <summary>A parameter that knows how many floating-point operations one benchmark invocation performs.</summary>
public interface IFlopCount
{
    /// <summary>Floating-point operations per invocation.</summary>
    double Flops { get; }
}
