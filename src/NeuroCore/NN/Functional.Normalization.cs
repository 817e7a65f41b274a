using NeuroCore.Autograd;
using NeuroCore.Kernels;
using NeuroCore.Layout;

namespace NeuroCore.NN;

public static partial class Functional
{
    /// <summary>
    /// Layer normalization over the last dimension, like <c>F.layer_norm(x, x.shape[-1:], weight, bias, eps)</c>:
    /// each row is shifted to mean 0 and scaled by 1/√(var + eps) with the biased variance, then
    /// multiplied by <paramref name="weight"/> and shifted by <paramref name="bias"/> when given.
    /// One fused op with its own backward to the input, weight and bias.
    /// </summary>
    /// <param name="input">Float32 tensor [..., D] of rank ≥ 1.</param>
    /// <param name="weight">Per-feature scale [D], or null for 1.</param>
    /// <param name="bias">Per-feature shift [D], or null for 0.</param>
    /// <param name="eps">Added to the variance before the square root.</param>
    /// <exception cref="ArgumentException">When the input is a scalar or not float32, or weight/bias are not [D].</exception>
    public static Tensor LayerNorm(Tensor input, Tensor? weight, Tensor? bias, float eps = 1e-5f)
    {
        const string op = "LayerNorm";
        ArgumentNullException.ThrowIfNull(input);
        input.RequireFloat(op);
        if (input.Rank == 0) throw new ArgumentException($"{op}: the input must have at least one dimension, got a scalar.");
        int d = input.ShapeRef[^1];
        NormChecks.PerFeature(op, "weight", weight, d, input);
        NormChecks.PerFeature(op, "bias", bias, d, input);
        return LayerNormCore(input, d, weight, bias, eps);
    }

    /// <summary>
    /// Layer normalization over the trailing dimensions <paramref name="normalizedShape"/>, like
    /// <c>F.layer_norm(x, normalized_shape, weight, bias, eps)</c>: statistics are taken over all of those
    /// dimensions together, and <paramref name="weight"/>/<paramref name="bias"/> have shape <paramref name="normalizedShape"/>.
    /// </summary>
    /// <param name="input">Float32 tensor whose shape ends with <paramref name="normalizedShape"/>.</param>
    /// <param name="normalizedShape">The trailing dimensions to normalize over (at least one).</param>
    /// <param name="weight">Elementwise scale with shape <paramref name="normalizedShape"/>, or null for 1.</param>
    /// <param name="bias">Elementwise shift with shape <paramref name="normalizedShape"/>, or null for 0.</param>
    /// <param name="eps">Added to the variance before the square root.</param>
    /// <exception cref="ArgumentException">When the input does not end with <paramref name="normalizedShape"/> or weight/bias have another shape.</exception>
    public static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight, Tensor? bias, float eps = 1e-5f)
    {
        const string op = "LayerNorm";
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        input.RequireFloat(op);
        var shape = input.ShapeRef;
        int k = normalizedShape.Length;
        if (k == 0 || k > shape.Length || !ShapeUtil.SameShape(shape.AsSpan(shape.Length - k), normalizedShape))
            throw new ArgumentException(
                $"{op}: normalizedShape {ShapeUtil.Format(normalizedShape)} must be non-empty and match the last dimensions of the input shape {ShapeUtil.Format(shape)}.");
        foreach (var (name, t) in new[] { ("weight", weight), ("bias", bias) })
        {
            if (t is not null && (t.DType != DType.Float32 || !ShapeUtil.SameShape(t.ShapeRef, normalizedShape)))
                throw new ArgumentException(
                    $"{op}: {name} must be float32 with shape {ShapeUtil.Format(normalizedShape)}, got {t.DType} with shape {ShapeUtil.Format(t.ShapeRef)}.");
        }
        return LayerNormCore(input, ShapeUtil.Numel(normalizedShape), weight, bias, eps);
    }

    /// <summary>Layer norm over groups of the last <paramref name="d"/> elements (arguments already validated).</summary>
    private static Tensor LayerNormCore(Tensor input, int d, Tensor? weight, Tensor? bias, float eps)
    {
        int rows = d == 0 ? 0 : input.Numel / d;
        var x = FunctionalArgs.DenseFloats(input);
        var w = weight is null ? null : FunctionalArgs.DenseFloats(weight);
        var b = bias is null ? null : FunctionalArgs.DenseFloats(bias);
        var y = new float[x.Length];
        var mean = new float[rows];
        var meanCorrection = new float[rows];
        var rstd = new float[rows];
        NormKernels.LayerNormForward(x, rows, d, w, b, eps, y, mean, meanCorrection, rstd);
        var shape = input.Shape;
        var result = Tensor.Wrap(y, shape);
        if (!GradMode.ShouldRecord(input, weight, bias)) return result;
        var (inputs, slots) = NormChecks.Present(input, weight, bias);
        return GradMode.Record(result, "layer_norm", inputs, g =>
        {
            var gx = input.RequiresGrad ? new float[x.Length] : null;
            var gw = weight is { RequiresGrad: true } ? new float[d] : null;
            var gb = bias is { RequiresGrad: true } ? new float[d] : null;
            var featureShape = weight?.Shape ?? bias?.Shape ?? [d];
            NormKernels.LayerNormBackward(FunctionalArgs.DenseFloats(g), x, rows, d, w, mean, meanCorrection, rstd, gx, gw, gb, new float[2 * d]);
            return NormChecks.Gradients(slots,
                gx is null ? null : Tensor.Wrap(gx, shape),
                gw is null ? null : Tensor.Wrap(gw, featureShape),
                gb is null ? null : Tensor.Wrap(gb, featureShape));
        });
    }

    /// <summary>
    /// Batch normalization over [N, C], [N, C, L] or [N, C, H, W] input (statistics per channel C over all
    /// other dimensions), like <c>F.batch_norm</c>. In training mode it uses the batch mean and biased variance,
    /// differentiates through them, and updates the running statistics in place when given:
    /// running = (1 − momentum)·running + momentum·batch, with the unbiased variance for
    /// <paramref name="runningVar"/> (as PyTorch). In evaluation mode it uses the running statistics and the
    /// op is an affine map per channel.
    /// </summary>
    /// <param name="input">Float32 tensor of rank ≥ 2 with channels in dimension 1.</param>
    /// <param name="runningMean">Running mean [C], updated in training mode; required in evaluation mode.</param>
    /// <param name="runningVar">Running variance [C], updated in training mode; required in evaluation mode.</param>
    /// <param name="weight">Per-channel scale [C], or null for 1.</param>
    /// <param name="bias">Per-channel shift [C], or null for 0.</param>
    /// <param name="training">Use batch statistics (true) or the running statistics (false).</param>
    /// <param name="momentum">Weight of the current batch in the running statistics update.</param>
    /// <param name="eps">Added to the variance before the square root.</param>
    /// <exception cref="ArgumentException">
    /// When shapes do not match, running statistics are missing in evaluation mode, or training mode has only
    /// one value per channel (the variance would be undefined).
    /// </exception>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum = 0.1f, float eps = 1e-5f)
    {
        const string op = "BatchNorm";
        ArgumentNullException.ThrowIfNull(input);
        input.RequireFloat(op);
        if (input.Rank < 2)
            throw new ArgumentException($"{op}: expected input [N, C, ...] with at least 2 dimensions, got shape {ShapeUtil.Format(input.ShapeRef)}.");
        var inShape = input.ShapeRef;
        int n = inShape[0], c = inShape[1];
        int s = 1;
        for (int i = 2; i < inShape.Length; i++) s *= inShape[i];
        int m = n * s;
        NormChecks.PerFeature(op, "weight", weight, c, input);
        NormChecks.PerFeature(op, "bias", bias, c, input);
        NormChecks.PerFeature(op, "runningMean", runningMean, c, input);
        NormChecks.PerFeature(op, "runningVar", runningVar, c, input);
        if ((runningMean is null) != (runningVar is null))
            throw new ArgumentException($"{op}: pass both runningMean and runningVar, or neither.");
        if (!training && runningMean is null)
            throw new ArgumentException($"{op}: evaluation mode (training: false) needs runningMean and runningVar.");
        if (training && m == 1)
            throw new ArgumentException(
                $"{op}: expected more than 1 value per channel when training, got input shape {ShapeUtil.Format(inShape)}.");

        var x = FunctionalArgs.DenseFloats(input);
        var w = weight is null ? null : FunctionalArgs.DenseFloats(weight);
        var b = bias is null ? null : FunctionalArgs.DenseFloats(bias);
        var center = new float[c];
        float[]? centerCorrection = null;
        var rstd = new float[c];
        var y = new float[x.Length];
        if (training)
        {
            var variance = new float[c];
            centerCorrection = new float[c];
            NormKernels.BatchNormStatistics(x, n, c, s, center, centerCorrection, variance, y);
            for (int ch = 0; ch < c; ch++) rstd[ch] = (float)(1.0 / Math.Sqrt((double)variance[ch] + eps));
            if (runningMean is not null && m > 0)
                NormChecks.UpdateRunning(runningMean, runningVar!, center, centerCorrection, variance, momentum, m);
        }
        else
        {
            for (int ch = 0; ch < c; ch++)
            {
                center[ch] = NormChecks.Get(runningMean!, ch);
                rstd[ch] = (float)(1.0 / Math.Sqrt((double)NormChecks.Get(runningVar!, ch) + eps));
            }
            NormKernels.BatchNormCenter(x, n, c, s, center, default, y);
        }
        // y currently holds x − center; y = (x − center)·rstd·w + b.
        var scale = new float[c];
        for (int ch = 0; ch < c; ch++) scale[ch] = rstd[ch] * (w is null ? 1f : w[ch]);
        NormKernels.BatchNormScaleShift(y, n, c, s, scale, b ?? new float[c], y);
        var shape = input.Shape;
        var result = Tensor.Wrap(y, shape);
        if (!GradMode.ShouldRecord(input, weight, bias)) return result;

        var (inputs, slots) = NormChecks.Present(input, weight, bias);
        return GradMode.Record(result, training ? "batch_norm" : "batch_norm_eval", inputs, g =>
        {
            var go = FunctionalArgs.DenseFloats(g);
            var centered = new float[x.Length];
            NormKernels.BatchNormCenter(x, n, c, s, center, centerCorrection, centered);
            var sumG = new float[c];
            var sumGC = new float[c];
            NormKernels.BatchNormGradSums(go, centered, n, c, s, sumG, sumGC);
            Tensor? gx = null, gw = null, gb = null;
            if (weight is { RequiresGrad: true })
            {
                // dL/dw = Σ g·x̂ = rstd·Σ g·(x − center)
                var d = new float[c];
                for (int ch = 0; ch < c; ch++) d[ch] = sumGC[ch] * rstd[ch];
                gw = Tensor.Wrap(d, c);
            }
            if (bias is { RequiresGrad: true }) gb = Tensor.Wrap(sumG, c); // dL/db = Σ g
            if (input.RequiresGrad)
            {
                if (training)
                {
                    // Through the batch statistics: dx = rstd·w·(g − mean(g) − x̂·mean(g·x̂)).
                    var a = new float[c];
                    var bb = new float[c];
                    for (int ch = 0; ch < c; ch++)
                    {
                        a[ch] = -rstd[ch] * rstd[ch] * sumGC[ch] / m;
                        bb[ch] = -sumG[ch] / m;
                    }
                    NormKernels.BatchNormTrainingGradInput(go, n, c, s, a, bb, scale, centered);
                    gx = Tensor.Wrap(centered, shape);
                }
                else
                {
                    // Fixed statistics: the op is affine, dx = g·rstd·w.
                    var d = new float[x.Length];
                    NormKernels.BatchNormScaleShift(go, n, c, s, scale, new float[c], d);
                    gx = Tensor.Wrap(d, shape);
                }
            }
            return NormChecks.Gradients(slots, gx, gw, gb);
        });
    }
}

/// <summary>Argument checks and small helpers shared by the normalization functions.</summary>
internal static class NormChecks
{
    /// <summary>Throws unless <paramref name="t"/> is null or a float32 vector of length <paramref name="size"/>.</summary>
    public static void PerFeature(string op, string name, Tensor? t, int size, Tensor input)
    {
        if (t is null) return;
        if (t.DType != DType.Float32 || t.Rank != 1 || t.ShapeRef[0] != size)
            throw new ArgumentException(
                $"{op}: {name} must be a float32 vector [{size}] for input shape {ShapeUtil.Format(input.ShapeRef)}, got {t.DType} with shape {ShapeUtil.Format(t.ShapeRef)}.");
    }

    /// <summary>The non-null tensors among input, weight and bias (the recorded inputs) and where each sits in (input, weight, bias).</summary>
    public static (Tensor[] inputs, int[] slots) Present(Tensor input, Tensor? weight, Tensor? bias)
    {
        var inputs = new List<Tensor> { input };
        var slots = new List<int> { 0 };
        if (weight is not null) { inputs.Add(weight); slots.Add(1); }
        if (bias is not null) { inputs.Add(bias); slots.Add(2); }
        return ([.. inputs], [.. slots]);
    }

    /// <summary>Picks the gradients of the recorded inputs from (input, weight, bias).</summary>
    public static Tensor?[] Gradients(int[] slots, Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias)
    {
        Tensor?[] all = [gradInput, gradWeight, gradBias];
        var result = new Tensor?[slots.Length];
        for (int i = 0; i < slots.Length; i++) result[i] = all[slots[i]];
        return result;
    }

    /// <summary>Element <paramref name="i"/> of a (possibly strided) float vector.</summary>
    public static float Get(Tensor v, int i) => v.Storage[v.Offset + i * v.StridesRef[0]];

    /// <summary>
    /// running = (1 − momentum)·running + momentum·batch, in place and unrecorded; the variance is made
    /// unbiased (× M/(M − 1)) first, as PyTorch does for running_var.
    /// </summary>
    public static void UpdateRunning(Tensor runningMean, Tensor runningVar, ReadOnlySpan<float> mean, ReadOnlySpan<float> meanCorrection,
        ReadOnlySpan<float> biasedVar, float momentum, int m)
    {
        double unbias = (double)m / (m - 1);
        float[] rm = runningMean.Storage, rv = runningVar.Storage;
        int sm = runningMean.StridesRef[0], sv = runningVar.StridesRef[0];
        for (int ch = 0; ch < mean.Length; ch++)
        {
            ref float pm = ref rm[runningMean.Offset + ch * sm];
            ref float pv = ref rv[runningVar.Offset + ch * sv];
            pm = (float)((1 - momentum) * (double)pm + momentum * ((double)mean[ch] + meanCorrection[ch]));
            pv = (float)((1 - momentum) * (double)pv + momentum * biasedVar[ch] * unbias);
        }
    }
}
