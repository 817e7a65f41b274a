using NeuroCore.Embeddings;

namespace NeuroCore.Tests.Embeddings;

/// <summary>
/// Frames across snapshots: warm-started t-SNE moves points less between frames than independent runs do,
/// the frames are reproducible, PCA frames are aligned so a rotated input does not flip the picture, and
/// Procrustes undoes a rigid motion exactly.
/// </summary>
public class EmbeddingAnimationTests
{
    /// <summary>Five "snapshots" of 4 blobs in 10-D whose centres and points drift a little from frame to frame (as a layer's activations do).</summary>
    private static List<EmbeddingInput> Drifting(int frames = 5, int perCluster = 60, int seed = 3)
    {
        var (x0, _) = EmbeddingTestData.Blobs(4, perCluster, 10, seed, spread: 0.6);
        var rng = new Random(seed + 1);
        var drift = new float[x0.Data.Length];
        for (int i = 0; i < drift.Length; i++) drift[i] = (float)(0.15 * EmbeddingTestData.Gaussian(rng));
        return [.. Enumerable.Range(0, frames).Select(f => EmbeddingInput.FromRows(x0.Data.Select((v, i) => v + f * drift[i]).ToArray(), x0.Count, x0.Dimensions))];
    }

    private static readonly long[] Steps = [0, 10, 20, 30, 40];

    private static TsneOptions Cold => new() { Dimensions = 2, Perplexity = 20, Iterations = 500, Seed = 5 };

    [Fact]
    public void WarmStartMovesPointsLessThanIndependentRuns()
    {
        var inputs = Drifting();
        var warm = EmbeddingAnimation.Compute(Steps, f => inputs[f], new EmbeddingAnimationOptions { Tsne = Cold, WarmIterations = 250 });
        // The baseline gets the same rigid alignment, so only the warm start differs.
        var independent = EmbeddingAnimation.Compute(Steps, f => inputs[f], new EmbeddingAnimationOptions { Tsne = Cold, WarmStart = false });
        double warmMove = warm.Frames.Skip(1).Average(f => f.Displacement);
        double coldMove = independent.Frames.Skip(1).Average(f => f.Displacement);
        Assert.True(warmMove < 0.5 * coldMove, $"warm start moved {warmMove:F3} (RMS / radius) per frame, independent runs {coldMove:F3}");
        // Displacement is what the frames say: recompute it from the coordinates.
        for (int f = 1; f < warm.Frames.Count; f++)
            Assert.Equal(EmbeddingAnimation.Displacement(warm.Frames[f - 1].Coordinates, warm.Frames[f].Coordinates, 2), warm.Frames[f].Displacement, 12);
        // The warm schedule: the first frame runs the full schedule, later ones the shorter one, and stay good embeddings.
        Assert.Equal(500, warm.Frames[0].Iterations);
        Assert.All(warm.Frames.Skip(1), f => Assert.Equal(250, f.Iterations));
        Assert.All(warm.Frames, f => Assert.InRange(f.KlDivergence!.Value, 0, 2));
        for (int f = 0; f < warm.Frames.Count; f++)
            Assert.True(EmbeddingMetrics.Trustworthiness(inputs[f], warm.Frames[f].Coordinates, 2, 10) > 0.9);
        Assert.Equal(0, warm.Frames[0].Displacement);
        Assert.Equal(Steps, warm.Frames.Select(f => f.Step));
    }

    [Fact]
    public void TheSameSeedGivesTheSameFramesBitForBit()
    {
        var inputs = Drifting(frames: 3, perCluster: 30);
        var options = new EmbeddingAnimationOptions { Tsne = Cold with { Iterations = 300, Perplexity = 10 }, WarmIterations = 100 };
        var a = EmbeddingAnimation.Compute(Steps[..3], f => inputs[f], options);
        var b = EmbeddingAnimation.Compute(Steps[..3], f => inputs[f], options);
        for (int f = 0; f < 3; f++) Assert.Equal(a.Frames[f].Coordinates, b.Frames[f].Coordinates);
        var other = EmbeddingAnimation.Compute(Steps[..3], f => inputs[f], options with { Tsne = options.Tsne with { Seed = 6, Initialization = TsneInitialization.Random } });
        Assert.NotEqual(a.Frames[0].Coordinates, other.Frames[0].Coordinates);
    }

    [Fact]
    public void WarmOptionsStartFromThePreviousLayoutWithoutExaggeration()
    {
        var options = new EmbeddingAnimationOptions { Tsne = Cold, WarmIterations = 120 };
        var previous = new float[] { 1, 2, 3, 4 };
        var warm = options.WarmOptions(previous);
        Assert.Same(previous, warm.InitialCoordinates);
        Assert.Equal(0, warm.ExaggerationIterations);
        Assert.Equal(120, warm.Iterations);
        Assert.Equal(Cold.Perplexity, warm.Perplexity);
        Assert.Equal(Cold.Seed, warm.Seed);
    }

    [Fact]
    public void PcaFramesOfARotatedInputAreAlignedRatherThanFlipped()
    {
        var (x, _) = EmbeddingTestData.Blobs(3, 40, 6, seed: 9, spread: 0.8);
        // The same points seen through an orthogonal map of the feature space (a reflection of two axes and a
        // rotation): PCA finds the same projection up to the signs and order of its axes.
        var rotated = new float[x.Data.Length];
        double c = Math.Cos(1.1), s = Math.Sin(1.1);
        for (int i = 0; i < x.Count; i++)
        {
            var r = x.Row(i);
            var o = rotated.AsSpan(i * 6, 6);
            o[0] = (float)(c * r[0] - s * r[1]); o[1] = (float)(s * r[0] + c * r[1]);
            o[2] = -r[2]; o[3] = -r[3]; o[4] = r[5]; o[5] = r[4];
        }
        var inputs = new[] { x, EmbeddingInput.FromRows(rotated, x.Count, 6) };
        var options = new EmbeddingAnimationOptions { Method = EmbeddingAnimationMethod.Pca, Tsne = new TsneOptions { Dimensions = 3 } };
        var frames = EmbeddingAnimation.Compute([0, 1], f => inputs[f], options).Frames;
        Assert.True(frames[1].Displacement < 1e-4, $"aligned PCA frames of the same points moved {frames[1].Displacement}");
        Assert.Null(frames[1].KlDivergence);
        // Without alignment PCA's own sign choice would differ here: the raw projections are not the same picture.
        var raw = Pca.Fit(inputs[1], 3).Transform(inputs[1]);
        Assert.True(EmbeddingAnimation.Displacement(frames[0].Coordinates, raw, 3) > 0.1);
    }

    [Fact]
    public void ProcrustesUndoesARotationAReflectionAndAShift()
    {
        var rng = new Random(2);
        const int n = 50;
        var x = new float[n * 3];
        for (int i = 0; i < x.Length; i++) x[i] = (float)EmbeddingTestData.Gaussian(rng);
        // y = x·Q + t with Q a rotation about z followed by a reflection of y.
        double c = Math.Cos(0.7), s = Math.Sin(0.7);
        var y = new float[x.Length];
        for (int i = 0; i < n; i++)
        {
            float a = x[3 * i], b = x[3 * i + 1], z = x[3 * i + 2];
            y[3 * i] = (float)(c * a - s * b) + 5;
            y[3 * i + 1] = -(float)(s * a + c * b) - 2;
            y[3 * i + 2] = z + 1;
        }
        var back = EmbeddingAnimation.Align(y, x, 3);
        for (int i = 0; i < x.Length; i++) Assert.Equal(x[i], back[i], 4);
        Assert.True(EmbeddingAnimation.Displacement(x, back, 3) < 1e-5);
    }

    [Fact]
    public void FramesOfDifferentSizesAndNoStepsAreRefused()
    {
        var (a, _) = EmbeddingTestData.Blobs(2, 30, 4);
        var (b, _) = EmbeddingTestData.Blobs(2, 31, 4);
        var options = new EmbeddingAnimationOptions { Method = EmbeddingAnimationMethod.Pca };
        var e = Assert.Throws<ArgumentException>(() => EmbeddingAnimation.Compute([0, 5], f => f == 0 ? a : b, options));
        Assert.Contains("step 5 has 62 rows but step 0 had 60", e.Message);
        Assert.Contains("no steps", Assert.Throws<ArgumentException>(() => EmbeddingAnimation.Compute([], _ => a, options)).Message);
        // t-SNE's own message, with the frame's step in front.
        var tsne = Assert.Throws<ArgumentException>(() => EmbeddingAnimation.Compute([7], _ => a, new EmbeddingAnimationOptions()));
        Assert.Contains("step 7", tsne.Message);
        Assert.Contains("too few for perplexity", tsne.Message);
    }
}
