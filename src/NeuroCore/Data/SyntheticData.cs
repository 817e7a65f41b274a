namespace NeuroCore.Data;

/// <summary>Seeded 2-D toy datasets (float32 inputs [N, 2], int64 class targets [N]).</summary>
/// <remarks>
/// The same seed always gives the same data. Moons, Circles and Blobs follow scikit-learn's
/// <c>make_*</c> generators (same geometry, class sizes and shuffling; the random streams differ).
/// Everything is computed in double and rounded to float32 at the end.
/// </remarks>
public static class SyntheticData
{
    /// <summary>Interleaved spiral arms, one class per arm (the classic CS231n spiral).</summary>
    /// <remarks>
    /// For arm j: r = linspace(0, 1, N), t = linspace(4j, 4(j + 1), N) + noise·randn, x = r·(sin t, cos t).
    /// Examples are ordered by class, as in the CS231n notes.
    /// </remarks>
    public static TensorDataset Spiral(int pointsPerClass = 100, int classes = 3, float noise = 0.2f, int seed = 0)
    {
        RequirePositive(pointsPerClass, nameof(pointsPerClass), "Spiral");
        RequirePositive(classes, nameof(classes), "Spiral");
        RequireNoise(noise, "Spiral");
        var g = new Generator(seed);
        int n = checked(pointsPerClass * classes);
        var x = new double[n, 2];
        var y = new long[n];
        for (int j = 0; j < classes; j++)
        {
            for (int i = 0; i < pointsPerClass; i++)
            {
                int k = j * pointsPerClass + i;
                double r = Linspace(0, 1, pointsPerClass, i);
                double t = Linspace(4.0 * j, 4.0 * (j + 1), pointsPerClass, i) + g.NextGaussian() * noise;
                x[k, 0] = r * Math.Sin(t);
                x[k, 1] = r * Math.Cos(t);
                y[k] = j;
            }
        }
        return Build(x, y);
    }

    /// <summary>Two interleaving half circles (scikit-learn's make_moons).</summary>
    /// <remarks>The upper moon (class 0, ⌊N/2⌋ points) and the lower one (class 1), shuffled, plus Gaussian noise of std <paramref name="noise"/>.</remarks>
    public static TensorDataset Moons(int count = 200, float noise = 0.1f, int seed = 0)
    {
        RequirePositive(count, nameof(count), "Moons");
        RequireNoise(noise, "Moons");
        int nOut = count / 2, nIn = count - nOut;
        var x = new double[count, 2];
        var y = new long[count];
        for (int i = 0; i < nOut; i++)
        {
            double a = Linspace(0, Math.PI, nOut, i);
            x[i, 0] = Math.Cos(a);
            x[i, 1] = Math.Sin(a);
        }
        for (int i = 0; i < nIn; i++)
        {
            double a = Linspace(0, Math.PI, nIn, i);
            x[nOut + i, 0] = 1 - Math.Cos(a);
            x[nOut + i, 1] = 1 - Math.Sin(a) - 0.5;
            y[nOut + i] = 1;
        }
        var g = new Generator(seed);
        Shuffle(x, y, g);
        AddNoise(x, noise, g);
        return Build(x, y);
    }

    /// <summary>A small circle inside a large one (scikit-learn's make_circles).</summary>
    /// <remarks>
    /// The outer circle (radius 1, class 0, ⌊N/2⌋ points) and the inner one (radius <paramref name="factor"/>,
    /// class 1), each evenly spaced in angle, shuffled, plus Gaussian noise of std <paramref name="noise"/>.
    /// </remarks>
    public static TensorDataset Circles(int count = 200, float noise = 0.05f, float factor = 0.5f, int seed = 0)
    {
        RequirePositive(count, nameof(count), "Circles");
        RequireNoise(noise, "Circles");
        if (!(factor >= 0 && factor < 1))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"Circles: factor must be in [0, 1), got {factor}.");
        int nOut = count / 2, nIn = count - nOut;
        var x = new double[count, 2];
        var y = new long[count];
        for (int i = 0; i < nOut; i++)
        {
            double a = 2 * Math.PI * i / nOut; // endpoint=False: the circle does not repeat its first point
            x[i, 0] = Math.Cos(a);
            x[i, 1] = Math.Sin(a);
        }
        for (int i = 0; i < nIn; i++)
        {
            double a = 2 * Math.PI * i / nIn;
            x[nOut + i, 0] = factor * Math.Cos(a);
            x[nOut + i, 1] = factor * Math.Sin(a);
            y[nOut + i] = 1;
        }
        var g = new Generator(seed);
        Shuffle(x, y, g);
        AddNoise(x, noise, g);
        return Build(x, y);
    }

    /// <summary>Points in the four quadrants labelled by the sign of x·y (XOR).</summary>
    /// <remarks>
    /// Points are uniform in the unit square of a quadrant, the quadrants taken in turn so classes stay
    /// balanced: class 1 where x·y &lt; 0 (signs differ, the XOR of x &gt; 0 and y &gt; 0), class 0 otherwise.
    /// The label comes from the clean point; Gaussian noise of std <paramref name="noise"/> is added after.
    /// </remarks>
    public static TensorDataset Xor(int count = 200, float noise = 0.1f, int seed = 0)
    {
        RequirePositive(count, nameof(count), "Xor");
        RequireNoise(noise, "Xor");
        var g = new Generator(seed);
        var x = new double[count, 2];
        var y = new long[count];
        for (int i = 0; i < count; i++)
        {
            int q = i % 4;
            double sx = q is 0 or 3 ? 1 : -1, sy = q is 0 or 1 ? 1 : -1;
            x[i, 0] = sx * g.NextDouble();
            x[i, 1] = sy * g.NextDouble();
            y[i] = sx * sy < 0 ? 1 : 0;
        }
        Shuffle(x, y, g);
        AddNoise(x, noise, g);
        return Build(x, y);
    }

    /// <summary>Isotropic Gaussian blobs around <paramref name="centers"/> random centres.</summary>
    /// <remarks>
    /// Like make_blobs: centres uniform in [−10, 10]², ⌊N/centers⌋ points each (the first N mod centers get
    /// one more), Gaussian spread <paramref name="std"/>, shuffled; the target is the centre's index.
    /// </remarks>
    public static TensorDataset Blobs(int count = 200, int centers = 3, float std = 1f, int seed = 0)
    {
        RequirePositive(count, nameof(count), "Blobs");
        RequirePositive(centers, nameof(centers), "Blobs");
        RequireNoise(std, "Blobs", nameof(std));
        var g = new Generator(seed);
        var c = new double[centers, 2];
        for (int k = 0; k < centers; k++)
        {
            c[k, 0] = -10 + 20 * g.NextDouble();
            c[k, 1] = -10 + 20 * g.NextDouble();
        }
        var x = new double[count, 2];
        var y = new long[count];
        int i = 0;
        for (int k = 0; k < centers; k++)
        {
            int m = count / centers + (k < count % centers ? 1 : 0);
            for (int t = 0; t < m; t++, i++)
            {
                x[i, 0] = c[k, 0] + std * g.NextGaussian();
                x[i, 1] = c[k, 1] + std * g.NextGaussian();
                y[i] = k;
            }
        }
        Shuffle(x, y, g);
        return Build(x, y);
    }

    /// <summary>Element <paramref name="i"/> of NumPy's linspace(start, stop, n) (endpoint included; [start] when n = 1).</summary>
    private static double Linspace(double start, double stop, int n, int i) =>
        n == 1 ? start : start + (stop - start) * i / (n - 1);

    private static void Shuffle(double[,] x, long[] y, Generator g)
    {
        for (int i = y.Length - 1; i > 0; i--)
        {
            int j = g.NextInt(i + 1);
            (x[i, 0], x[j, 0]) = (x[j, 0], x[i, 0]);
            (x[i, 1], x[j, 1]) = (x[j, 1], x[i, 1]);
            (y[i], y[j]) = (y[j], y[i]);
        }
    }

    private static void AddNoise(double[,] x, double noise, Generator g)
    {
        if (noise == 0) return;
        for (int i = 0; i < x.GetLength(0); i++)
        {
            x[i, 0] += noise * g.NextGaussian();
            x[i, 1] += noise * g.NextGaussian();
        }
    }

    private static TensorDataset Build(double[,] x, long[] y)
    {
        var flat = new float[y.Length * 2];
        for (int i = 0; i < y.Length; i++)
        {
            flat[2 * i] = (float)x[i, 0];
            flat[2 * i + 1] = (float)x[i, 1];
        }
        return new TensorDataset(new Tensor(flat, [y.Length, 2]), new Tensor(y, [y.Length]));
    }

    private static void RequirePositive(int value, string name, string op)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{op}: {name} must be positive, got {value}.");
    }

    private static void RequireNoise(float noise, string op, string name = "noise")
    {
        if (!(noise >= 0) || float.IsInfinity(noise))
            throw new ArgumentOutOfRangeException(name, noise, $"{op}: {name} must be a finite non-negative number, got {noise}.");
    }
}
