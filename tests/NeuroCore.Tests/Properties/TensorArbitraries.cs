using FsCheck;
using FsCheck.Fluent;

namespace NeuroCore.Tests.Properties;

/// <summary>A random shape (1–3 dimensions of size 0–9), a dimension in it, and a seed for the values.</summary>
public sealed record ShapeCase(int[] Shape, int Dim, int Seed)
{
    public int Numel => Shape.Aggregate(1, (a, b) => a * b);
    public override string ToString() => $"shape [{string.Join(", ", Shape)}], dim {Dim}, seed {Seed}";
}

/// <summary>Two shapes that broadcast together (dimensions dropped from the front or set to 1), and a seed.</summary>
public sealed record BroadcastCase(int[] A, int[] B, int Seed)
{
    public override string ToString() => $"a [{string.Join(", ", A)}], b [{string.Join(", ", B)}], seed {Seed}";
}

/// <summary>Shapes for concatenation: identical except along <see cref="Dim"/>, where sizes are 0–4.</summary>
public sealed record ConcatCase(int[][] Shapes, int Dim, int Seed)
{
    public override string ToString() => $"shapes {string.Join(" ", Shapes.Select(s => $"[{string.Join(", ", s)}]"))}, dim {Dim}, seed {Seed}";
}

/// <summary>FsCheck generators for the property tests; register with <c>[Property(Arbitrary = [typeof(TensorArbitraries)])]</c>.</summary>
public static class TensorArbitraries
{
    private static readonly Gen<int[]> ShapeGen =
        Gen.Choose(1, 3).SelectMany(rank => Gen.ArrayOf(Gen.Choose(0, 9), rank));

    private static readonly Gen<int> SeedGen = Gen.Choose(0, int.MaxValue - 1);

    public static Arbitrary<ShapeCase> ShapeCase() =>
        (from shape in ShapeGen
         from dim in Gen.Choose(-shape.Length, shape.Length - 1)
         from seed in SeedGen
         select new ShapeCase(shape, dim, seed)).ToArbitrary();

    public static Arbitrary<BroadcastCase> BroadcastCase() =>
        (from full in ShapeGen
         from dropA in Gen.Choose(0, full.Length)
         from dropB in Gen.Choose(0, full.Length)
         from onesA in Gen.ArrayOf(Gen.Elements(false, false, true), full.Length)
         from onesB in Gen.ArrayOf(Gen.Elements(false, false, true), full.Length)
         from seed in SeedGen
         select new BroadcastCase(Derive(full, dropA, onesA), Derive(full, dropB, onesB), seed)).ToArbitrary();

    public static Arbitrary<ConcatCase> ConcatCase() =>
        (from shape in ShapeGen
         from dim in Gen.Choose(0, shape.Length - 1)
         from count in Gen.Choose(1, 3)
         from sizes in Gen.ArrayOf(Gen.Choose(0, 4), count)
         from seed in SeedGen
         select new ConcatCase(sizes.Select(n => { var s = (int[])shape.Clone(); s[dim] = n; return s; }).ToArray(), dim, seed)).ToArbitrary();

    /// <summary>Drops <paramref name="drop"/> leading dimensions and sets the marked ones to 1.</summary>
    private static int[] Derive(int[] full, int drop, bool[] ones) =>
        full.Select((d, i) => ones[i] ? 1 : d).Skip(drop).ToArray();
}

/// <summary>Seeded test values with control over where they fall (away from kinks and singularities).</summary>
public static class TestValues
{
    /// <summary>Uniform values in [lo, hi).</summary>
    public static Tensor Uniform(int[] shape, int seed, float lo, float hi) =>
        Tensor.Uniform(shape, lo, hi, new Generator(seed));

    /// <summary>Values with |x| in [lo, hi) and a random sign: at least lo away from 0.</summary>
    public static Tensor AwayFromZero(int[] shape, int seed, float lo, float hi)
    {
        var rng = new Random(seed);
        var n = shape.Aggregate(1, (a, b) => a * b);
        var data = new float[n];
        for (int i = 0; i < n; i++)
            data[i] = (float)(lo + (hi - lo) * rng.NextDouble()) * (rng.Next(2) == 0 ? -1 : 1);
        return Tensor.FromArray(data, shape);
    }

    /// <summary>
    /// Distinct values spaced at least <paramref name="gap"/> apart (a shuffled ladder), so that max/min
    /// have no ties and finite differences never change which element is selected.
    /// </summary>
    public static Tensor Distinct(int[] shape, int seed, float gap)
    {
        var rng = new Random(seed);
        var n = shape.Aggregate(1, (a, b) => a * b);
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (i - n / 2) * gap;
        rng.Shuffle(data);
        return Tensor.FromArray(data, shape);
    }

    /// <summary>A leaf that requires grad.</summary>
    public static Tensor Leaf(this Tensor t)
    {
        t.RequiresGrad = true;
        return t;
    }
}
