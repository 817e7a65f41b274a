using BenchmarkDotNet.Running;

// Run with: dotnet run -c Release --project benchmarks/NeuroCore.Visualization.Benchmarks -- --filter '*'
// Quick check that it works: append --job dry (or --job short).
BenchmarkSwitcher.FromAssembly(typeof(NeuroCore.Visualization.Benchmarks.GltfExportBenchmarks).Assembly).Run(args);
