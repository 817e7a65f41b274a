using NeuroCore.Autograd;
using NeuroCore.Kernels;
using NeuroCore.Layout;

namespace NeuroCore.NN;

public static partial class Functional
{
    /// <summary>
    /// Mean cross entropy of <paramref name="logits"/> [N, C] against int64 class targets [N] (or logits [C]
    /// against a scalar target), like <c>F.cross_entropy</c>: a fused, numerically stable log-softmax and
    /// negative log likelihood with gradient (softmax − onehot)/N.
    /// </summary>
    /// <param name="logits">Unnormalized scores, float32 [N, C] or [C].</param>
    /// <param name="target">Class indices in [0, C), int64 [N] (or a scalar for 1-D logits).</param>
    /// <param name="ignoreIndex">Rows whose target equals this value contribute nothing and are not counted in the mean (PyTorch's default is −100).</param>
    /// <param name="labelSmoothing">ε in [0, 1]: the target distribution becomes (1−ε)·onehot + ε/C.</param>
    /// <exception cref="ArgumentException">When the dtypes or shapes are wrong or a target is out of range.</exception>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, long ignoreIndex = -100, float labelSmoothing = 0f)
    {
        const string op = "CrossEntropy";
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"{op}: labelSmoothing must be in [0, 1], got {labelSmoothing}.");
        var (rows, classes) = LossChecks.ClassTargets(op, logits, target, ignoreIndex);
        var x = LossChecks.DenseFloats(logits);
        var t = LossChecks.DenseLongs(target);
        var lse = new float[rows];
        var scratch = new float[classes];
        int counted = LossChecks.CountNotIgnored(t, ignoreIndex);
        double total = LossKernels.CrossEntropyForward(x, t, rows, classes, ignoreIndex, labelSmoothing, lse, scratch);
        // Mean over counted rows; with none counted this is 0/0 = NaN, as in PyTorch.
        var y = Tensor.Scalar((float)(total / counted));
        if (!GradMode.ShouldRecord(logits)) return y;
        var shape = logits.Shape;
        return GradMode.Record(y, "cross_entropy", [logits], g =>
        {
            // d loss/d x[r] = (softmax(x[r]) − (1−ε)·onehot(t[r]) − ε/C) / counted
            var grad = new float[x.Length];
            LossKernels.CrossEntropyBackward(x, t, lse, rows, classes, ignoreIndex, labelSmoothing, g.Item() / counted, grad);
            return [Tensor.Wrap(grad, shape)];
        });
    }

    /// <summary>
    /// Mean negative log likelihood of <paramref name="logProbabilities"/> [N, C] (or [C]) and int64 targets [N]
    /// (or a scalar), like <c>F.nll_loss</c>: −mean over rows of logProbabilities[r, target[r]].
    /// </summary>
    /// <param name="logProbabilities">Log-probabilities, float32 [N, C] or [C] (for example a log-softmax output).</param>
    /// <param name="target">Class indices in [0, C), int64 [N] (or a scalar for 1-D input).</param>
    /// <param name="ignoreIndex">Rows whose target equals this value contribute nothing and are not counted in the mean.</param>
    /// <exception cref="ArgumentException">When the dtypes or shapes are wrong or a target is out of range.</exception>
    public static Tensor NllLoss(Tensor logProbabilities, Tensor target, long ignoreIndex = -100)
    {
        const string op = "NllLoss";
        var (rows, classes) = LossChecks.ClassTargets(op, logProbabilities, target, ignoreIndex);
        var x = LossChecks.DenseFloats(logProbabilities);
        var t = LossChecks.DenseLongs(target);
        int counted = LossChecks.CountNotIgnored(t, ignoreIndex);
        var y = Tensor.Scalar((float)(LossKernels.NllForward(x, t, rows, classes, ignoreIndex) / counted));
        if (!GradMode.ShouldRecord(logProbabilities)) return y;
        var shape = logProbabilities.Shape;
        return GradMode.Record(y, "nll_loss", [logProbabilities], g =>
        {
            // d loss/d x[r, c] = −1/counted where c = t[r], else 0
            var grad = new float[x.Length];
            LossKernels.NllBackward(t, rows, classes, ignoreIndex, g.Item() / counted, grad);
            return [Tensor.Wrap(grad, shape)];
        });
    }

    /// <summary>
    /// Mean squared error mean((input − target)²), like <c>F.mse_loss</c>, with gradients to both arguments.
    /// Stricter than PyTorch: the shapes must match exactly. PyTorch only warns and broadcasts, which
    /// silently turns a [N] vs [N, 1] mix-up into an N×N comparison; here that is an error.
    /// </summary>
    /// <exception cref="ArgumentException">When the shapes differ or a tensor is not float32.</exception>
    public static Tensor MseLoss(Tensor input, Tensor target)
    {
        const string op = "MseLoss";
        LossChecks.SameShapeFloats(op, input, target);
        var a = LossChecks.DenseFloats(input);
        var b = LossChecks.DenseFloats(target);
        var diff = new float[a.Length];
        int n = a.Length;
        var y = Tensor.Scalar((float)(LossKernels.SquaredError(a, b, diff) / n));
        if (!GradMode.ShouldRecord(input, target)) return y;
        var shape = input.Shape;
        return GradMode.Record(y, "mse_loss", [input, target], g =>
        {
            // d/da mean((a − b)²) = 2(a − b)/n, d/db = −2(a − b)/n
            float scale = 2f * g.Item() / n;
            Tensor? ga = null, gb = null;
            if (input.RequiresGrad)
            {
                var d = new float[n];
                System.Numerics.Tensors.TensorPrimitives.Multiply(diff, scale, d);
                ga = Tensor.Wrap(d, shape);
            }
            if (target.RequiresGrad)
            {
                var d = new float[n];
                System.Numerics.Tensors.TensorPrimitives.Multiply(diff, -scale, d);
                gb = Tensor.Wrap(d, shape);
            }
            return [ga, gb];
        });
    }

    /// <summary>
    /// Mean binary cross entropy on logits, like <c>F.binary_cross_entropy_with_logits</c>, in the stable form
    /// max(x, 0) − x·t + log(1 + e^(−|x|)) that neither overflows nor takes the log of 0. Gradients:
    /// (σ(x) − t)/n to the logits and −x/n to the target (when it requires grad).
    /// </summary>
    /// <param name="logits">Unnormalized scores x.</param>
    /// <param name="target">Probabilities t in [0, 1], with the same shape as <paramref name="logits"/>.</param>
    /// <exception cref="ArgumentException">When the shapes differ or a tensor is not float32.</exception>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target)
    {
        const string op = "BinaryCrossEntropyWithLogits";
        LossChecks.SameShapeFloats(op, logits, target);
        var x = LossChecks.DenseFloats(logits);
        var t = LossChecks.DenseFloats(target);
        int n = x.Length;
        var y = Tensor.Scalar((float)(LossKernels.BinaryCrossEntropyWithLogits(x, t) / n));
        if (!GradMode.ShouldRecord(logits, target)) return y;
        var shape = logits.Shape;
        return GradMode.Record(y, "binary_cross_entropy_with_logits", [logits, target], g =>
        {
            float scale = g.Item() / n;
            Tensor? gx = null, gt = null;
            if (logits.RequiresGrad)
            {
                var d = new float[n];
                LossKernels.BinaryCrossEntropyWithLogitsBackward(x, t, scale, d);
                gx = Tensor.Wrap(d, shape);
            }
            if (target.RequiresGrad)
            {
                // d/dt (max(x,0) − x·t + log(1 + e^(−|x|))) = −x
                var d = new float[n];
                System.Numerics.Tensors.TensorPrimitives.Multiply(x, -scale, d);
                gt = Tensor.Wrap(d, shape);
            }
            return [gx, gt];
        });
    }
}

/// <summary>Argument checks and dense data access shared by the loss, normalization and embedding functions.</summary>
internal static class LossChecks
{
    /// <summary>The float elements in row-major order: the tensor's own storage when it is contiguous (read only!), else a copy.</summary>
    public static float[] DenseFloats(Tensor t) =>
        t.IsContiguous && t.Offset == 0 && t.Storage.Length == t.Numel ? t.Storage : t.ToArray();

    /// <summary>The int64 elements in row-major order (the storage itself when it is dense, else a copy).</summary>
    public static long[] DenseLongs(Tensor t) =>
        t.IsContiguous && t.Offset == 0 && t.LongStorage.Length == t.Numel ? t.LongStorage : t.ToLongArray();

    /// <summary>Throws unless both tensors are float32 with exactly the same shape.</summary>
    public static void SameShapeFloats(string op, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.DType != DType.Float32 || b.DType != DType.Float32)
            throw new ArgumentException($"{op}: expected float32 input and target, got {a.DType} and {b.DType}.");
        if (!ShapeUtil.SameShape(a.ShapeRef, b.ShapeRef))
            throw new ArgumentException(
                $"{op}: input shape {ShapeUtil.Format(a.ShapeRef)} and target shape {ShapeUtil.Format(b.ShapeRef)} must match exactly " +
                "(NeuroCore does not broadcast loss arguments; reshape one of them).");
    }

    /// <summary>
    /// Validates class-index targets for scores [N, C] with target [N], or scores [C] with a scalar target,
    /// and returns (N, C). Every target must be in [0, C) or equal <paramref name="ignoreIndex"/>.
    /// </summary>
    public static (int rows, int classes) ClassTargets(string op, Tensor scores, Tensor target, long ignoreIndex)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(target);
        if (scores.DType != DType.Float32)
            throw new ArgumentException($"{op}: the input must be float32 scores, got int64 with shape {ShapeUtil.Format(scores.ShapeRef)}.");
        if (target.DType != DType.Int64)
            throw new ArgumentException(
                $"{op}: the target must be int64 class indices, got float32 with shape {ShapeUtil.Format(target.ShapeRef)}. " +
                "Create it with Tensor.FromArray(new long[] { ... }).");
        int rows, classes;
        if (scores.Rank == 2 && target.Rank == 1)
        {
            rows = scores.ShapeRef[0];
            classes = scores.ShapeRef[1];
            if (target.ShapeRef[0] != rows)
                throw new ArgumentException(
                    $"{op}: the input has {rows} rows (shape {ShapeUtil.Format(scores.ShapeRef)}) but the target has {target.ShapeRef[0]} (shape {ShapeUtil.Format(target.ShapeRef)}).");
        }
        else if (scores.Rank == 1 && target.Rank == 0)
        {
            rows = 1;
            classes = scores.ShapeRef[0];
        }
        else
        {
            throw new ArgumentException(
                $"{op}: expected input [N, C] with target [N], or input [C] with a scalar target; got input {ShapeUtil.Format(scores.ShapeRef)} and target {ShapeUtil.Format(target.ShapeRef)}.");
        }
        var t = DenseLongs(target);
        for (int r = 0; r < t.Length; r++)
        {
            long c = t[r];
            if (c == ignoreIndex) continue;
            if (c < 0 || c >= classes)
                throw new ArgumentException(
                    $"{op}: target[{r}] = {c} is out of range for {classes} classes (expected 0..{classes - 1}, or the ignore index {ignoreIndex}).");
        }
        return (rows, classes);
    }

    /// <summary>The number of targets not equal to <paramref name="ignoreIndex"/>.</summary>
    public static int CountNotIgnored(ReadOnlySpan<long> target, long ignoreIndex)
    {
        int n = 0;
        foreach (long t in target) if (t != ignoreIndex) n++;
        return n;
    }
}
