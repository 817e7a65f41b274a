using FsCheck.Xunit;
using NeuroCore.Tests.Infrastructure;
using static NeuroCore.Tests.Properties.TestValues;

namespace NeuroCore.Tests.Properties;

/// <summary>
/// Finite-difference gradient checks for every differentiable op of Activations, Softmax,
/// MaxReductions and Concat, over random shapes (1–3 dimensions of size 0–9). Inputs are kept away
/// from kinks (relu, abs, clamp bounds, max ties) by more than the step h = 0.01 and from
/// singularities (log, sqrt, negative powers). Each property also runs once on a transposed
/// (non-contiguous) view of the input.
/// </summary>
[Properties(Arbitrary = [typeof(TensorArbitraries)], MaxTest = 25)]
public class GradCheckProperties
{
    /// <summary>Checks f on x, and on x's transpose when x has 2+ dimensions (a strided input).</summary>
    private static void CheckUnary(Func<Tensor, Tensor> f, Tensor x)
    {
        GradCheck.Check(t => f(t[0]), [x.Leaf()]);
        if (x.Rank >= 2)
        {
            var xt = x.Transpose(0, -1).Contiguous().Detach().Leaf(); // the data that the view will read
            GradCheck.Check(t => f(t[0].Transpose(0, -1)), [xt]);
        }
    }

    [Property] public void Log(ShapeCase c) => CheckUnary(x => x.Log(), Uniform(c.Shape, c.Seed, 0.5f, 3f));
    [Property] public void Sqrt(ShapeCase c) => CheckUnary(x => x.Sqrt(), Uniform(c.Shape, c.Seed, 0.5f, 3f));
    [Property] public void Abs(ShapeCase c) => CheckUnary(x => x.Abs(), AwayFromZero(c.Shape, c.Seed, 0.05f, 2f));
    [Property] public void Tanh(ShapeCase c) => CheckUnary(x => x.Tanh(), Uniform(c.Shape, c.Seed, -3f, 3f));
    [Property] public void Sigmoid(ShapeCase c) => CheckUnary(x => x.Sigmoid(), Uniform(c.Shape, c.Seed, -5f, 5f));
    [Property] public void Relu(ShapeCase c) => CheckUnary(x => x.Relu(), AwayFromZero(c.Shape, c.Seed, 0.05f, 2f));
    [Property] public void LeakyRelu(ShapeCase c) => CheckUnary(x => x.LeakyRelu(0.2f), AwayFromZero(c.Shape, c.Seed, 0.05f, 2f));
    [Property] public void Square(ShapeCase c) => CheckUnary(x => x.Square(), Uniform(c.Shape, c.Seed, -2f, 2f));
    [Property] public void GeluExact(ShapeCase c) => CheckUnary(x => x.Gelu(), Uniform(c.Shape, c.Seed, -4f, 4f));
    [Property] public void GeluTanh(ShapeCase c) => CheckUnary(x => x.Gelu(GeluApproximation.Tanh), Uniform(c.Shape, c.Seed, -4f, 4f));

    [Property]
    public void Softplus(ShapeCase c)
    {
        // Both regions: the log1p(eˣ) curve and the linear part above the threshold 20.
        var x = Uniform(c.Shape, c.Seed, -8f, 8f);
        var big = Uniform(c.Shape, c.Seed + 1, 21f, 25f);
        var mask = Uniform(c.Shape, c.Seed + 2, 0f, 1f).ToArray();
        var data = x.ToArray();
        var bigData = big.ToArray();
        for (int i = 0; i < data.Length; i++) if (mask[i] < 0.2f) data[i] = bigData[i];
        CheckUnary(t => t.Softplus(), Tensor.FromArray(data, c.Shape));
    }

    [Property]
    public void Clamp(ShapeCase c)
    {
        // Values on a ladder of 0.05 steps offset by 0.025 never sit within h of the bounds ±0.5.
        var x = Distinct(c.Shape, c.Seed, 0.05f) + 0.025f;
        CheckUnary(t => t.Clamp(-0.5f, 0.5f), x.Detach());
        CheckUnary(t => t.Clamp(min: -0.5f), (Distinct(c.Shape, c.Seed, 0.05f) + 0.025f).Detach());
    }

    [Property]
    public void PowPositiveBase(ShapeCase c)
    {
        foreach (var e in new[] { 0f, 0.5f, -0.5f, 1.7f, -1f, -2f, 2f, 3f })
            CheckUnary(x => x.Pow(e), Uniform(c.Shape, c.Seed, 0.5f, 2f));
    }

    [Property]
    public void PowIntegerExponentOnNegativeBase(ShapeCase c)
    {
        foreach (var e in new[] { 2f, 3f, 4f, -1f })
            CheckUnary(x => x.Pow(e), AwayFromZero(c.Shape, c.Seed, 0.5f, 2f));
    }

    [Property] public void Softmax(ShapeCase c) => CheckUnary(x => x.Softmax(c.Dim), Uniform(c.Shape, c.Seed, -3f, 3f));
    [Property] public void LogSoftmax(ShapeCase c) => CheckUnary(x => x.LogSoftmax(c.Dim), Uniform(c.Shape, c.Seed, -3f, 3f));

    [Property]
    public void MaxAndMinAlongDim(ShapeCase c)
    {
        int d = c.Dim < 0 ? c.Dim + c.Shape.Length : c.Dim;
        if (c.Shape[d] == 0) return; // reducing an empty dimension is an error (tested separately)
        foreach (bool keep in new[] { false, true })
        {
            CheckUnary(x => x.Max(c.Dim, keep), Distinct(c.Shape, c.Seed, 0.05f));
            CheckUnary(x => x.Min(c.Dim, keep), Distinct(c.Shape, c.Seed, 0.05f));
        }
    }

    [Property]
    public void MaxAndMinOfAll(ShapeCase c)
    {
        if (c.Numel == 0) return;
        CheckUnary(x => x.Max(), Distinct(c.Shape, c.Seed, 0.05f));
        CheckUnary(x => x.Min(), Distinct(c.Shape, c.Seed, 0.05f));
    }

    [Property]
    public void Concat(ConcatCase c)
    {
        var inputs = c.Shapes.Select((s, i) => Uniform(s, c.Seed + i, -2f, 2f).Leaf()).ToArray();
        GradCheck.Check(t => Tensor.Concat(t, c.Dim) * 1.5f, inputs);
        // Strided inputs: each is read through a transpose of its own contiguous copy.
        if (c.Shapes[0].Length >= 2)
        {
            var transposed = inputs.Select(t => t.Transpose(0, -1).Contiguous().Detach().Leaf()).ToArray();
            GradCheck.Check(t => Tensor.Concat(t.Select(v => v.Transpose(0, -1)).ToArray(), c.Dim), transposed);
        }
    }

    [Property]
    public void Stack(ShapeCase c)
    {
        int n = c.Seed % 3 + 1;
        int dim = c.Dim; // in -rank..rank-1, always valid for stack (which accepts -rank-1..rank)
        var inputs = Enumerable.Range(0, n).Select(i => Uniform(c.Shape, c.Seed + i, -2f, 2f).Leaf()).ToArray();
        GradCheck.Check(t => Tensor.Stack(t, dim), inputs);
    }

    // ---- The foundation ops these build on: broadcasting arithmetic (gradients reduced by the
    // engine), reductions and views, over the same random shapes ----

    [Property]
    public void BroadcastArithmetic(BroadcastCase c)
    {
        var a = Uniform(c.A, c.Seed, -2f, 2f).Leaf();
        var b = AwayFromZero(c.B, c.Seed + 1, 0.5f, 2f).Leaf(); // divisor away from 0
        GradCheck.Check(t => t[0] + t[1], [a, b]);
        GradCheck.Check(t => t[0] - t[1], [a, b]);
        GradCheck.Check(t => t[0] * t[1], [a, b]);
        GradCheck.Check(t => t[0] / t[1], [a, b]);
    }

    [Property]
    public void SumAndMeanAlongDim(ShapeCase c)
    {
        foreach (bool keep in new[] { false, true })
        {
            CheckUnary(x => x.Sum(c.Dim, keep), Uniform(c.Shape, c.Seed, -2f, 2f));
            int d = c.Dim < 0 ? c.Dim + c.Shape.Length : c.Dim;
            if (c.Shape[d] > 0) CheckUnary(x => x.Mean(c.Dim, keep), Uniform(c.Shape, c.Seed, -2f, 2f));
        }
    }

    [Property]
    public void Views(ShapeCase c)
    {
        var rank = c.Shape.Length;
        int d = c.Dim < 0 ? c.Dim + rank : c.Dim;
        var w = Uniform(c.Shape, c.Seed + 5, -1f, 1f); // makes every view's elements matter differently
        CheckUnary(x => x.Reshape(-1) * w.Reshape(-1), Uniform(c.Shape, c.Seed, -2f, 2f));
        CheckUnary(x => x.Transpose(0, c.Dim) * w.Transpose(0, c.Dim), Uniform(c.Shape, c.Seed, -2f, 2f));
        CheckUnary(x => x.Unsqueeze(d).Squeeze(d) * w, Uniform(c.Shape, c.Seed, -2f, 2f));
        int start = c.Shape[d] / 3, length = c.Shape[d] - start - (c.Shape[d] > 1 ? 1 : 0);
        CheckUnary(x => x.Narrow(d, start, length), Uniform(c.Shape, c.Seed, -2f, 2f));
        var ones = (int[])c.Shape.Clone();
        ones[d] = 1;
        var target = (int[])c.Shape.Clone();
        target[d] = 3;
        CheckUnary(x => x.Expand(target) * Uniform(target, c.Seed + 9, -1f, 1f), Uniform(ones, c.Seed, -2f, 2f));
    }
}
