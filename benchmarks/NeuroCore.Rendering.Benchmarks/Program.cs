using BenchmarkDotNet.Running;

// Run with: dotnet run -c Release --project benchmarks/NeuroCore.Rendering.Benchmarks -- --filter '*'
// Quick check: ... -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
