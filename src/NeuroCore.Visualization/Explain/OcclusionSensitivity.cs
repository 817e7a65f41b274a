using NeuroCore.Autograd;
using NeuroCore.NN;

namespace NeuroCore.Visualization.Explain;

/// <summary>The result of <see cref="OcclusionSensitivity.Compute"/>.</summary>
/// <param name="Probability">Per pixel: the mean class probability over the patch positions that cover it.</param>
/// <param name="Grid">The class probability for each patch position (rows × columns of positions).</param>
/// <param name="BaselineProbability">The class probability of the unoccluded image.</param>
public sealed record OcclusionResult(AttributionMap Probability, AttributionMap Grid, float BaselineProbability)
{
    /// <summary>Per pixel: how much covering it lowers the class probability (baseline − probability).</summary>
    public AttributionMap Drop => Probability with { Values = Probability.Values.Select(p => BaselineProbability - p).ToArray() };
}

/// <summary>
/// Occlusion sensitivity (Zeiler &amp; Fergus 2014): slide a grey patch over the image and record the
/// softmax probability of the class at each position; where it falls, the model was looking.
/// Call <c>model.Eval()</c> first: in training mode Dropout and BatchNorm would change the maps.
/// </summary>
public static class OcclusionSensitivity
{
    /// <summary>
    /// Occludes one image [C, H, W] with a <paramref name="patch"/>-sized square every <paramref name="stride"/>
    /// pixels, filled with <paramref name="fill"/> (default: the image's mean, a neutral grey).
    /// </summary>
    public static OcclusionResult Compute(Sequential model, Tensor image, int classIndex, int patch = 6, int stride = 2, float? fill = null, int batchSize = 64)
    {
        var x = LayerRange.AsBatch(image);
        int c = x.Size(1), h = x.Size(2), w = x.Size(3);
        if (patch <= 0 || patch > Math.Min(h, w)) throw new ArgumentOutOfRangeException(nameof(patch), $"Occlusion: patch {patch} must be in 1..{Math.Min(h, w)}.");
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), "Occlusion: stride must be positive.");
        var pixels = x.ToArray();
        float grey = fill ?? pixels.Average();
        int ny = (h - patch) / stride + 1, nx = (w - patch) / stride + 1;
        var grid = new float[ny * nx];
        float baseline;
        using (GradMode.NoGrad())
        {
            baseline = Probability(model, x, classIndex)[0];
            int chw = c * h * w;
            for (int start = 0; start < grid.Length; start += batchSize)
            {
                int n = Math.Min(batchSize, grid.Length - start);
                var batch = new float[n * chw];
                for (int k = 0; k < n; k++)
                {
                    int py = (start + k) / nx * stride, px = (start + k) % nx * stride;
                    Array.Copy(pixels, 0, batch, k * chw, chw);
                    for (int ch = 0; ch < c; ch++)
                        for (int y = py; y < py + patch; y++)
                            Array.Fill(batch, grey, k * chw + ch * h * w + y * w + px, patch);
                }
                var probs = Probability(model, Tensor.FromArray(batch, n, c, h, w), classIndex);
                Array.Copy(probs, 0, grid, start, n);
            }
        }
        // Per pixel, the mean over the positions whose patch covers it (pixels no patch reaches keep the baseline).
        var sum = new double[h * w];
        var count = new int[h * w];
        for (int i = 0; i < grid.Length; i++)
        {
            int py = i / nx * stride, px = i % nx * stride;
            for (int y = py; y < py + patch; y++)
                for (int xx = px; xx < px + patch; xx++) { sum[y * w + xx] += grid[i]; count[y * w + xx]++; }
        }
        var perPixel = new float[h * w];
        for (int i = 0; i < perPixel.Length; i++) perPixel[i] = count[i] == 0 ? baseline : (float)(sum[i] / count[i]);
        return new OcclusionResult(new AttributionMap(h, w, perPixel), new AttributionMap(ny, nx, grid), baseline);
    }

    private static float[] Probability(Sequential model, Tensor batch, int classIndex)
    {
        var logits = LayerRange.Logits(model, batch);
        if (logits.Rank != 2 || classIndex < 0 || classIndex >= logits.Size(1))
            throw new ArgumentOutOfRangeException(nameof(classIndex), $"Occlusion: class {classIndex} is not in the model's output of shape [{string.Join(", ", logits.Shape)}].");
        var p = logits.Softmax(1).ToArray();
        int classes = logits.Size(1);
        return Enumerable.Range(0, logits.Size(0)).Select(i => p[i * classes + classIndex]).ToArray();
    }
}
