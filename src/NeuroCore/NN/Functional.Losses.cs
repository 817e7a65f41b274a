using NeuroCore.Autograd;
using NeuroCore.Kernels;
using NeuroCore.Layout;

namespace NeuroCore.NN;

public static partial class Functional
{
    /// <summary>
    /// Mean cross entropy of <paramref name="logits"/> [N, C] against int64 class targets [N], like
    /// <c>F.cross_entropy</c>: a fused, numerically stable log-softmax and negative log likelihood with
    /// gradient (softmax − onehot)/N. Also accepts logits [C] with a scalar target, and logits
    /// [N, C, d₁, …] with targets [N, d₁, …] (one class per position, e.g. per pixel; the mean is over all positions).
    /// </summary>
    /// <param name="logits">Unnormalized scores, float32 [N, C], [C] or [N, C, d₁, …]; classes are dimension 1 (0 for 1-D).</param>
    /// <param name="target">Class indices in [0, C), int64 with the shape of <paramref name="logits"/> minus the class dimension.</param>
    /// <param name="ignoreIndex">Rows whose target equals this value contribute nothing and are not counted in the mean (PyTorch's default is −100).</param>
    /// <param name="labelSmoothing">ε in [0, 1]: the target distribution becomes (1−ε)·onehot + ε/C.</param>
    /// <exception cref="ArgumentException">When the dtypes or shapes are wrong or a target is out of range.</exception>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, long ignoreIndex = -100, float labelSmoothing = 0f)
    {
        const string op = "CrossEntropy";
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"{op}: labelSmoothing must be in [0, 1], got {labelSmoothing}.");
        var (n, classes, spatial) = FunctionalArgs.ClassTargets(op, logits, target, ignoreIndex);
        int rows = n * spatial;
        var x = FunctionalArgs.ClassRows(logits, n, classes, spatial);
        var t = FunctionalArgs.DenseLongs(target);
        var lse = new float[rows];
        var scratch = new float[classes];
        int counted = FunctionalArgs.CountNotIgnored(t, ignoreIndex);
        double total = LossKernels.CrossEntropyForward(x, t, rows, classes, ignoreIndex, labelSmoothing, lse, scratch);
        // Mean over counted rows; with none counted this is 0/0 = NaN, as in PyTorch.
        var y = Tensor.Scalar((float)(total / counted));
        if (!GradMode.ShouldRecord(logits)) return y;
        var shape = logits.Shape;
        return GradMode.Record(y, "cross_entropy", [logits], g =>
        {
            // d loss/d x[r] = (softmax(x[r]) − (1−ε)·onehot(t[r]) − ε/C) / counted
            var grad = TensorMemory.Rent(x.Length); // every row is written
            LossKernels.CrossEntropyBackward(x, t, lse, rows, classes, ignoreIndex, labelSmoothing, g.Item() / counted, grad);
            return [Tensor.Wrap(FunctionalArgs.ClassRowsBack(grad, n, classes, spatial), shape)];
        });
    }

    /// <summary>
    /// Mean negative log likelihood of <paramref name="logProbabilities"/> [N, C] and int64 targets [N], like
    /// <c>F.nll_loss</c>: −mean over rows of logProbabilities[r, target[r]]. Also accepts [C] with a scalar
    /// target and [N, C, d₁, …] with targets [N, d₁, …].
    /// </summary>
    /// <param name="logProbabilities">Log-probabilities, float32 [N, C], [C] or [N, C, d₁, …] (for example a log-softmax output).</param>
    /// <param name="target">Class indices in [0, C), int64 with the input's shape minus the class dimension.</param>
    /// <param name="ignoreIndex">Rows whose target equals this value contribute nothing and are not counted in the mean.</param>
    /// <exception cref="ArgumentException">When the dtypes or shapes are wrong or a target is out of range.</exception>
    public static Tensor NllLoss(Tensor logProbabilities, Tensor target, long ignoreIndex = -100)
    {
        const string op = "NllLoss";
        var (n, classes, spatial) = FunctionalArgs.ClassTargets(op, logProbabilities, target, ignoreIndex);
        int rows = n * spatial;
        var x = FunctionalArgs.ClassRows(logProbabilities, n, classes, spatial);
        var t = FunctionalArgs.DenseLongs(target);
        int counted = FunctionalArgs.CountNotIgnored(t, ignoreIndex);
        var y = Tensor.Scalar((float)(LossKernels.NllForward(x, t, rows, classes, ignoreIndex) / counted));
        if (!GradMode.ShouldRecord(logProbabilities)) return y;
        var shape = logProbabilities.Shape;
        return GradMode.Record(y, "nll_loss", [logProbabilities], g =>
        {
            // d loss/d x[r, c] = −1/counted where c = t[r], else 0
            var grad = TensorMemory.RentZeroed(x.Length);
            LossKernels.NllBackward(t, rows, classes, ignoreIndex, g.Item() / counted, grad);
            return [Tensor.Wrap(FunctionalArgs.ClassRowsBack(grad, n, classes, spatial), shape)];
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
        FunctionalArgs.SameShapeFloats(op, input, target);
        var a = FunctionalArgs.DenseFloats(input);
        var b = FunctionalArgs.DenseFloats(target);
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
        FunctionalArgs.SameShapeFloats(op, logits, target);
        var x = FunctionalArgs.DenseFloats(logits);
        var t = FunctionalArgs.DenseFloats(target);
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
