using System.Numerics.Tensors;

namespace NeuroCore.Kernels;

/// <summary>
/// Fused loss kernels (span in, span out, no allocation): each loss is computed in one pass over its
/// inputs instead of as a chain of element-wise ops, and its gradient is written directly.
/// Sums of per-element losses are accumulated in double so that the mean is accurate for large inputs.
/// </summary>
internal static class LossKernels
{
    /// <summary>Elements per block in the blocked element-wise losses (fits the stack, a multiple of every SIMD width).</summary>
    private const int Block = 256;

    /// <summary>
    /// Cross entropy of <paramref name="rows"/> rows of <paramref name="classes"/> logits: writes each row's
    /// log-sum-exp to <paramref name="lse"/> and returns Σ over rows whose target is not
    /// <paramref name="ignoreIndex"/> of (1−ε)(lse − x[t]) + ε(lse − mean(x)), ε = <paramref name="labelSmoothing"/>.
    /// Targets must already be validated. <paramref name="scratch"/> holds at least <paramref name="classes"/> floats.
    /// </summary>
    public static double CrossEntropyForward(ReadOnlySpan<float> logits, ReadOnlySpan<long> target, int rows, int classes,
        long ignoreIndex, float labelSmoothing, Span<float> lse, Span<float> scratch)
    {
        double total = 0;
        var buf = scratch[..classes];
        for (int r = 0; r < rows; r++)
        {
            long t = target[r];
            if (t == ignoreIndex)
            {
                lse[r] = 0;
                continue;
            }
            var row = logits.Slice(r * classes, classes);
            // Subtracting the row maximum keeps exp() from overflowing: log Σ eˣ = m + log Σ eˣ⁻ᵐ.
            float m = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, m, buf);
            TensorPrimitives.Exp(buf, buf);
            float l = m + MathF.Log(TensorPrimitives.Sum(buf));
            lse[r] = l;
            double loss = (double)l - row[(int)t];
            if (labelSmoothing != 0)
            {
                double smooth = (double)l - (double)TensorPrimitives.Sum(row) / classes;
                loss = (1 - labelSmoothing) * loss + labelSmoothing * smooth;
            }
            total += loss;
        }
        return total;
    }

    /// <summary>
    /// Gradient of the summed cross entropy times <paramref name="scale"/>: row r gets
    /// scale·(softmax(x) − (1−ε)·onehot(t) − ε/C), and ignored rows get zeros.
    /// </summary>
    public static void CrossEntropyBackward(ReadOnlySpan<float> logits, ReadOnlySpan<long> target, ReadOnlySpan<float> lse,
        int rows, int classes, long ignoreIndex, float labelSmoothing, float scale, Span<float> grad)
    {
        for (int r = 0; r < rows; r++)
        {
            var g = grad.Slice(r * classes, classes);
            long t = target[r];
            if (t == ignoreIndex)
            {
                g.Clear();
                continue;
            }
            // softmax(x) = exp(x − lse), from the log-sum-exp saved by the forward pass.
            TensorPrimitives.Subtract(logits.Slice(r * classes, classes), lse[r], g);
            TensorPrimitives.Exp(g, g);
            if (labelSmoothing != 0) TensorPrimitives.Subtract(g, labelSmoothing / classes, g);
            g[(int)t] -= 1 - labelSmoothing;
            TensorPrimitives.Multiply(g, scale, g);
        }
    }

    /// <summary>Σ over non-ignored rows of −x[r, t[r]] (targets already validated).</summary>
    public static double NllForward(ReadOnlySpan<float> logProbabilities, ReadOnlySpan<long> target, int rows, int classes, long ignoreIndex)
    {
        double total = 0;
        for (int r = 0; r < rows; r++)
            if (target[r] != ignoreIndex) total -= logProbabilities[r * classes + (int)target[r]];
        return total;
    }

    /// <summary>Gradient of the summed NLL times <paramref name="scale"/>: −scale at each row's target, 0 elsewhere.</summary>
    public static void NllBackward(ReadOnlySpan<long> target, int rows, int classes, long ignoreIndex, float scale, Span<float> grad)
    {
        grad.Clear();
        for (int r = 0; r < rows; r++)
            if (target[r] != ignoreIndex) grad[r * classes + (int)target[r]] = -scale;
    }

    /// <summary>Writes a − b to <paramref name="difference"/> and returns Σ (a − b)².</summary>
    public static double SquaredError(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> difference)
    {
        TensorPrimitives.Subtract(a, b, difference);
        double total = 0;
        // Blocks keep the float partial sums short; they are added up in double.
        for (int i = 0; i < difference.Length; i += Block)
            total += TensorPrimitives.SumOfSquares(difference.Slice(i, Math.Min(Block, difference.Length - i)));
        return total;
    }

    /// <summary>
    /// Σ of the stable binary cross entropy on logits, max(x, 0) − x·t + log(1 + e^(−|x|)), which never
    /// exponentiates a positive number and so never overflows.
    /// </summary>
    public static double BinaryCrossEntropyWithLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> target)
    {
        Span<float> a = stackalloc float[Block];
        Span<float> b = stackalloc float[Block];
        double total = 0;
        for (int i = 0; i < logits.Length; i += Block)
        {
            int n = Math.Min(Block, logits.Length - i);
            var x = logits.Slice(i, n);
            var t = target.Slice(i, n);
            var sa = a[..n];
            var sb = b[..n];
            TensorPrimitives.Abs(x, sa);
            TensorPrimitives.Negate(sa, sa);
            TensorPrimitives.Exp(sa, sa);
            TensorPrimitives.Add(sa, 1f, sa);
            TensorPrimitives.Log(sa, sa);          // log(1 + e^(−|x|)) ∈ [0, log 2]
            TensorPrimitives.Max(x, 0f, sb);
            TensorPrimitives.Add(sa, sb, sa);
            TensorPrimitives.Multiply(x, t, sb);
            TensorPrimitives.Subtract(sa, sb, sa);
            total += TensorPrimitives.Sum(sa);
        }
        return total;
    }

    /// <summary>d/dx of the summed BCE times <paramref name="scale"/>: scale·(σ(x) − t).</summary>
    public static void BinaryCrossEntropyWithLogitsBackward(ReadOnlySpan<float> logits, ReadOnlySpan<float> target, float scale, Span<float> grad)
    {
        if (logits.IsEmpty) return; // TensorPrimitives.Sigmoid rejects empty spans
        TensorPrimitives.Sigmoid(logits, grad);
        TensorPrimitives.Subtract(grad, target, grad);
        TensorPrimitives.Multiply(grad, scale, grad);
    }
}
