using NeuroCore.Data;

namespace NeuroCore.Tests.Data;

public class SyntheticDataTests
{
    public static TheoryData<string> Names => ["spiral", "moons", "circles", "xor", "blobs"];

    private static TensorDataset Make(string name, int seed) => name switch
    {
        "spiral" => SyntheticData.Spiral(100, 3, seed: seed),
        "moons" => SyntheticData.Moons(300, seed: seed),
        "circles" => SyntheticData.Circles(300, seed: seed),
        "xor" => SyntheticData.Xor(300, seed: seed),
        _ => SyntheticData.Blobs(300, 3, seed: seed),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void ShapesDTypesAndBalancedClasses(string name)
    {
        var d = Make(name, 0);
        int classes = name is "spiral" or "blobs" ? 3 : 2;
        Assert.Equal([300, 2], d.Inputs.Shape);
        Assert.Equal([300], d.Targets.Shape);
        Assert.Equal(DType.Float32, d.Inputs.DType);
        Assert.Equal(DType.Int64, d.Targets.DType);
        var counts = d.Targets.ToLongArray().GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Enumerable.Range(0, classes).Select(i => (long)i), counts.Keys.Order());
        foreach (var c in counts.Values) Assert.Equal(300 / classes, c);
        Assert.All(d.Inputs.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SameSeedSameDataOtherSeedOtherData(string name)
    {
        Assert.Equal(Make(name, 3).Inputs.ToArray(), Make(name, 3).Inputs.ToArray());
        Assert.Equal(Make(name, 3).Targets.ToLongArray(), Make(name, 3).Targets.ToLongArray());
        Assert.NotEqual(Make(name, 3).Inputs.ToArray(), Make(name, 4).Inputs.ToArray());
    }

    [Fact]
    public void SpiralWithoutNoiseFollowsTheCs231nFormula()
    {
        var d = SyntheticData.Spiral(pointsPerClass: 5, classes: 2, noise: 0f);
        // Class 1, point 4 (last): r = 1, t = 8 → (sin 8, cos 8); point 0 of every arm sits at the origin.
        Assert.Equal((float)Math.Sin(8), d.Inputs[9, 0], 6);
        Assert.Equal((float)Math.Cos(8), d.Inputs[9, 1], 6);
        Assert.Equal(0f, d.Inputs[5, 0]);
        Assert.Equal(1L, d.Targets.GetLong(9));
        // Class 0, point 2: r = 0.5, t = 2.
        Assert.Equal((float)(0.5 * Math.Sin(2)), d.Inputs[2, 0], 6);
    }

    [Fact]
    public void NoiselessMoonsAndCirclesLieOnTheirCurves()
    {
        var moons = SyntheticData.Moons(100, noise: 0f);
        var circles = SyntheticData.Circles(100, noise: 0f, factor: 0.3f);
        for (int i = 0; i < 100; i++)
        {
            float x = moons.Inputs[i, 0], y = moons.Inputs[i, 1];
            // Upper moon: unit circle around (0, 0); lower moon: unit circle around (1, 0.5).
            double r = moons.Targets.GetLong(i) == 0 ? Math.Sqrt(x * x + y * y) : Math.Sqrt((x - 1) * (x - 1) + (y - 0.5) * (y - 0.5));
            Assert.Equal(1.0, r, 5);
            float cx = circles.Inputs[i, 0], cy = circles.Inputs[i, 1];
            Assert.Equal(circles.Targets.GetLong(i) == 0 ? 1.0 : 0.3, Math.Sqrt(cx * cx + cy * cy), 5);
        }
    }

    [Fact]
    public void XorLabelsFollowTheQuadrantWithoutNoise()
    {
        var d = SyntheticData.Xor(200, noise: 0f);
        for (int i = 0; i < 200; i++)
            Assert.Equal(d.Inputs[i, 0] * d.Inputs[i, 1] < 0 ? 1L : 0L, d.Targets.GetLong(i));
    }

    [Fact]
    public void BlobsClusterAroundTheirCentres()
    {
        var d = SyntheticData.Blobs(301, 4, std: 0.5f, seed: 2);
        var x = d.Inputs.ToArray();
        var y = d.Targets.ToLongArray();
        // Class sizes: 301 = 4·75 + 1 → the first centre gets one more.
        Assert.Equal([76, 75, 75, 75], y.GroupBy(v => v).OrderBy(g => g.Key).Select(g => g.Count()));
        for (int k = 0; k < 4; k++)
        {
            var pts = Enumerable.Range(0, 301).Where(i => y[i] == k).ToArray();
            double mx = pts.Average(i => x[2 * i]), my = pts.Average(i => x[2 * i + 1]);
            double spread = Math.Sqrt(pts.Average(i => (x[2 * i] - mx) * (x[2 * i] - mx)));
            Assert.InRange(spread, 0.35, 0.65); // ≈ std 0.5
            Assert.InRange(mx, -11.5, 11.5);
        }
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Spiral(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Moons(10, noise: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Circles(10, factor: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Blobs(10, centers: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Xor(10, noise: float.NaN));
    }
}
