using NeuroCore.Kernels;

namespace NeuroCore.Tests.Kernels;

/// <summary>The fused Adam update: every SIMD path and tail length equals the scalar reference bit for bit.</summary>
public class AdamKernelTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(100)]
    public void VectorPathsMatchTheScalarReference(int n)
    {
        var g0 = new Generator(n);
        float[] R() => Enumerable.Range(0, n).Select(_ => (float)g0.NextGaussian()).ToArray();
        var (p, g, m) = (R(), R(), R());
        var v = R().Select(x => x * x).ToArray();
        foreach (var hyper in new[]
        {
            new AdamKernel.Hyper(0.9f, 0.999f, 0.01f, 1.3f, 1e-8f, L2: 0, Decay: 1),
            new AdamKernel.Hyper(0.8f, 0.99f, 0.003f, 2f, 1e-6f, L2: 0.1f, Decay: 1),
            new AdamKernel.Hyper(0.9f, 0.999f, 0.01f, 1f, 1e-8f, L2: 0, Decay: 0.999f),
        })
        {
            var (p1, m1, v1) = ((float[])p.Clone(), (float[])m.Clone(), (float[])v.Clone());
            var (p2, m2, v2) = ((float[])p.Clone(), (float[])m.Clone(), (float[])v.Clone());
            AdamKernel.Step(p1, g, m1, v1, hyper);
            AdamKernel.StepScalar(p2, g, m2, v2, hyper);
            Assert.Equal(p2, p1);
            Assert.Equal(m2, m1);
            Assert.Equal(v2, v1);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void SplittingOverThreadsGivesTheSameBits(int threads)
    {
        // Large enough for three threads, with a tail that is not a multiple of any vector width.
        int n = 3 * 65536 + 13;
        var g0 = new Generator(11);
        float[] R() => Enumerable.Range(0, n).Select(_ => (float)g0.NextGaussian()).ToArray();
        var (p, g, m) = (R(), R(), R());
        var v = R().Select(x => x * x).ToArray();
        var hyper = new AdamKernel.Hyper(0.9f, 0.999f, 0.01f, 1.3f, 1e-8f, L2: 0.01f, Decay: 0.999f);
        var (p1, m1, v1) = ((float[])p.Clone(), (float[])m.Clone(), (float[])v.Clone());
        AdamKernel.Step(p, g, m, v, hyper);
        AdamKernel.StepParallel(p1, g, m1, v1, hyper, threads);
        Assert.Equal(p, p1);
        Assert.Equal(m, m1);
        Assert.Equal(v, v1);
    }

    [Fact]
    public void ScalarReferenceFollowsTheAdamFormula()
    {
        // One element, hand-computed: g' = 0.5 + 0.1·2 = 0.7; p·1; m = 0.1 + (0.7 − 0.1)·0.1 = 0.16;
        // v = 0.04·0.99 + 0.49·0.01 = 0.0445; p = 2 − 0.5·0.16/(√0.0445·2 + 1e-3).
        float[] p = [2f], m = [0.1f], v = [0.04f];
        AdamKernel.StepScalar(p, [0.5f], m, v, new AdamKernel.Hyper(0.9f, 0.99f, 0.5f, 2f, 1e-3f, L2: 0.1f, Decay: 1));
        Assert.Equal(0.16f, m[0], 6);
        Assert.Equal(0.0445f, v[0], 6);
        Assert.Equal(2 - 0.5 * 0.16 / (Math.Sqrt(0.0445) * 2 + 1e-3), p[0], 5);
    }
}
