using BenchmarkDotNet.Running;

// Run with: dotnet run -c Release --project benchmarks/NeuroCore.Benchmarks -- --filter '*'
// and: dotnet run -c Release --project benchmarks/NeuroCore.Benchmarks -- allocations  (bytes per step, by phase)
if (args is ["allocations"]) NeuroCore.Benchmarks.AllocationAccount.Run();
else BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
