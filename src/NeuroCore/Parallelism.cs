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
        int helpers = Workers.TryPost(job, threads - 1);
        try
        {
            // Helpers the resident workers could not provide (they are busy with an enclosing call, or more
            // threads were asked for than the machine has cores) come from the thread pool.
            for (int t = helpers + 1; t < threads; t++) ThreadPool.UnsafeQueueUserWorkItem(static j => j.Work(), job, preferLocal: false);
            job.Work();
            job.Wait();
        }
        finally
        {
            if (helpers > 0) Workers.Release();
        }
    }

    /// <summary>
    /// Resident helper threads (one fewer than the cores) that spin briefly after each call before they
    /// sleep. Kernel calls in a training step follow each other within microseconds, and a thread-pool
    /// worker takes about as long to wake up as a small call lasts (a 1M-element ReLU, a conv layer's
    /// pooling); a spinning helper picks up the next call at once. One call at a time uses them: a
    /// nested or concurrent call gets thread-pool helpers instead.
    /// </summary>
    private static class Workers
    {
        // How long a helper keeps polling for the next call before it blocks (about 0.1 ms: longer than
        // the gaps between the kernels of a step, short enough not to burn a core when work stops).
        private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 10_000;

        private static readonly Lock StartLock = new();
        private static Worker[] _workers = [];
        private static int _busy;

        /// <summary>Hands <paramref name="job"/> to up to <paramref name="wanted"/> resident helpers; returns how many took it.</summary>
        public static int TryPost(Job job, int wanted)
        {
            if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return 0;
            var workers = _workers;
            if (workers.Length < Math.Min(wanted, Environment.ProcessorCount - 1)) workers = Start(Math.Min(wanted, Environment.ProcessorCount - 1));
            int n = Math.Min(wanted, workers.Length);
            if (n == 0)
            {
                Volatile.Write(ref _busy, 0);
                return 0;
            }
            for (int i = 0; i < n; i++) workers[i].Post(job);
            return n;
        }

        public static void Release() => Volatile.Write(ref _busy, 0);

        private static Worker[] Start(int count)
        {
            lock (StartLock)
            {
                if (_workers.Length >= count) return _workers;
                var grown = new Worker[count];
                Array.Copy(_workers, grown, _workers.Length);
                for (int i = _workers.Length; i < count; i++) grown[i] = new Worker(i + 1);
                _workers = grown;
                return grown;
            }
        }

        private sealed class Worker
        {
            private Job? _posted;
            private int _sleeping;
            private readonly SemaphoreSlim _wake = new(0);

            public Worker(int index)
            {
                var thread = new Thread(Run) { IsBackground = true, Name = $"NeuroCore worker {index}" };
                thread.Start();
            }

            public void Post(Job job)
            {
                Volatile.Write(ref _posted, job);
                // The worker sets _sleeping before its last look at _posted, so either it sees the job or we see it asleep.
                if (Interlocked.Exchange(ref _sleeping, 0) == 1) _wake.Release();
            }

            private void Run()
            {
                while (true)
                {
                    long start = System.Diagnostics.Stopwatch.GetTimestamp();
                    Job? job;
                    while ((job = Interlocked.Exchange(ref _posted, null)) is null)
                    {
                        if (System.Diagnostics.Stopwatch.GetTimestamp() - start < SpinTicks)
                        {
                            Thread.SpinWait(20);
                            continue;
                        }
                        Volatile.Write(ref _sleeping, 1);
                        Interlocked.MemoryBarrier();
                        if ((job = Interlocked.Exchange(ref _posted, null)) is not null)
                        {
                            // A post raced with going to sleep: if it also saw us asleep it released the semaphore; take that back.
                            if (Interlocked.Exchange(ref _sleeping, 0) == 0) _wake.Wait();
                            break;
                        }
                        _wake.Wait();
                        start = System.Diagnostics.Stopwatch.GetTimestamp();
                    }
                    job.Work();
                }
            }
        }
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
