using NeuroCore.NN;
using NeuroCore.Optim;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Benchmarks;

/// <summary>
/// Where the managed bytes of a steady training step go: each phase of the three benchmark models' step
/// (zero-grad, forward, loss, backward, Adam, reading the loss) measured with
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/> (all threads, precise), on 1 and 2 threads — the difference
/// between the two is what splitting kernels over threads costs (a job and a closure per parallel call).
/// Run: dotnet run -c Release --project benchmarks/NeuroCore.Benchmarks -- allocations
/// </summary>
internal static class AllocationAccount
{
    private static readonly string[] Phases = ["zero-grad", "forward", "loss", "backward", "Adam step", "loss.Item()"];

    public static void Run()
    {
        Console.WriteLine("Managed bytes per steady training step, by phase (median of 200 steps after 50 warm-up steps)");
        Console.WriteLine();
        Console.WriteLine($"| model | threads | {string.Join(" | ", Phases)} | total |");
        Console.WriteLine($"|---|---|{string.Concat(Enumerable.Repeat("---|", Phases.Length))}---|");
        foreach (int threads in new[] { 1, 2 })
        {
            Parallelism.MaxThreads = threads;
            var g = new Generator(0);
            foreach (var (name, make) in new (string, Func<Generator, (Module, Tensor, int)>)[]
                     {
                         ("MLP 784-256-10, batch 64", Models.MlpSmall), ("MLP 784-512-256-10, batch 256", Models.MlpLarge),
                         ("CNN, batch 64", Models.Cnn),
                     })
            {
                var (model, x, batch) = make(g);
                var labels = new long[batch];
                for (int i = 0; i < batch; i++) labels[i] = i % 10;
                var y = Tensor.FromArray(labels);
                var opt = new Adam(model.Parameters(), learningRate: 1e-3f);
                var samples = Phases.Select(_ => new List<long>()).ToArray();
                for (int step = 0; step < 250; step++)
                {
                    long t0 = GC.GetTotalAllocatedBytes(precise: true);
                    opt.ZeroGrad(setToNone: false);
                    long t1 = GC.GetTotalAllocatedBytes(precise: true);
                    var logits = model.Call(x);
                    long t2 = GC.GetTotalAllocatedBytes(precise: true);
                    var loss = F.CrossEntropy(logits, y);
                    long t3 = GC.GetTotalAllocatedBytes(precise: true);
                    loss.Backward();
                    long t4 = GC.GetTotalAllocatedBytes(precise: true);
                    opt.Step();
                    long t5 = GC.GetTotalAllocatedBytes(precise: true);
                    _ = loss.Item();
                    long t6 = GC.GetTotalAllocatedBytes(precise: true);
                    if (step < 50) continue;
                    long[] d = [t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5];
                    for (int p = 0; p < d.Length; p++) samples[p].Add(d[p]);
                }
                var medians = samples.Select(s => s.Order().ElementAt(s.Count / 2)).ToArray();
                Console.WriteLine($"| {name} | {threads} | {string.Join(" | ", medians.Select(Format))} | {Format(medians.Sum())} |");
            }
        }
    }

    private static string Format(long bytes) => bytes >= 1024 ? $"{bytes / 1024.0:F1} KB" : $"{bytes} B";
}
