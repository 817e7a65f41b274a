using System.Diagnostics;

namespace NeuroCore;

/// <summary>
/// The pool that lets training reuse tensor memory from step to step instead of allocating it anew,
/// and its one knob, <see cref="MaxPooledBytes"/>.
/// </summary>
/// <remarks>
/// <para>
/// Nothing is ever disposed by the user. An array goes back into the pool only where NeuroCore can
/// prove that no user code can reach it any more:
/// </para>
/// <list type="bullet">
/// <item>gradients that the backward pass creates and consumes itself (a layer's input gradient,
/// ReLU's masked gradient), once the node that reads them has run;</item>
/// <item>a <see cref="NN.Sequential"/> model's intermediate activations between built-in layers
/// without forward hooks (nothing but the autograd graph sees them), once a
/// <see cref="Tensor.Backward"/> without <c>retainGraph</c> has freed that graph;</item>
/// <item>buffers an operation saves for its own backward (max pooling's argmax), when the graph node
/// that holds them is freed.</item>
/// </list>
/// <para>
/// Operations then take their outputs from the pool, so a steady training loop stops allocating large
/// arrays: no large-object-heap churn, no gen-2 collections and no page faults on fresh memory. Arrays
/// are pooled by exact length (a training step asks for the same sizes every time), and the pool keeps
/// at most <see cref="MaxPooledBytes"/>; what does not fit is left to the garbage collector. Sizes not
/// asked for in the last <see cref="IdleTrimSeconds"/> seconds are released at the next full (gen-2)
/// collection, so memory kept for a finished training run goes back once the application allocates
/// elsewhere; a steady training loop triggers no collections and keeps its arrays.
/// </para>
/// <para>
/// This class is only the pool. The rules above — which arrays come back, and when — live with their one
/// owner, <see cref="Memory.Recycler"/> (<c>Memory/Recycler.cs</c>), which the layers, the engine and the
/// optimizers report to through named hooks.
/// </para>
/// </remarks>
public static class TensorMemory
{
    private static readonly SizedPool<float> Floats = new();
    private static readonly SizedPool<int> Ints = new();
    private static long _maxPooledBytes = DefaultMaxPooledBytes;

    /// <summary>The default of <see cref="MaxPooledBytes"/>: 256 MiB.</summary>
    public const long DefaultMaxPooledBytes = 256L << 20;

    /// <summary>Arrays of a length nobody rented or returned for this long are released at the next gen-2 collection.</summary>
    public const int IdleTrimSeconds = 10;

    /// <summary>How many times the gen-2 trim has run (tests).</summary>
    internal static int TrimRuns;

    static TensorMemory() => _ = new Gen2Callback();

    // Finalized after every gen-2 collection (it re-registers itself and lives in gen 2), like the runtime's
    // own ArrayPool trimming.
    private sealed class Gen2Callback
    {
        ~Gen2Callback()
        {
            if (Environment.HasShutdownStarted) return;
            long idleSince = System.Diagnostics.Stopwatch.GetTimestamp() - IdleTrimSeconds * System.Diagnostics.Stopwatch.Frequency;
            Floats.TrimIdle(idleSince);
            Ints.TrimIdle(idleSince);
            Interlocked.Increment(ref TrimRuns);
            GC.ReRegisterForFinalize(this);
        }
    }

    /// <summary>Releases arrays of every length not rented or returned since <paramref name="timestamp"/> (a Stopwatch timestamp).</summary>
    internal static void TrimIdle(long timestamp)
    {
        Floats.TrimIdle(timestamp);
        Ints.TrimIdle(timestamp);
    }

    /// <summary>
    /// The most memory the pool keeps for reuse, in bytes (default <see cref="DefaultMaxPooledBytes"/>). Setting it lower trims the pool
    /// at once; 0 turns pooling off. Negative values throw.
    /// </summary>
    public static long MaxPooledBytes
    {
        get => Interlocked.Read(ref _maxPooledBytes);
        set
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), $"MaxPooledBytes must not be negative, got {value}.");
            Interlocked.Exchange(ref _maxPooledBytes, value);
            Floats.TrimTo(value - Ints.Bytes);
            Ints.TrimTo(value - Floats.Bytes);
        }
    }

    /// <summary>The memory currently held by the pool for reuse, in bytes.</summary>
    public static long PooledBytes => Floats.Bytes + Ints.Bytes;

    /// <summary>Releases every pooled array to the garbage collector (for example after training, before a long idle phase).</summary>
    public static void Trim()
    {
        Floats.TrimTo(0);
        Ints.TrimTo(0);
    }

    /// <summary>A float array of exactly <paramref name="length"/> elements with undefined contents; the caller writes every element.</summary>
    internal static float[] Rent(int length)
    {
        if (length == 0) return [];
        var array = Floats.TryTake(length) ?? GC.AllocateUninitializedArray<float>(length);
        Memory.Recycler.Rented(array); // a backward pass owns what it rents
        return array;
    }

    /// <summary>A float array of exactly <paramref name="length"/> zeros.</summary>
    internal static float[] RentZeroed(int length)
    {
        var array = Rent(length);
        Array.Clear(array);
        return array;
    }

    /// <summary>Gives <paramref name="array"/> back. Only for arrays nothing else can reach any more.</summary>
    internal static void Return(float[] array)
    {
        Memory.Recycler.Returned(array); // a pass owns only arrays it rented and has not returned
        Floats.Give(array, MaxPooledBytes - Ints.Bytes);
    }

    /// <summary>An int array of exactly <paramref name="length"/> elements with undefined contents.</summary>
    internal static int[] RentInts(int length) =>
        length == 0 ? [] : Ints.TryTake(length) ?? GC.AllocateUninitializedArray<int>(length);

    /// <summary>Gives <paramref name="array"/> back. Only for arrays nothing else can reach any more.</summary>
    internal static void ReturnInts(int[] array) => Ints.Give(array, MaxPooledBytes - Floats.Bytes);

    /// <summary>Arrays of one element type, kept in stacks by exact length (most recently returned first, as it is likeliest in cache).</summary>
    private sealed class SizedPool<T> where T : unmanaged
    {
        private readonly Dictionary<int, Stack<T[]>> _byLength = [];
        // Stopwatch timestamp of the last rent or return of each length.
        private readonly Dictionary<int, long> _lastUse = [];
        // Guards against an array being handed out twice: a double return would give two tensors one storage.
        private readonly HashSet<T[]> _pooled = new(ReferenceEqualityComparer.Instance);
        private readonly Lock _lock = new();
        private long _bytes;

        public long Bytes => Interlocked.Read(ref _bytes);

        private static long SizeOf(T[] array) => (long)array.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

        public T[]? TryTake(int length)
        {
            lock (_lock)
            {
                _lastUse[length] = System.Diagnostics.Stopwatch.GetTimestamp();
                if (!_byLength.TryGetValue(length, out var stack) || stack.Count == 0) return null;
                var array = stack.Pop();
                _pooled.Remove(array);
                Interlocked.Add(ref _bytes, -SizeOf(array));
                return array;
            }
        }

        public void Give(T[] array, long limit)
        {
            if (array.Length == 0) return;
            lock (_lock)
            {
                if (!_pooled.Add(array))
                {
                    Debug.Fail("Internal: an array was returned to the tensor pool twice.");
                    return;
                }
                if (_bytes + SizeOf(array) > limit)
                {
                    _pooled.Remove(array); // over the limit: leave it to the garbage collector
                    return;
                }
                _lastUse[array.Length] = System.Diagnostics.Stopwatch.GetTimestamp();
                if (!_byLength.TryGetValue(array.Length, out var stack)) _byLength[array.Length] = stack = new Stack<T[]>();
                stack.Push(array);
                Interlocked.Add(ref _bytes, SizeOf(array));
            }
        }

        public void TrimIdle(long timestamp)
        {
            lock (_lock)
            {
                foreach (var (length, last) in _lastUse.ToList())
                {
                    if (last >= timestamp) continue;
                    _lastUse.Remove(length);
                    if (!_byLength.Remove(length, out var stack)) continue;
                    foreach (var array in stack)
                    {
                        _pooled.Remove(array);
                        Interlocked.Add(ref _bytes, -SizeOf(array));
                    }
                }
            }
        }

        public void TrimTo(long limit)
        {
            lock (_lock)
            {
                if (_bytes <= limit) return;
                // Drop the largest arrays first: they cost the most to keep, and small ones are cheap to keep warm.
                foreach (var length in _byLength.Keys.OrderByDescending(l => l).ToList())
                {
                    var stack = _byLength[length];
                    while (stack.Count > 0 && _bytes > Math.Max(0, limit))
                    {
                        var array = stack.Pop();
                        _pooled.Remove(array);
                        Interlocked.Add(ref _bytes, -SizeOf(array));
                    }
                    if (stack.Count == 0) _byLength.Remove(length);
                    if (_bytes <= Math.Max(0, limit)) break;
                }
            }
        }
    }
}
