using System.Runtime.ExceptionServices;

namespace NeuroCore;

/// <summary>
/// How many threads NeuroCore's compute kernels (matrix products, convolutions) may use.
/// </summary>
/// <remarks>
/// Kernels split their work by output blocks, so every output element is computed by exactly one
/// thread in a fixed order: results are bit-for-bit identical for any <see cref="MaxThreads"/>.
/// The default is <see cref="Environment.ProcessorCount"/>, or the value of the environment variable
/// <c>NEUROCORE_NUM_THREADS</c> when it holds a positive integer (read once, at first use).
/// </remarks>
public static class Parallelism
{
    private static int _maxThreads = ReadDefault();

    /// <summary>
    /// The largest number of threads a single kernel call uses (at least 1). Set it to 1 to keep all
    /// work on the calling thread; setting a value below 1 throws.
    /// </summary>
    public static int MaxThreads
    {
        get => Volatile.Read(ref _maxThreads);
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), $"MaxThreads must be at least 1, got {value}.");
            Volatile.Write(ref _maxThreads, value);
        }
    }

    private static int ReadDefault()
    {
        var env = Environment.GetEnvironmentVariable("NEUROCORE_NUM_THREADS");
        return int.TryParse(env, out int n) && n > 0 ? n : Math.Max(1, Environment.ProcessorCount);
    }

    /// <summary>
    /// Runs <paramref name="body"/>(i) for i in [0, <paramref name="count"/>), spreading the calls over
    /// at most <paramref name="maxThreads"/> (0: <see cref="MaxThreads"/>) threads, the caller included,
    /// and returns when all are done.
    /// </summary>
    /// <remarks>
    /// Lighter than Parallel.For for the few coarse parts kernels use: parts are claimed from a shared
    /// counter, the calling thread claims too (so progress never depends on the thread pool starting
    /// a worker), and with one part or one thread everything runs inline with no synchronization.
    /// The first exception thrown by a part is rethrown on the caller.
    /// </remarks>
    internal static void For(int count, Action<int> body, int maxThreads = 0)
    {
        int threads = Math.Min(maxThreads > 0 ? maxThreads : MaxThreads, count);
        if (threads <= 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        var job = new Job(count, body);
        for (int t = 1; t < threads; t++) ThreadPool.UnsafeQueueUserWorkItem(static j => j.Work(), job, preferLocal: false);
        job.Work();
        job.Wait();
    }

    private sealed class Job(int count, Action<int> body)
    {
        private int _next = -1;
        private int _done;
        private ExceptionDispatchInfo? _error;

        public void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref _next)) < count)
            {
                try
                {
                    if (_error is null) body(i);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
                }
                finally
                {
                    Interlocked.Increment(ref _done);
                }
            }
        }

        public void Wait()
        {
            var spin = new SpinWait();
            // No Sleep(1): parts last microseconds to milliseconds and a 1 ms nap would dominate small calls.
            while (Volatile.Read(ref _done) < count) spin.SpinOnce(sleep1Threshold: -1);
            _error?.Throw();
        }
    }
}
