namespace NeuroCore.Tests.Infrastructure;

/// <summary>
/// Finite-difference gradient checks. The analytic gradient of L = Σ f(inputs)·w (w fixed random
/// weights, so every output element matters differently) is compared with central differences
/// (L(x+h) − L(x−h)) / 2h, where L is accumulated in double from the float32 outputs — as
/// PyTorch's gradcheck advises, the numeric side wants double precision.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Checks d(Σ f·w)/d(input) for every float input that requires grad. <paramref name="h"/> is the
    /// step; tolerances are loose enough for float32 forward passes (round-off ~1e-7·|L|/h).
    /// </summary>
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double h = 1e-2, double rtol = 2e-2, double atol = 2e-3, int seed = 1234)
    {
        var output = f(inputs);
        var w = Tensor.Randn(output.Shape, new Generator(seed));
        var wData = w.ToArray();
        foreach (var t in inputs) t.Grad = null;
        (output * w).Sum().Backward();

        double Loss()
        {
            using var _ = NeuroCore.Autograd.GradMode.NoGrad();
            var y = f(inputs).ToArray();
            double s = 0;
            for (int i = 0; i < y.Length; i++) s += (double)y[i] * wData[i];
            return s;
        }

        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            if (!x.RequiresGrad) continue;
            var analytic = x.Grad?.ToArray() ?? new float[x.Numel];
            var data = x.ToArray();
            var shape = x.Shape;
            for (int i = 0; i < data.Length; i++)
            {
                float orig = data[i];
                int[] idx = Unravel(i, shape);
                x[idx] = (float)(orig + h);
                double plus = Loss();
                x[idx] = (float)(orig - h);
                double minus = Loss();
                x[idx] = orig;
                double numeric = (plus - minus) / (2 * h);
                double diff = Math.Abs(analytic[i] - numeric);
                if (diff > atol + rtol * Math.Abs(numeric))
                    Assert.Fail($"Gradient of input {k} (shape [{string.Join(", ", shape)}]) at element {i}: analytic {analytic[i]}, numeric {numeric}.");
            }
        }
    }

    private static int[] Unravel(int flat, int[] shape)
    {
        var idx = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }
}
