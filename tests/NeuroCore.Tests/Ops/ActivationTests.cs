using NeuroCore.Kernels;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Ops;

/// <summary>Values and gradients at the points where PyTorch's conventions matter (kinks, 0, thresholds, NaN).</summary>
public class ActivationTests
{
    private static Tensor Leaf(params float[] values)
    {
        var t = Tensor.FromArray(values);
        t.RequiresGrad = true;
        return t;
    }

    private static float[] GradOf(Func<Tensor, Tensor> f, params float[] values)
    {
        var x = Leaf(values);
        f(x).Sum().Backward();
        return x.Grad!.ToArray();
    }

    [Fact]
    public void ReluGradientIsZeroAtZero()
    {
        // relu'(x) = 1 for x > 0, 0 for x ≤ 0 (PyTorch picks 0 at the kink)
        Assert.Equal([0f, 0f, 2f], Tensor.FromArray([-1f, 0f, 2f]).Relu().ToArray());
        Assert.Equal([0f, 0f, 1f], GradOf(x => x.Relu(), -1f, 0f, 2f));
        Assert.True(float.IsNaN(Tensor.FromArray([float.NaN]).Relu().Item()));
        Assert.Equal([1f], GradOf(x => x.Relu(), float.NaN)); // torch's threshold_backward lets NaN through
    }

    [Fact]
    public void AbsGradientIsSignWithZeroAtZero()
    {
        Assert.Equal([3f, 0f, 2f], Tensor.FromArray([-3f, 0f, 2f]).Abs().ToArray());
        Assert.Equal([-1f, 0f, 1f], GradOf(x => x.Abs(), -3f, 0f, 2f));
    }

    [Fact]
    public void LeakyReluUsesTheSlopeBelowAndAtZero()
    {
        Assert.Equal([-0.02f, 0f, 3f], Tensor.FromArray([-2f, 0f, 3f]).LeakyRelu().ToArray()); // default slope 0.01
        // x > 0 ? g : slope·g, so at 0 the gradient is the slope (as PyTorch)
        Assert.Equal([0.2f, 0.2f, 1f], GradOf(x => x.LeakyRelu(0.2f), -2f, 0f, 3f));
    }

    [Fact]
    public void PowMatchesPyTorchAtZeroAndForNegativeBases()
    {
        // d/dx x^0.5 = 0.5·x^-0.5 → +∞ at 0, exactly what torch returns
        Assert.Equal(float.PositiveInfinity, GradOf(x => x.Pow(0.5f), 0f)[0]);
        // x^0 = 1 everywhere, and its gradient is 0 even at 0 (torch special-cases exponent 0)
        Assert.Equal([1f, 1f], Tensor.FromArray([0f, -2f]).Pow(0f).ToArray());
        Assert.Equal([0f, 0f], GradOf(x => x.Pow(0f), 0f, -2f));
        // integer exponents work on negative bases; fractional ones give NaN there
        Assert.Equal(-8f, Tensor.FromArray([-2f]).Pow(3f).Item());
        Assert.Equal(4f, Tensor.FromArray([-2f]).Pow(2f).Item());
        Assert.Equal(-0.5f, Tensor.FromArray([-2f]).Pow(-1f).Item());
        Assert.True(float.IsNaN(Tensor.FromArray([-2f]).Pow(1.5f).Item()));
        // d/dx x³ = 3x² = 12 at −2; d/dx x⁻¹ = −x⁻² = −0.25 at 2
        Assert.Equal([12f], GradOf(x => x.Pow(3f), -2f));
        Assert.Equal([-0.25f], GradOf(x => x.Pow(-1f), 2f));
        // d/dx x² at 0 is 0 (not NaN from 0·∞)
        Assert.Equal([0f], GradOf(x => x.Pow(2f), 0f));
    }

    [Fact]
    public void SquareIsPowTwo()
    {
        var data = new[] { -1.5f, 0f, 2f };
        Assert.Equal(Tensor.FromArray(data).Pow(2f).ToArray(), Tensor.FromArray(data).Square().ToArray());
        Assert.Equal([-3f, 0f, 4f], GradOf(x => x.Square(), data));
    }

    [Fact]
    public void LogAndSqrtAtTheirSingularities()
    {
        Assert.Equal([float.NegativeInfinity, 0f], Tensor.FromArray([0f, 1f]).Log().ToArray());
        Assert.True(float.IsNaN(Tensor.FromArray([-1f]).Log().Item()));
        Assert.Equal([0.25f, 1f], GradOf(x => x.Log(), 4f, 1f)); // 1/x
        Assert.Equal([0.25f], GradOf(x => x.Sqrt(), 4f));         // 1/(2√x)
        Assert.Equal(float.PositiveInfinity, GradOf(x => x.Sqrt(), 0f)[0]);
    }

    [Fact]
    public void SoftplusFollowsTorchThresholdAndStaysAccurateForVeryNegativeInputs()
    {
        var y = Tensor.FromArray([0f, 25f, -30f, 20f]).Softplus().ToArray();
        Assert.Equal(MathF.Log(2f), y[0], 6);
        Assert.Equal(25f, y[1]); // above the threshold 20 the input is returned unchanged
        // log1p(e⁻³⁰) = 9.3576e-14: computing log(1 + e⁻³⁰) in float would give 0
        Assert.InRange(y[2], 9.3576e-14f * (1 - 1e-5f), 9.3576e-14f * (1 + 1e-5f));
        Assert.Equal(20f, y[3], 5);
        // gradient sigmoid(x): 0.5 at 0, 1 above the threshold
        var g = GradOf(x => x.Softplus(), 0f, 25f);
        Assert.Equal([0.5f, 1f], g);
    }

    [Fact]
    public void TanhAndSigmoidGradients()
    {
        // tanh'(0) = 1, sigmoid'(0) = 1/4
        Assert.Equal([1f], GradOf(x => x.Tanh(), 0f));
        Assert.Equal([0.25f], GradOf(x => x.Sigmoid(), 0f));
        var t = GradOf(x => x.Tanh(), 1f)[0];
        Assert.Equal(1 - Math.Tanh(1) * Math.Tanh(1), t, 6);
        // saturated sigmoid: value 1, gradient 0, no NaN
        Assert.Equal([1f], Tensor.FromArray([100f]).Sigmoid().ToArray());
        Assert.Equal([0f], GradOf(x => x.Sigmoid(), 100f));
    }

    [Fact]
    public void ErfIsAccurateToBetterThan1e7Everywhere()
    {
        // Cody's approximation against the independent series/continued-fraction reference, on a
        // dense grid that crosses both interval boundaries (0.46875 and 4).
        double worst = 0, worstInside = 0;
        for (double x = -6; x <= 6; x += 1.0 / 512)
        {
            double err = Math.Abs(ActivationKernels.Erf(x) - ErfReference.Erf(x));
            worst = Math.Max(worst, err);
            if (Math.Abs(x) <= 4) worstInside = Math.Max(worstInside, err);
        }
        // Beyond 4 erf is returned as ±1: off by erfc(4) = 1.5e-8, below float32 resolution near 1.
        Assert.True(worst < 1e-7, $"max |erf error| {worst}");
        Assert.True(worstInside < 1e-12, $"the double evaluation should be far better than needed on [-4, 4]: {worstInside}");
        Assert.Equal(0.8427007929497149, ActivationKernels.Erf(1.0), 14);
        Assert.Equal(-0.9953222650189527, ActivationKernels.Erf(-2.0), 14);
        Assert.Equal(1.0, ActivationKernels.Erf(double.PositiveInfinity));
        Assert.True(double.IsNaN(ActivationKernels.Erf(double.NaN)));
    }

    [Fact]
    public void GeluExactAndTanhMatchTheirDefinitions()
    {
        var xs = Enumerable.Range(-60, 121).Select(i => i / 10f).ToArray(); // −6 … 6
        var exact = Tensor.FromArray(xs).Gelu().ToArray();
        var approx = Tensor.FromArray(xs).Gelu(GeluApproximation.Tanh).ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            double x = xs[i];
            double want = x * 0.5 * (1 + ErfReference.Erf(x / Math.Sqrt(2)));
            double wantTanh = 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            Assert.True(Math.Abs(exact[i] - want) <= 1e-7 + 1e-6 * Math.Abs(want), $"gelu({x}) = {exact[i]}, want {want}");
            Assert.True(Math.Abs(approx[i] - wantTanh) <= 1e-7 + 1e-5 * Math.Abs(wantTanh), $"gelu_tanh({x}) = {approx[i]}, want {wantTanh}");
        }
        Assert.True(float.IsNaN(Tensor.FromArray([float.NaN]).Gelu().Item()));
        Assert.Equal(0f, Tensor.FromArray([-1000f]).Gelu().Item(), 7);
        Assert.Equal(1000f, Tensor.FromArray([1000f]).Gelu(GeluApproximation.Tanh).Item());
        // GELU'(0) = Φ(0) = 1/2 for both forms
        Assert.Equal([0.5f], GradOf(x => x.Gelu(), 0f));
        Assert.Equal([0.5f], GradOf(x => x.Gelu(GeluApproximation.Tanh), 0f));
    }

    [Fact]
    public void ClampBoundsPassGradientAndMinAboveMaxGivesMax()
    {
        var x = new[] { -2f, -1f, 0f, 1f, 2f, float.NaN };
        var y = Tensor.FromArray(x).Clamp(-1f, 1f).ToArray();
        Assert.Equal([-1f, -1f, 0f, 1f, 1f], y.Take(5));
        Assert.True(float.IsNaN(y[5])); // NaN propagates, as torch.clamp
        // gradient 1 on [min, max] including both bounds, 0 outside (and for NaN)
        Assert.Equal([0f, 1f, 1f, 1f, 0f, 0f], GradOf(t => t.Clamp(-1f, 1f), x));
        Assert.Equal([-1f, 0f, 5f], Tensor.FromArray([-3f, 0f, 5f]).Clamp(min: -1f).ToArray());
        Assert.Equal([-3f, 0f, 1f], Tensor.FromArray([-3f, 0f, 5f]).Clamp(max: 1f).ToArray());
        Assert.Equal([1f, 1f], Tensor.FromArray([-3f, 5f]).Clamp(2f, 1f).ToArray()); // min > max ⇒ max
        Assert.Throws<ArgumentException>(() => Tensor.FromArray([1f]).Clamp());
    }

    [Fact]
    public void OpsOnStridedViewsEqualOpsOnContiguousCopies()
    {
        var a = Tensor.Randn([5, 7], new Generator(3));
        var view = a.T; // [7, 5], strided
        var copy = view.Contiguous().Detach();
        Func<Tensor, Tensor>[] ops =
        [
            t => t.Tanh(), t => t.Sigmoid(), t => t.Relu(), t => t.Abs(), t => t.Softplus(), t => t.Gelu(),
            t => t.LeakyRelu(0.3f), t => t.Square(), t => t.Pow(3f), t => t.Clamp(-0.5f, 0.5f),
            t => t.Softmax(0), t => t.LogSoftmax(-1), t => t.Max(0), t => t.Min(1),
        ];
        foreach (var op in ops) Assert.Equal(op(copy).ToArray(), op(view).ToArray());
    }

    [Fact]
    public void Int64InputsAreRejectedNamingTheOp()
    {
        var ids = Tensor.FromArray([1L, 2L]);
        var ex = Assert.Throws<ArgumentException>(() => ids.Tanh());
        Assert.Contains("tanh", ex.Message);
        Assert.Contains("int64", ex.Message);
    }

    [Fact]
    public void NoGraphIsRecordedUnderNoGrad()
    {
        var x = Leaf(1f, 2f);
        using (NeuroCore.Autograd.GradMode.NoGrad())
        {
            Assert.False(x.Gelu().RequiresGrad);
            Assert.False(x.Softmax(0).RequiresGrad);
            Assert.False(Tensor.Concat([x, x]).RequiresGrad);
        }
        Assert.Equal("gelu", x.Gelu().GradFnName);
        Assert.Equal("softmax", x.Softmax(0).GradFnName);
        Assert.Equal("concat", Tensor.Concat([x, x]).GradFnName);
    }
}
