namespace NeuroCore;

/// <summary>
/// A seeded source of random numbers for tensor creation, initialization, dropout and shuffling.
/// The same seed always yields the same sequence (on every machine and thread count).
/// </summary>
public sealed class Generator
{
    private Random _random;
    private double? _spareGaussian;

    [ThreadStatic] private static Generator? _default;

    /// <summary>Creates a generator with the given seed.</summary>
    public Generator(int seed)
    {
        Seed = seed;
        _random = new Random(seed);
    }

    /// <summary>The seed this generator was created or last reseeded with.</summary>
    public int Seed { get; private set; }

    /// <summary>
    /// The generator used when none is passed explicitly (one per thread, seeded with 0 until
    /// <see cref="ManualSeed"/> is called), like PyTorch's default generator.
    /// </summary>
    public static Generator Default => _default ??= new Generator(0);

    /// <summary>Reseeds the default generator, like <c>torch.manual_seed</c>.</summary>
    public static void ManualSeed(int seed) => Default.Reseed(seed);

    /// <summary>Restarts this generator's sequence from <paramref name="seed"/>.</summary>
    public void Reseed(int seed)
    {
        Seed = seed;
        _random = new Random(seed);
        _spareGaussian = null;
    }

    /// <summary>A uniform float in [0, 1).</summary>
    public float NextFloat() => (float)_random.NextDouble();

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => _random.NextDouble();

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int maxExclusive) => _random.Next(maxExclusive);

    /// <summary>A standard normal sample (Box–Muller, computed in double).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is double spare)
        {
            _spareGaussian = null;
            return spare;
        }
        double u1;
        do u1 = _random.NextDouble(); while (u1 <= double.Epsilon);
        double u2 = _random.NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = _random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
