using NeuroCore.Kernels;

namespace NeuroCore.Tests.Kernels;

/// <summary>
/// The GEMM against a naive double-precision reference, on every tier this machine supports, for all
/// transpose combinations and the sizes where tiling and SIMD remainders go wrong.
/// </summary>
public class GemmTests
{
    // Tier names (the enum is internal): every tier this machine supports.
    public static TheoryData<string> Tiers()
    {
        var data = new TheoryData<string>();
        foreach (var t in Gemm.SupportedTiers()) data.Add(t.ToString());
        return data;
    }

    // 0 and 1, the tier widths ± 1 (4, 6, 8, 16, 32), block edges (KC = 256 shows up through k) and odd sizes.
    private static readonly int[] EdgeSizes = [0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 65, 127, 129];

    [Theory]
    [MemberData(nameof(Tiers))]
    public void MatchesReferenceOnEdgeSizesForAllTransposes(string tierName)
    {
        var tier = Enum.Parse<Gemm.Tier>(tierName);
        var rng = new Random(11);
        foreach (var m in EdgeSizes)
        foreach (var n in new[] { 0, 1, 15, 16, 17, 33, 129 })
        foreach (var k in new[] { 0, 1, 7, 32, 257 })
        {
            bool ta = rng.Next(2) == 0, tb = rng.Next(2) == 0;
            CheckOne(tier, ta, tb, m, n, k, 1f, 0f, pad: rng.Next(3), rng);
        }
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void MatchesReferenceOnRandomShapes(string tierName)
    {
        var tier = Enum.Parse<Gemm.Tier>(tierName);
        var rng = new Random(42);
        for (int trial = 0; trial < 60; trial++)
        {
            int m = rng.Next(1, 71), n = rng.Next(1, 71), k = rng.Next(1, 71);
            foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                var (alpha, beta) = (trial % 3) switch { 0 => (1f, 0f), 1 => (1f, 1f), _ => (0.5f, -2f) };
                CheckOne(tier, ta, tb, m, n, k, alpha, beta, pad: trial % 4, rng);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void LargeShapesCrossingEveryBlockBoundary(string tierName)
    {
        var tier = Enum.Parse<Gemm.Tier>(tierName);
        // m > MC (192), k > KC (256), n > one NR panel; both accumulation modes.
        var rng = new Random(5);
        CheckOne(tier, false, false, 200, 70, 300, 1f, 0f, pad: 1, rng);
        CheckOne(tier, true, true, 200, 70, 300, 1f, 1f, pad: 2, rng);
        CheckOne(tier, false, true, 64, 256, 784, 1f, 0f, pad: 0, rng);
        CheckOne(tier, true, false, 256, 100, 64, 1f, 1f, pad: 0, rng);
        // n > NC (512): several packed column blocks, the last one ragged.
        CheckOne(tier, false, false, 20, 1100, 40, 1f, 0f, pad: 3, rng);
        CheckOne(tier, true, true, 9, 600, 30, 0.5f, -2f, pad: 1, rng);
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void UnpackedBPathMatchesReferenceAndThePackedPath(string tierName)
    {
        // The training step's dx = g·W (64×256 · 256×784): B not transposed, all rows in one A block and a row
        // stride of 49 cache lines, so the AVX-512 kernel reads B in place (its ragged last 16 columns packed).
        // A power-of-two stride (pad 0, n = 512) and m > MC take the packed path: both must agree with the reference.
        var tier = Enum.Parse<Gemm.Tier>(tierName);
        var rng = new Random(8);
        CheckOne(tier, false, false, 64, 784, 256, 1f, 0f, pad: 0, rng);
        CheckOne(tier, false, false, 64, 784, 300, 0.5f, -2f, pad: 0, rng);
        CheckOne(tier, true, false, 37, 790, 70, 1f, 1f, pad: 1, rng);
        CheckOne(tier, false, false, 64, 512, 100, 1f, 0f, pad: 0, rng);
        CheckOne(tier, false, false, 250, 784, 40, 1f, 1f, pad: 0, rng);
    }

    [Fact]
    public void FewDotProductsPathMatchesReference()
    {
        // A·Bᵀ with m·n ≤ 256 outputs takes the dot-product path (four dots per pass, then single ones):
        // n around multiples of 4, depths around the 8-wide vector, alpha/beta variants, padded rows.
        var rng = new Random(5);
        foreach (var m in new[] { 1, 3, 16 })
        foreach (var n in new[] { 2, 3, 4, 5, 8, 9, 11 })
        foreach (var k in new[] { 1, 7, 8, 9, 17, 676 })
        {
            var (alpha, beta) = rng.Next(3) switch { 0 => (1f, 0f), 1 => (1f, 1f), _ => (0.5f, -2f) };
            CheckOne(Gemm.Selected, false, true, m, n, k, alpha, beta, pad: rng.Next(3), rng);
        }
    }

    [Fact]
    public void BetaZeroIgnoresNaNInTheOutput()
    {
        var a = Enumerable.Range(0, 40 * 40).Select(i => (float)(i % 7)).ToArray();
        foreach (var (m, n, k) in new[] { (2, 2, 2), (40, 40, 40) })
        {
            var c = Enumerable.Repeat(float.NaN, m * n).ToArray();
            Gemm.Multiply(false, false, m, n, k, 1f, a, k, a, n, 0f, c, n);
            Assert.All(c, v => Assert.False(float.IsNaN(v)));
        }
    }

    [Fact]
    public void EmptyDepthScalesTheOutputByBeta()
    {
        var c = new float[] { 1, 2, 3, 4 };
        Gemm.Multiply(false, false, 2, 2, 0, 1f, [], 1, [], 2, 0.5f, c, 2);
        Assert.Equal(new float[] { 0.5f, 1, 1.5f, 2 }, c);
    }

    [Fact]
    public void TooShortOperandNamesTheShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 3, 3, 3, 1f, new float[8], 3, new float[9], 3, 0f, new float[9], 3));
        Assert.Contains("A holds 8 values", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void ResultsAreBitIdenticalForOneAndTwoThreads(string tierName)
    {
        var tier = Enum.Parse<Gemm.Tier>(tierName);
        var rng = new Random(3);
        // Big enough that two threads are really used; splits along m and along n; odd edges.
        foreach (var (m, n, k, ta, tb) in new[] { (300, 70, 200, false, false), (64, 300, 150, false, true), (257, 255, 129, true, true), (131, 133, 300, true, false), (40, 1100, 70, false, false), (64, 784, 256, false, false) })
        {
            var a = RandomArray(m * k, rng);
            var b = RandomArray(k * n, rng);
            var c0 = RandomArray(m * n, rng);
            var c1 = (float[])c0.Clone();
            var c2 = (float[])c0.Clone();
            int lda = ta ? m : k, ldb = tb ? k : n;
            Gemm.Multiply(tier, ta, tb, m, n, k, 1f, a, lda, b, ldb, 1f, c1, n, maxThreads: 1);
            Gemm.Multiply(tier, ta, tb, m, n, k, 1f, a, lda, b, ldb, 1f, c2, n, maxThreads: 2);
            Assert.Equal(c1, c2);
            var c3 = (float[])c0.Clone();
            Gemm.Multiply(tier, ta, tb, m, n, k, 1f, a, lda, b, ldb, 1f, c3, n, maxThreads: 3);
            Assert.Equal(c1, c3);
        }
    }

    private static float[] RandomArray(int n, Random rng)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    private static void CheckOne(Gemm.Tier tier, bool ta, bool tb, int m, int n, int k, float alpha, float beta, int pad, Random rng)
    {
        // op(A) is m×k; stored as (ta ? k×m : m×k) with leading dimension padded by `pad`.
        int aRows = ta ? k : m, aCols = ta ? m : k, lda = aCols + pad;
        int bRows = tb ? n : k, bCols = tb ? k : n, ldb = bCols + pad;
        int ldc = n + pad;
        var a = RandomArray(Math.Max(aRows * lda, 0), rng);
        var b = RandomArray(Math.Max(bRows * ldb, 0), rng);
        var c = RandomArray(Math.Max(m * ldc, 0), rng);
        // Values between rows (the leading-dimension padding) are NaN: reading them into a result must show.
        for (int r = 0; r < aRows; r++) a.AsSpan(r * lda + aCols, pad).Fill(float.NaN);
        for (int r = 0; r < bRows; r++) b.AsSpan(r * ldb + bCols, pad).Fill(float.NaN);
        var c0 = (float[])c.Clone();
        Gemm.Multiply(tier, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        for (int i = 0; i < m; i++)
        for (int j = 0; j < ldc; j++)
        {
            if (j >= n)
            {
                Assert.True(c[i * ldc + j] == c0[i * ldc + j], $"{tier} ta={ta} tb={tb} {m}x{n}x{k}: padding at ({i},{j}) was written.");
                continue;
            }
            double s = 0, abs = 0;
            for (int p = 0; p < k; p++)
            {
                double x = ta ? a[p * lda + i] : a[i * lda + p];
                double y = tb ? b[j * ldb + p] : b[p * ldb + j];
                s += x * y;
                abs += Math.Abs(x * y);
            }
            double want = alpha * s + (beta == 0 ? 0 : beta * (double)c0[i * ldc + j]);
            // Float32 accumulation error is bounded by ~k·u·Σ|terms| (u = 2⁻²⁴); allow twice that.
            double tol = 2 * (k + 2) * 6e-8 * (Math.Abs(alpha) * abs + Math.Abs(beta * c0[i * ldc + j])) + 1e-7;
            double got = c[i * ldc + j];
            if (!(Math.Abs(got - want) <= tol))
                Assert.Fail($"{tier} ta={ta} tb={tb} m={m} n={n} k={k} alpha={alpha} beta={beta}: C[{i},{j}] = {got}, expected {want} (tol {tol}).");
        }
    }
}
