using System.Collections.Concurrent;
using NeuroCore.Visualization.Encoding;

namespace NeuroCore.Visualization.Rendering;

/// <summary>
/// The encode pipeline both renderers (MLP frames and convolutional frames) share: frames are rendered and encoded
/// in parallel batches by pooled workers (a worker owns its canvas and network copy), then written in order.
/// </summary>
internal static class FramePipeline
{
    /// <summary>
    /// Renders frames <paramref name="first"/> .. <paramref name="first"/> + <paramref name="total"/> − 1 with
    /// <paramref name="render"/> (a worker and a frame index in, RGBA pixels out) and hands them to
    /// <paramref name="sink"/> in order; completes the sink at the end.
    /// </summary>
    internal static void Run<TWorker>(FrameSink sink, int first, int total, int maxParallelism, Func<TWorker> newWorker,
        Func<TWorker, int, byte[]> render, IProgress<RenderProgress>? progress, CancellationToken cancellationToken)
        where TWorker : IDisposable
    {
        int parallelism = Math.Clamp(maxParallelism, 1, 64);
        var workers = new ConcurrentBag<TWorker>();
        try
        {
            // Batches of a few frames per worker: render and encode in parallel, then write in order.
            int batch = parallelism * 2;
            var encoded = new byte[batch][];
            progress?.Report(new RenderProgress(0, total));
            for (int start = 0; start < total; start += batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int n = Math.Min(batch, total - start);
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, k =>
                {
                    if (!workers.TryTake(out var worker)) worker = newWorker();
                    try
                    {
                        int frame = first + start + k;
                        encoded[k] = sink.Encode(frame, render(worker, frame));
                    }
                    finally { workers.Add(worker); }
                });
                for (int k = 0; k < n; k++)
                {
                    sink.Write(first + start + k, encoded[k]);
                    encoded[k] = null!;
                    progress?.Report(new RenderProgress(start + k + 1, total));
                }
            }
            sink.Complete();
        }
        finally
        {
            foreach (var w in workers) w.Dispose();
        }
    }
}
