using System.Numerics.Tensors;

namespace NeuroCore.Kernels;

/// <summary>
/// Layer and batch normalization kernels (span in, span out, no allocation). Statistics use the corrected
/// two-pass algorithm: mean m, then the deviations x − m, whose own mean c (the rounding error of m, which
/// for |mean| ≫ std is not negligible in float32) is folded back in before the variance is taken. This stays
/// accurate where the one-pass E[x²] − E[x]² cancels catastrophically.
/// </summary>
internal static class NormKernels
{
    // ---------------- Layer norm: rows of length d ----------------

    /// <summary>
    /// Normalizes each row of length <paramref name="d"/>: y = (x − mean)·rstd·w + b with the biased variance,
    /// saving each row's mean as a float pair (<paramref name="mean"/> + <paramref name="meanCorrection"/>, so that
    /// backward rebuilds exactly the same x − mean) and rstd = 1/√(var + eps).
    /// <paramref name="weight"/>/<paramref name="bias"/> may be empty (absent).
    /// </summary>
    public static void LayerNormForward(ReadOnlySpan<float> x, int rows, int d, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        float eps, Span<float> y, Span<float> mean, Span<float> meanCorrection, Span<float> rstd)
    {
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * d, d);
            var yr = y.Slice(r * d, d);
            float m = TensorPrimitives.Sum(xr) / d;
            TensorPrimitives.Subtract(xr, m, yr);
            float correction = TensorPrimitives.Sum(yr) / d;
            if (correction != 0) TensorPrimitives.Subtract(yr, correction, yr);
            float var = TensorPrimitives.SumOfSquares(yr) / d;
            float s = (float)(1.0 / Math.Sqrt((double)var + eps));
            mean[r] = m;
            meanCorrection[r] = correction;
            rstd[r] = s;
            TensorPrimitives.Multiply(yr, s, yr);
            if (!weight.IsEmpty) TensorPrimitives.Multiply(yr, weight, yr);
            if (!bias.IsEmpty) TensorPrimitives.Add(yr, bias, yr);
        }
    }

    /// <summary>
    /// Layer-norm backward. With x̂ = (x − mean)·rstd and dx̂ = g·w:
    /// dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)), dw = Σ_rows g·x̂, db = Σ_rows g.
    /// Any of <paramref name="gradX"/>, <paramref name="gradWeight"/>, <paramref name="gradBias"/> may be empty (not wanted);
    /// gradWeight/gradBias must start zeroed. <paramref name="scratch"/> holds 2·d floats.
    /// </summary>
    public static void LayerNormBackward(ReadOnlySpan<float> gradOut, ReadOnlySpan<float> x, int rows, int d, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> meanCorrection, ReadOnlySpan<float> rstd, Span<float> gradX, Span<float> gradWeight, Span<float> gradBias, Span<float> scratch)
    {
        var xhat = scratch[..d];
        var dxhat = scratch.Slice(d, d);
        for (int r = 0; r < rows; r++)
        {
            var gr = gradOut.Slice(r * d, d);
            TensorPrimitives.Subtract(x.Slice(r * d, d), mean[r], xhat);
            if (meanCorrection[r] != 0) TensorPrimitives.Subtract(xhat, meanCorrection[r], xhat);
            TensorPrimitives.Multiply(xhat, rstd[r], xhat);
            if (!gradWeight.IsEmpty) TensorPrimitives.MultiplyAdd(gr, xhat, gradWeight, gradWeight);
            if (!gradBias.IsEmpty) TensorPrimitives.Add(gradBias, gr, gradBias);
            if (gradX.IsEmpty) continue;
            if (weight.IsEmpty) gr.CopyTo(dxhat);
            else TensorPrimitives.Multiply(gr, weight, dxhat);
            float meanDxhat = TensorPrimitives.Sum(dxhat) / d;
            float meanDxhatXhat = TensorPrimitives.Dot(dxhat, xhat) / d;
            var gx = gradX.Slice(r * d, d);
            TensorPrimitives.MultiplyAdd(xhat, -meanDxhatXhat, dxhat, gx);
            TensorPrimitives.Subtract(gx, meanDxhat, gx);
            TensorPrimitives.Multiply(gx, rstd[r], gx);
        }
    }

    // ---------------- Batch norm: x viewed as [n, c, s], statistics per channel over n·s values ----------------
    // With s == 1 ([N, C] input) each sample is one row of c channels and the work is vectorized across
    // channels; otherwise each (sample, channel) pair is a contiguous run of s values, vectorized along it.

    /// <summary>
    /// Per-channel mean, as a float pair <paramref name="mean"/> + <paramref name="meanCorrection"/>, and biased
    /// variance of x [n, c, s]. <paramref name="centered"/> (x-sized) receives x − mean, computed exactly as
    /// <see cref="BatchNormCenter"/> computes it from the same pair.
    /// </summary>
    public static void BatchNormStatistics(ReadOnlySpan<float> x, int n, int c, int s,
        Span<float> mean, Span<float> meanCorrection, Span<float> variance, Span<float> centered)
    {
        int m = n * s;
        mean.Clear();
        meanCorrection.Clear();
        variance.Clear();
        if (s == 1)
        {
            for (int i = 0; i < n; i++) TensorPrimitives.Add(mean, x.Slice(i * c, c), mean);
            TensorPrimitives.Divide(mean, m, mean);
            for (int i = 0; i < n; i++)
            {
                var cr = centered.Slice(i * c, c);
                TensorPrimitives.Subtract(x.Slice(i * c, c), mean, cr);
                TensorPrimitives.Add(meanCorrection, cr, meanCorrection);
            }
            TensorPrimitives.Divide(meanCorrection, m, meanCorrection);
            for (int i = 0; i < n; i++)
            {
                var cr = centered.Slice(i * c, c);
                TensorPrimitives.Subtract(cr, meanCorrection, cr);
                TensorPrimitives.MultiplyAdd(cr, cr, variance, variance);
            }
            TensorPrimitives.Divide(variance, m, variance);
            return;
        }
        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += TensorPrimitives.Sum(x.Slice((i * c + ch) * s, s));
            float mu = (float)(sum / m);
            double deviation = 0;
            for (int i = 0; i < n; i++)
            {
                var cr = centered.Slice((i * c + ch) * s, s);
                TensorPrimitives.Subtract(x.Slice((i * c + ch) * s, s), mu, cr);
                deviation += TensorPrimitives.Sum(cr);
            }
            float correction = (float)(deviation / m);
            double sq = 0;
            for (int i = 0; i < n; i++)
            {
                var cr = centered.Slice((i * c + ch) * s, s);
                TensorPrimitives.Subtract(cr, correction, cr);
                sq += TensorPrimitives.SumOfSquares(cr);
            }
            mean[ch] = mu;
            meanCorrection[ch] = correction;
            variance[ch] = (float)(sq / m);
        }
    }

    /// <summary>y = centered·scale[ch] + shift[ch] for x viewed as [n, c, s] (y may alias centered).</summary>
    public static void BatchNormScaleShift(ReadOnlySpan<float> centered, int n, int c, int s, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y)
    {
        for (int i = 0; i < n; i++)
        {
            if (s == 1)
            {
                TensorPrimitives.MultiplyAdd(centered.Slice(i * c, c), scale, shift, y.Slice(i * c, c));
                continue;
            }
            for (int ch = 0; ch < c; ch++)
            {
                int o = (i * c + ch) * s;
                TensorPrimitives.Multiply(centered.Slice(o, s), scale[ch], y.Slice(o, s));
                TensorPrimitives.Add(y.Slice(o, s), shift[ch], y.Slice(o, s));
            }
        }
    }

    /// <summary>
    /// centered = (x − center[ch]) − centerCorrection[ch] for x viewed as [n, c, s]
    /// (<paramref name="centerCorrection"/> may be empty).
    /// </summary>
    public static void BatchNormCenter(ReadOnlySpan<float> x, int n, int c, int s, ReadOnlySpan<float> center,
        ReadOnlySpan<float> centerCorrection, Span<float> centered)
    {
        bool correct = !centerCorrection.IsEmpty;
        for (int i = 0; i < n; i++)
        {
            if (s == 1)
            {
                var cr = centered.Slice(i * c, c);
                TensorPrimitives.Subtract(x.Slice(i * c, c), center, cr);
                if (correct) TensorPrimitives.Subtract(cr, centerCorrection, cr);
                continue;
            }
            for (int ch = 0; ch < c; ch++)
            {
                int o = (i * c + ch) * s;
                var cr = centered.Slice(o, s);
                TensorPrimitives.Subtract(x.Slice(o, s), center[ch], cr);
                if (correct) TensorPrimitives.Subtract(cr, centerCorrection[ch], cr);
            }
        }
    }

    /// <summary>Per-channel Σg and Σg·centered (sums accumulated in double across samples when s &gt; 1).</summary>
    public static void BatchNormGradSums(ReadOnlySpan<float> gradOut, ReadOnlySpan<float> centered, int n, int c, int s,
        Span<float> sumGrad, Span<float> sumGradCentered)
    {
        sumGrad.Clear();
        sumGradCentered.Clear();
        if (s == 1)
        {
            for (int i = 0; i < n; i++)
            {
                var g = gradOut.Slice(i * c, c);
                TensorPrimitives.Add(sumGrad, g, sumGrad);
                TensorPrimitives.MultiplyAdd(g, centered.Slice(i * c, c), sumGradCentered, sumGradCentered);
            }
            return;
        }
        for (int ch = 0; ch < c; ch++)
        {
            double sg = 0, sgc = 0;
            for (int i = 0; i < n; i++)
            {
                int o = (i * c + ch) * s;
                sg += TensorPrimitives.Sum(gradOut.Slice(o, s));
                sgc += TensorPrimitives.Dot(gradOut.Slice(o, s), centered.Slice(o, s));
            }
            sumGrad[ch] = (float)sg;
            sumGradCentered[ch] = (float)sgc;
        }
    }

    /// <summary>
    /// Training-mode input gradient through the batch statistics, in place over <paramref name="centeredThenGradX"/>
    /// (x − mean on entry, dx on exit): dx = (g + centered·a[ch] + b[ch])·k[ch] with, per channel and M = n·s,
    /// a = −rstd²·Σ(g·centered)/M, b = −Σg/M, k = rstd·w — that is dx = rstd·w·(g − mean(g) − x̂·mean(g·x̂)).
    /// </summary>
    public static void BatchNormTrainingGradInput(ReadOnlySpan<float> gradOut, int n, int c, int s,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> k, Span<float> centeredThenGradX)
    {
        for (int i = 0; i < n; i++)
        {
            if (s == 1)
            {
                var dx = centeredThenGradX.Slice(i * c, c);
                TensorPrimitives.MultiplyAdd(dx, a, gradOut.Slice(i * c, c), dx);
                TensorPrimitives.Add(dx, b, dx);
                TensorPrimitives.Multiply(dx, k, dx);
                continue;
            }
            for (int ch = 0; ch < c; ch++)
            {
                int o = (i * c + ch) * s;
                var dx = centeredThenGradX.Slice(o, s);
                TensorPrimitives.MultiplyAdd(dx, a[ch], gradOut.Slice(o, s), dx);
                TensorPrimitives.Add(dx, b[ch], dx);
                TensorPrimitives.Multiply(dx, k[ch], dx);
            }
        }
    }
}
