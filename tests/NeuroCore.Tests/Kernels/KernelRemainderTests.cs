using NeuroCore.Kernels;
using NeuroCore.Tests.Infrastructure;

namespace NeuroCore.Tests.Kernels;

/// <summary>
/// Every kernel at sizes 0, 1 and around the SIMD widths (8 floats for Vector256, 16 for Vector512),
/// so that the vector loops, the 256-bit step after the 512-bit one, and the scalar tails are all
/// exercised. References are computed here in double with plain loops. Rerun them with
/// DOTNET_EnableAVX512=0 to cover the 256-bit path alone (and DOTNET_EnableAVX2=0 for the scalar
/// path). On .NET 10 the older knob DOTNET_EnableAVX512F is ignored.
/// </summary>
public class KernelRemainderTests
{
    /// <summary>
    /// Guards the "AVX-512 disabled" test run: if the environment asks for it, Vector512 must really be
    /// off, otherwise that run silently repeats the default one.
    /// </summary>
    [Fact]
    public void DisablingAvx512ThroughTheEnvironmentTakesEffect()
    {
        bool asked = Environment.GetEnvironmentVariable("DOTNET_EnableAVX512F") == "0"
                  || Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0";
        if (!asked) Assert.Skip("AVX-512 was not disabled through the environment for this run.");
        Assert.False(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated,
            "AVX-512 was meant to be disabled, but Vector512 is still accelerated: on .NET 10 set DOTNET_EnableAVX512=0 " +
            "(DOTNET_EnableAVX512F is no longer read).");
    }

    public static readonly TheoryData<int> Sizes = [0, 1, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33];

    private static float[] Values(int n, int seed, double lo = -4, double hi = 4)
    {
        var rng = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(lo + (hi - lo) * rng.NextDouble());
        return v;
    }

    /// <summary>Exact zeros in the input, so the kink handling (relu, abs, leaky) is hit inside vectors too.</summary>
    private static float[] WithZeros(float[] v)
    {
        for (int i = 0; i < v.Length; i += 3) v[i] = 0f;
        return v;
    }

    private static void Close(Func<double, double> want, float[] x, float[] got, double rtol, double atol, string what)
    {
        var w = x.Select(v => want(v)).ToArray();
        TensorAssert.Close(w, got, rtol, atol, what);
    }

    private static void Close2(Func<double, double, double> want, float[] a, float[] b, float[] got, double rtol, double atol, string what)
    {
        var w = a.Select((v, i) => want(v, b[i])).ToArray();
        TensorAssert.Close(w, got, rtol, atol, what);
    }

    /// <summary>log(1 + t) without the cancellation of 1 + t for tiny t (series below 1e-4).</summary>
    private static double Log1p(double t) => t < 1e-4 ? t - t * t / 2 + t * t * t / 3 : Math.Log(1 + t);

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
    private static double Phi(double x) => 0.5 * (1 + ErfReference.Erf(x / Math.Sqrt(2)));

    [Theory, MemberData(nameof(Sizes))]
    public void ForwardActivationKernels(int n)
    {
        var x = WithZeros(Values(n, n));
        var d = new float[n];

        ActivationKernels.LeakyRelu(x, 0.1f, d);
        Close(v => v > 0 ? v : 0.1 * v, x, d, 1e-7, 0, $"leaky_relu n={n}");

        var wide = Values(n, n + 1, -30, 30);
        ActivationKernels.Softplus(wide, d);
        Close(v => v > 20 ? v : Log1p(Math.Exp(v)), wide, d, 2e-6, 0, $"softplus n={n}");

        ActivationKernels.GeluErf(x, d);
        Close(v => v * Phi(v), x, d, 1e-6, 1e-7, $"gelu n={n}");

        ActivationKernels.GeluTanh(x, d);
        Close(v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))), x, d, 1e-5, 1e-7, $"gelu_tanh n={n}");

        var pos = Values(n, n + 2, 0.1, 3);
        foreach (var e in new[] { 0f, 1f, 2f, 3f, 0.5f, -0.5f, -1f, -2f, 1.7f })
        {
            ActivationKernels.Pow(pos, e, d);
            Close(v => Math.Pow(v, e), pos, d, 1e-6, 0, $"pow {e} n={n}");
        }
    }

    [Theory, MemberData(nameof(Sizes))]
    public void BackwardActivationKernels(int n)
    {
        var x = WithZeros(Values(n, 2 * n));
        var g = Values(n, 3 * n, -2, 2);
        var d = new float[n];

        var relu = x.Select((v, i) => i % 5 == 4 ? float.NaN : MathF.Max(v, 0f)).ToArray();
        ActivationKernels.ReluBackward(relu, g, d);
        Close2((v, gv) => v <= 0 ? 0 : gv, relu, g, d, 0, 0, $"relu' n={n}");

        ActivationKernels.LeakyReluBackward(x, g, 0.2f, d);
        Close2((v, gv) => v > 0 ? gv : 0.2 * gv, x, g, d, 1e-7, 0, $"leaky_relu' n={n}");

        ActivationKernels.AbsBackward(x, g, d);
        Close2((v, gv) => Math.Sign(v) * gv, x, g, d, 0, 0, $"abs' n={n}");

        var y = x.Select(v => (float)Sigmoid(v)).ToArray();
        ActivationKernels.SigmoidBackward(y, g, d);
        Close2((s, gv) => gv * s * (1 - s), y, g, d, 1e-6, 1e-7, $"sigmoid' n={n}");

        var t = x.Select(v => MathF.Tanh(v)).ToArray();
        ActivationKernels.TanhBackward(t, g, d);
        Close2((th, gv) => gv * (1 - th * th), t, g, d, 1e-6, 1e-7, $"tanh' n={n}");

        var wide = Values(n, n + 5, -30, 30);
        ActivationKernels.SoftplusBackward(wide, g, d);
        Close2((v, gv) => v > 20 ? gv : gv * Sigmoid(v), wide, g, d, 1e-5, 1e-7, $"softplus' n={n}");

        ActivationKernels.GeluErfBackward(x, g, d);
        Close2((v, gv) => gv * (Phi(v) + v * Math.Exp(-v * v / 2) / Math.Sqrt(2 * Math.PI)), x, g, d, 1e-5, 1e-6, $"gelu' n={n}");

        ActivationKernels.GeluTanhBackward(x, g, d);
        Close2((v, gv) =>
        {
            double k = Math.Sqrt(2 / Math.PI), th = Math.Tanh(k * (v + 0.044715 * v * v * v));
            return gv * (0.5 * (1 + th) + 0.5 * v * (1 - th * th) * k * (1 + 3 * 0.044715 * v * v));
        }, x, g, d, 1e-5, 1e-6, $"gelu_tanh' n={n}");

        // The bounds themselves pass the gradient.
        var onBounds = x.Select((v, i) => i % 4 == 1 ? -1f : i % 4 == 2 ? 1f : v).ToArray();
        ActivationKernels.ClampBackward(onBounds, g, -1f, 1f, d);
        Close2((v, gv) => v >= -1 && v <= 1 ? gv : 0, onBounds, g, d, 0, 0, $"clamp' n={n}");
    }

    [Theory, MemberData(nameof(Sizes))]
    public void InPlaceMapIsAllowed(int n)
    {
        var x = Values(n, 7 * n);
        var copy = (float[])x.Clone();
        ActivationKernels.GeluTanh(x, x);
        var want = new float[n];
        ActivationKernels.GeluTanh(copy, want);
        Assert.Equal(want, x);
    }

    /// <summary>The vectorized erf (used by the GELU kernels) equals the scalar one lane by lane.</summary>
    [Fact]
    public void VectorErfMatchesScalarErf()
    {
        if (!System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated) Assert.Skip("No 256-bit SIMD on this machine.");
        var xs = Enumerable.Range(-400, 801).Select(i => i / 50.0).Append(double.NaN).Append(double.PositiveInfinity).Append(double.NegativeInfinity).ToArray();
        for (int i = 0; i + 4 <= xs.Length; i += 4)
        {
            var v = ActivationKernels.Erf(System.Runtime.Intrinsics.Vector256.Create(xs, i));
            for (int k = 0; k < 4; k++)
            {
                double s = ActivationKernels.Erf(xs[i + k]);
                Assert.True(s.Equals(v[k]) || Math.Abs(s - v[k]) <= 4e-16, $"erf({xs[i + k]}): scalar {s}, vector {v[k]}");
            }
        }
    }

    // ---- Softmax over every (outer, n, inner) split with n and inner at the remainder sizes ----

    [Theory, MemberData(nameof(Sizes))]
    public void SoftmaxKernelsAlongRowsAndColumns(int size)
    {
        foreach (var (outer, n, inner) in new[] { (2, size, 1), (2, 3, size), (1, size, size) })
        {
            var x = Values(outer * n * inner, size + 11, -10, 10);
            var g = Values(outer * n * inner, size + 12, -1, 1);
            var y = new float[x.Length];
            var ly = new float[x.Length];
            var scratch = new float[2 * inner];
            SoftmaxKernels.Softmax(x, outer, n, inner, y, scratch);
            SoftmaxKernels.LogSoftmax(x, outer, n, inner, ly, scratch);
            var dy = new float[x.Length];
            var dly = new float[x.Length];
            SoftmaxKernels.SoftmaxBackward(y, g, outer, n, inner, dy, scratch);
            SoftmaxKernels.LogSoftmaxBackward(ly, g, outer, n, inner, dly, scratch);

            var wantY = new double[x.Length];
            var wantLy = new double[x.Length];
            var wantDy = new double[x.Length];
            var wantDly = new double[x.Length];
            for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int At(int k) => (o * n + k) * inner + i;
                double max = double.NegativeInfinity, sum = 0, gy = 0, gs = 0;
                for (int k = 0; k < n; k++) max = Math.Max(max, x[At(k)]);
                for (int k = 0; k < n; k++) sum += Math.Exp(x[At(k)] - max);
                for (int k = 0; k < n; k++)
                {
                    wantY[At(k)] = Math.Exp(x[At(k)] - max) / sum;
                    wantLy[At(k)] = x[At(k)] - max - Math.Log(sum);
                    gy += g[At(k)] * wantY[At(k)];
                    gs += g[At(k)];
                }
                for (int k = 0; k < n; k++)
                {
                    wantDy[At(k)] = wantY[At(k)] * (g[At(k)] - gy);
                    wantDly[At(k)] = g[At(k)] - wantY[At(k)] * gs;
                }
            }
            string what = $"[{outer}, {n}, {inner}]";
            TensorAssert.Close(wantY, y, 1e-5, 1e-7, "softmax " + what);
            TensorAssert.Close(wantLy, ly, 1e-5, 1e-5, "log_softmax " + what);
            TensorAssert.Close(wantDy, dy, 1e-4, 1e-6, "softmax' " + what);
            TensorAssert.Close(wantDly, dly, 1e-4, 1e-6, "log_softmax' " + what);
        }
    }

    // ---- Axis reductions (foundation SumAxis/MaxAxis and our MinAxis/ScatterAxis) ----

    [Theory, MemberData(nameof(Sizes))]
    public void AxisReductions(int size)
    {
        foreach (var (outer, n, inner) in new[] { (3, size, 1), (2, 3, size), (1, Math.Max(size, 1), size) })
        {
            // Small integers: sums are exact in float, and there are ties for the first-index rule.
            var x = Values(outer * n * inner, size + 21).Select(v => MathF.Round(v)).ToArray();
            var sum = new float[outer * inner];
            ReductionKernels.SumAxis(x, outer, n, inner, sum);
            if (n == 0) continue;
            var max = new float[outer * inner];
            var min = new float[outer * inner];
            var argmax = new int[outer * inner];
            var argmin = new int[outer * inner];
            ReductionKernels.MaxAxis(x, outer, n, inner, max, argmax);
            ReductionKernels.MinAxis(x, outer, n, inner, min, argmin);
            var scattered = new float[x.Length];
            var g = Values(outer * inner, size + 22);
            ReductionKernels.ScatterAxis(g, argmax, outer, n, inner, scattered);

            for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double s = 0;
                int best = 0, worst = 0;
                for (int k = 0; k < n; k++)
                {
                    float v = x[(o * n + k) * inner + i];
                    s += v;
                    if (v > x[(o * n + best) * inner + i]) best = k;
                    if (v < x[(o * n + worst) * inner + i]) worst = k;
                }
                int r = o * inner + i;
                string at = $"[{outer}, {n}, {inner}] at ({o}, {i})";
                Assert.True(s == sum[r], $"sum {at}: {sum[r]} vs {s}");
                Assert.True(best == argmax[r] && x[(o * n + best) * inner + i] == max[r], $"max {at}: {max[r]}@{argmax[r]}, want @{best}");
                Assert.True(worst == argmin[r] && x[(o * n + worst) * inner + i] == min[r], $"min {at}: {min[r]}@{argmin[r]}, want @{worst}");
                for (int k = 0; k < n; k++)
                    Assert.Equal(k == best ? g[r] : 0f, scattered[(o * n + k) * inner + i]);
            }
        }
    }

    // ---- Foundation element-wise kernels: broadcast binary and strided copy ----

    [Theory, MemberData(nameof(Sizes))]
    public void BinaryKernelOnDenseBroadcastAndStridedRows(int n)
    {
        var a = Values(2 * n, n + 31);
        var b = Values(2 * n, n + 32, 0.5, 3);
        var d = new float[2 * n];
        int[] shape = [2, n];

        // dense ⊕ dense
        ElementwiseKernels.Binary<AddOp>(a, [n, 1], 0, b, [n, 1], 0, shape, d);
        Close2((x, y) => x + y, a, b, d, 1e-7, 0, $"add dense n={n}");
        // dense ⊕ row-broadcast scalar per row (inner stride 0)
        ElementwiseKernels.Binary<DivOp>(a, [n, 1], 0, b, [1, 0], 0, shape, d);
        for (int r = 0; r < 2; r++)
            for (int i = 0; i < n; i++)
                Assert.Equal(a[r * n + i] / b[r], d[r * n + i]);
        // scalar-broadcast ⊕ dense
        ElementwiseKernels.Binary<SubOp>(a, [0, 0], 3 % Math.Max(a.Length, 1), b, [n, 1], 0, shape, d);
        for (int i = 0; i < 2 * n; i++) Assert.Equal(a[3 % a.Length] - b[i], d[i]);
        // strided ⊕ strided: read both as transposes of [n, 2]
        ElementwiseKernels.Binary<MulOp>(a, [1, 2], 0, b, [1, 2], 0, shape, d);
        for (int r = 0; r < 2; r++)
            for (int i = 0; i < n; i++)
                Assert.Equal(a[i * 2 + r] * b[i * 2 + r], d[r * n + i]);
    }

    [Theory, MemberData(nameof(Sizes))]
    public void CopyKernelOnDenseAndStridedViews(int n)
    {
        var src = Values(3 * n + 2, n + 41);
        var d = new float[n * 3];
        ElementwiseKernels.Copy(src, [1], 2, [3 * n], d.AsSpan());
        for (int i = 0; i < 3 * n; i++) Assert.Equal(src[2 + i], d[i]);
        // transpose of an [n, 3] block read as [3, n]
        ElementwiseKernels.Copy(src, [1, 3], 0, [3, n], d.AsSpan());
        for (int r = 0; r < 3; r++)
            for (int i = 0; i < n; i++)
                Assert.Equal(src[i * 3 + r], d[r * n + i]);
    }
}
