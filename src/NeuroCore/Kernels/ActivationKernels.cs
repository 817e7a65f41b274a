using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace NeuroCore.Kernels;

/// <summary>
/// Span-in, span-out kernels for the element-wise activations and their derivatives that
/// <see cref="TensorPrimitives"/> does not provide. Backward kernels take the saved forward input (x)
/// or output (y) plus the upstream gradient g and write d(loss)/dx.
/// </summary>
internal static class ActivationKernels
{
    // ---- Forward ----

    /// <summary>dst = x &gt; 0 ? x : slope·x, as in PyTorch (at 0 both branches give 0).</summary>
    public static void LeakyRelu(ReadOnlySpan<float> x, float slope, Span<float> dst) => SimdMap.Unary(new LeakyReluFn(slope), x, dst);

    /// <summary>dst = log(1 + eˣ), or x when x &gt; 20 (PyTorch's threshold for beta = 1).</summary>
    public static void Softplus(ReadOnlySpan<float> x, Span<float> dst) => SimdMap.Unary(default(SoftplusFn), x, dst);

    /// <summary>dst = x·Φ(x) with the exact normal CDF Φ(x) = (1 + erf(x/√2))/2.</summary>
    public static void GeluErf(ReadOnlySpan<float> x, Span<float> dst) => SimdMap.Unary(default(GeluErfFn), x, dst);

    /// <summary>dst = x/2·(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
    public static void GeluTanh(ReadOnlySpan<float> x, Span<float> dst) => SimdMap.Unary(default(GeluTanhFn), x, dst);

    /// <summary>
    /// dst = xᵉ, with PyTorch's special cases for common exponents (square, cube, sqrt, reciprocals),
    /// which are both faster and exact where the general power is not.
    /// </summary>
    public static void Pow(ReadOnlySpan<float> x, float e, Span<float> dst)
    {
        switch (e)
        {
            case 0f: dst[..x.Length].Fill(1f); break;
            case 1f: x.CopyTo(dst); break;
            case 2f: TensorPrimitives.Multiply(x, x, dst); break;
            case 3f: TensorPrimitives.Multiply(x, x, dst); TensorPrimitives.Multiply(dst[..x.Length], x, dst); break;
            case 0.5f: TensorPrimitives.Sqrt(x, dst); break;
            case -0.5f: TensorPrimitives.ReciprocalSqrt(x, dst); break;
            case -1f: TensorPrimitives.Reciprocal(x, dst); break;
            case -2f: TensorPrimitives.Multiply(x, x, dst); TensorPrimitives.Reciprocal(dst[..x.Length], dst); break;
            default: TensorPrimitives.Pow(x, e, dst); break;
        }
    }

    // ---- Backward: dst = d(loss)/dx from a saved tensor and g ----

    /// <summary>
    /// dst = max(x, 0) (NaN stays NaN); x and dst may be the same span. The in-place ReLU's SIMD loop with plain
    /// stores: TensorPrimitives switches to non-temporal stores above 256 KB, which would send an output the
    /// next kernel is about to read out to memory.
    /// </summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> dst) => SimdMap.Unary(default(ReluMap), x, dst);

    /// <summary>
    /// dst = y ≤ 0 ? 0 : g from the relu output y, as PyTorch's threshold_backward: the gradient at 0
    /// is 0, and a NaN input (y = NaN) passes the gradient.
    /// </summary>
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dst) => SimdMap.Binary(default(ReluBackwardFn), y, g, dst);

    /// <summary>dst = x &gt; 0 ? g : slope·g.</summary>
    public static void LeakyReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> g, float slope, Span<float> dst) => SimdMap.Binary(new LeakyReluBackwardFn(slope), x, g, dst);

    /// <summary>dst = sign(x)·g, with sign(0) = 0.</summary>
    public static void AbsBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> dst) => SimdMap.Binary(default(AbsBackwardFn), x, g, dst);

    /// <summary>dst = g·y·(1 − y) where y = sigmoid(x).</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dst) => SimdMap.Binary(default(SigmoidBackwardFn), y, g, dst);

    /// <summary>dst = g·(1 − y²) where y = tanh(x).</summary>
    public static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dst) => SimdMap.Binary(default(TanhBackwardFn), y, g, dst);

    /// <summary>dst = g·sigmoid(x), or g where x &gt; 20 (the forward's linear region).</summary>
    public static void SoftplusBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> dst) => SimdMap.Binary(default(SoftplusBackwardFn), x, g, dst);

    /// <summary>dst = g·(Φ(x) + x·φ(x)), φ the standard normal density.</summary>
    public static void GeluErfBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> dst) => SimdMap.Binary(default(GeluErfBackwardFn), x, g, dst);

    /// <summary>The derivative of the tanh-approximated GELU times g.</summary>
    public static void GeluTanhBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> dst) => SimdMap.Binary(default(GeluTanhBackwardFn), x, g, dst);

    /// <summary>dst = lo ≤ x ≤ hi ? g : 0 (bounds included, as in PyTorch's clamp backward).</summary>
    public static void ClampBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> g, float lo, float hi, Span<float> dst) => SimdMap.Binary(new ClampBackwardFn(lo, hi), x, g, dst);

    // ---- The error function ----

    // W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969)
    // 631–637, as implemented in his SPECFUN routine CALERF (Netlib). Evaluated in double, the
    // relative error is below 1e-16 on both intervals, far under the float32 rounding (6e-8) of the
    // result; the brief asked for < 1e-7. Interval 1 (|x| ≤ 0.46875): erf(x) = x·P(x²)/Q(x²).
    private const double A0 = 3.16112374387056560e00, A1 = 1.13864154151050156e02, A2 = 3.77485237685302021e02,
        A3 = 3.20937758913846947e03, A4 = 1.85777706184603153e-1;
    private const double B0 = 2.36012909523441209e01, B1 = 2.44024637934444173e02, B2 = 1.28261652607737228e03,
        B3 = 2.84423683343917062e03;
    // Interval 2 (0.46875 < |x| ≤ 4): erfc(x) = exp(−x²)·P(x)/Q(x).
    private const double C0 = 5.64188496988670089e-1, C1 = 8.88314979438837594e00, C2 = 6.61191906371416295e01,
        C3 = 2.98635138197400131e02, C4 = 8.81952221241769090e02, C5 = 1.71204761263407058e03,
        C6 = 2.05107837782607147e03, C7 = 1.23033935479799725e03, C8 = 2.15311535474403846e-8;
    private const double D0 = 1.57449261107098347e01, D1 = 1.17693950891312499e02, D2 = 5.37181101862009858e02,
        D3 = 1.62138957456669019e03, D4 = 3.29079923573345963e03, D5 = 4.36261909014324716e03,
        D6 = 3.43936767414372164e03, D7 = 1.23033935480374942e03;
    private const double Threshold = 0.46875;
    // Beyond |x| = 4, erfc(x) < 1.6e-8, so erf rounds to ±1 in float32 (and GELU's x·erfc term is
    // below 1e-7·|x|·e^(−16)), so Cody's third interval is not needed.
    private const double Saturation = 4.0;

    /// <summary>The error function erf(x), accurate to double precision for |x| ≤ 4 and ±1 beyond.</summary>
    public static double Erf(double x)
    {
        double y = Math.Abs(x);
        if (y <= Threshold)
        {
            double z = y * y;
            double num = (((A4 * z + A0) * z + A1) * z + A2) * z + A3;
            double den = (((z + B0) * z + B1) * z + B2) * z + B3;
            return x * num / den;
        }
        if (y > Saturation) return Math.CopySign(1.0, x);
        double erfc = Math.Exp(-y * y) * ErfcRational(y);
        return Math.CopySign(1.0 - erfc, x); // NaN stays NaN: every comparison above was false
    }

    private static double ErfcRational(double y)
    {
        double num = (((((((C8 * y + C0) * y + C1) * y + C2) * y + C3) * y + C4) * y + C5) * y + C6) * y + C7;
        double den = (((((((y + D0) * y + D1) * y + D2) * y + D3) * y + D4) * y + D5) * y + D6) * y + D7;
        return num / den;
    }

    /// <summary>The vector form of <see cref="Erf(double)"/>: both intervals are evaluated and blended per lane.</summary>
    public static Vector256<double> Erf(Vector256<double> x)
    {
        var y = Vector256.Abs(x);
        var z = y * y;
        var num1 = (((Vector256.Create(A4) * z + Vector256.Create(A0)) * z + Vector256.Create(A1)) * z + Vector256.Create(A2)) * z + Vector256.Create(A3);
        var den1 = (((z + Vector256.Create(B0)) * z + Vector256.Create(B1)) * z + Vector256.Create(B2)) * z + Vector256.Create(B3);
        var small = x * num1 / den1;

        var yc = Vector256.Min(y, Vector256.Create(Saturation)); // keeps the rational finite for large |x|
        var num2 = (((((((Vector256.Create(C8) * yc + Vector256.Create(C0)) * yc + Vector256.Create(C1)) * yc + Vector256.Create(C2)) * yc
            + Vector256.Create(C3)) * yc + Vector256.Create(C4)) * yc + Vector256.Create(C5)) * yc + Vector256.Create(C6)) * yc + Vector256.Create(C7);
        var den2 = (((((((yc + Vector256.Create(D0)) * yc + Vector256.Create(D1)) * yc + Vector256.Create(D2)) * yc + Vector256.Create(D3)) * yc
            + Vector256.Create(D4)) * yc + Vector256.Create(D5)) * yc + Vector256.Create(D6)) * yc + Vector256.Create(D7);
        var erfc = Vector256.Exp(-(yc * yc)) * (num2 / den2);
        var one = Vector256.Create(1.0);
        var large = Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256.Create(Saturation)), one, one - erfc);
        large = Vector256.CopySign(large, x);
        return Vector256.ConditionalSelect(Vector256.LessThanOrEqual(y, Vector256.Create(Threshold)), small, large);
    }

    private const double InvSqrt2 = 0.70710678118654752440;
    private const double InvSqrt2Pi = 0.39894228040143267794;

    private static double GeluErfScalar(double x) => 0.5 * x * (1.0 + Erf(x * InvSqrt2));

    private static Vector256<double> GeluErfVector(Vector256<double> x) =>
        Vector256.Create(0.5) * x * (Vector256.Create(1.0) + Erf(x * Vector256.Create(InvSqrt2)));

    private static double GeluErfGradScalar(double x) =>
        0.5 * (1.0 + Erf(x * InvSqrt2)) + x * InvSqrt2Pi * Math.Exp(-0.5 * x * x);

    private static Vector256<double> GeluErfGradVector(Vector256<double> x) =>
        Vector256.Create(0.5) * (Vector256.Create(1.0) + Erf(x * Vector256.Create(InvSqrt2)))
        + x * Vector256.Create(InvSqrt2Pi) * Vector256.Exp(Vector256.Create(-0.5) * x * x);

    // ---- The functions ----

    private readonly struct LeakyReluFn(float slope) : IUnaryFn
    {
        public float Invoke(float x) => x > 0 ? x : x * slope;
        public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, x * slope);
        public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * slope);
    }

    private const float SoftplusThreshold = 20f;

    // softplus(x) = max(x, 0) + log1p(e^−|x|) never overflows. log1p(t) is computed as
    // log(u)·t/(u − 1) with u = 1 + t, exact to a few ulps even when t is tiny (Goldberg, "What every
    // computer scientist should know about floating-point arithmetic", 1991, Theorem 4).
    private readonly struct SoftplusFn : IUnaryFn
    {
        public float Invoke(float x)
        {
            if (x > SoftplusThreshold) return x;
            float t = MathF.Exp(-MathF.Abs(x));
            float u = 1f + t;
            float l = u == 1f ? t : MathF.Log(u) * (t / (u - 1f));
            return MathF.Max(x, 0f) + l;
        }

        public Vector256<float> Invoke(Vector256<float> x)
        {
            var t = Vector256.Exp(-Vector256.Abs(x));
            var u = Vector256<float>.One + t;
            var l = Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<float>.One), t, Vector256.Log(u) * (t / (u - Vector256<float>.One)));
            var r = Vector256.Max(x, Vector256<float>.Zero) + l;
            return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(SoftplusThreshold)), x, r);
        }

        public Vector512<float> Invoke(Vector512<float> x)
        {
            var t = Vector512.Exp(-Vector512.Abs(x));
            var u = Vector512<float>.One + t;
            var l = Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<float>.One), t, Vector512.Log(u) * (t / (u - Vector512<float>.One)));
            var r = Vector512.Max(x, Vector512<float>.Zero) + l;
            return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(SoftplusThreshold)), x, r);
        }
    }

    // GELU (exact) is computed in double: 1 + erf(x/√2) cancels for negative x, and double keeps
    // x·Φ(x) accurate to float precision down to x ≈ −5.6 where it falls below 1e-7.
    private readonly struct GeluErfFn : IUnaryFn
    {
        public float Invoke(float x) => (float)GeluErfScalar(x);

        public Vector256<float> Invoke(Vector256<float> x)
        {
            var (lo, hi) = Vector256.Widen(x);
            return Vector256.Narrow(GeluErfVector(lo), GeluErfVector(hi));
        }

        public Vector512<float> Invoke(Vector512<float> x) => Vector512.Create(Invoke(x.GetLower()), Invoke(x.GetUpper()));
    }

    private readonly struct GeluErfBackwardFn : IBinaryFn
    {
        public float Invoke(float x, float g) => (float)(g * GeluErfGradScalar(x));

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g)
        {
            var (lo, hi) = Vector256.Widen(x);
            return Vector256.Narrow(GeluErfGradVector(lo), GeluErfGradVector(hi)) * g;
        }

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g) =>
            Vector512.Create(Invoke(x.GetLower(), g.GetLower()), Invoke(x.GetUpper(), g.GetUpper()));
    }

    // tanh-GELU: x/2·(1 + tanh(u)) = x·s with s = sigmoid(2u) — the same value without the
    // cancellation of 1 + tanh(u) for negative u. Its derivative is s + 2x·s(1 − s)·u′ with
    // u′ = √(2/π)(1 + 3·0.044715x²), since 1 − tanh²(u) = 4s(1 − s).
    private const float KBeta = 0.7978845608028654f; // √(2/π)
    private const float KKappa = 0.044715f;

    private readonly struct GeluTanhFn : IUnaryFn
    {
        public float Invoke(float x)
        {
            float u = KBeta * (x + KKappa * x * x * x);
            return x / (1f + MathF.Exp(-2f * u));
        }

        public Vector256<float> Invoke(Vector256<float> x)
        {
            var u = Vector256.Create(KBeta) * (x + Vector256.Create(KKappa) * x * x * x);
            return x / (Vector256<float>.One + Vector256.Exp(Vector256.Create(-2f) * u));
        }

        public Vector512<float> Invoke(Vector512<float> x)
        {
            var u = Vector512.Create(KBeta) * (x + Vector512.Create(KKappa) * x * x * x);
            return x / (Vector512<float>.One + Vector512.Exp(Vector512.Create(-2f) * u));
        }
    }

    private readonly struct GeluTanhBackwardFn : IBinaryFn
    {
        public float Invoke(float x, float g)
        {
            float x2 = x * x;
            float u = KBeta * (x + KKappa * x2 * x);
            float s = 1f / (1f + MathF.Exp(-2f * u));
            float du = KBeta * (1f + 3f * KKappa * x2);
            return g * (s + 2f * x * s * (1f - s) * du);
        }

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g)
        {
            var x2 = x * x;
            var u = Vector256.Create(KBeta) * (x + Vector256.Create(KKappa) * x2 * x);
            var s = Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(Vector256.Create(-2f) * u));
            var du = Vector256.Create(KBeta) * (Vector256<float>.One + Vector256.Create(3f * KKappa) * x2);
            return g * (s + Vector256.Create(2f) * x * s * (Vector256<float>.One - s) * du);
        }

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g)
        {
            var x2 = x * x;
            var u = Vector512.Create(KBeta) * (x + Vector512.Create(KKappa) * x2 * x);
            var s = Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(Vector512.Create(-2f) * u));
            var du = Vector512.Create(KBeta) * (Vector512<float>.One + Vector512.Create(3f * KKappa) * x2);
            return g * (s + Vector512.Create(2f) * x * s * (Vector512<float>.One - s) * du);
        }
    }

    private readonly struct ReluBackwardFn : IBinaryFn
    {
        public float Invoke(float y, float g) => y <= 0 ? 0f : g;
        public Vector256<float> Invoke(Vector256<float> y, Vector256<float> g) => Vector256.ConditionalSelect(Vector256.LessThanOrEqual(y, Vector256<float>.Zero), Vector256<float>.Zero, g);
        public Vector512<float> Invoke(Vector512<float> y, Vector512<float> g) => Vector512.ConditionalSelect(Vector512.LessThanOrEqual(y, Vector512<float>.Zero), Vector512<float>.Zero, g);
    }

    private readonly struct LeakyReluBackwardFn(float slope) : IBinaryFn
    {
        public float Invoke(float x, float g) => x > 0 ? g : g * slope;
        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), g, g * slope);
        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), g, g * slope);
    }

    // sign(x) = (x > 0) − (x < 0): 0 at ±0 and for NaN, as PyTorch's sign kernel computes it.
    private readonly struct AbsBackwardFn : IBinaryFn
    {
        public float Invoke(float x, float g) => ((x > 0 ? 1f : 0f) - (x < 0 ? 1f : 0f)) * g;

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g)
        {
            var one = Vector256<float>.One;
            var sign = (Vector256.GreaterThan(x, Vector256<float>.Zero) & one) - (Vector256.LessThan(x, Vector256<float>.Zero) & one);
            return sign * g;
        }

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g)
        {
            var one = Vector512<float>.One;
            var sign = (Vector512.GreaterThan(x, Vector512<float>.Zero) & one) - (Vector512.LessThan(x, Vector512<float>.Zero) & one);
            return sign * g;
        }
    }

    private readonly struct SigmoidBackwardFn : IBinaryFn
    {
        public float Invoke(float y, float g) => g * y * (1f - y);
        public Vector256<float> Invoke(Vector256<float> y, Vector256<float> g) => g * y * (Vector256<float>.One - y);
        public Vector512<float> Invoke(Vector512<float> y, Vector512<float> g) => g * y * (Vector512<float>.One - y);
    }

    private readonly struct TanhBackwardFn : IBinaryFn
    {
        public float Invoke(float y, float g) => g * (1f - y * y);
        public Vector256<float> Invoke(Vector256<float> y, Vector256<float> g) => g * (Vector256<float>.One - y * y);
        public Vector512<float> Invoke(Vector512<float> y, Vector512<float> g) => g * (Vector512<float>.One - y * y);
    }

    private readonly struct SoftplusBackwardFn : IBinaryFn
    {
        public float Invoke(float x, float g) => x > SoftplusThreshold ? g : g / (1f + MathF.Exp(-x));

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(SoftplusThreshold)), g, g / (Vector256<float>.One + Vector256.Exp(-x)));

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(SoftplusThreshold)), g, g / (Vector512<float>.One + Vector512.Exp(-x)));
    }

    private readonly struct ClampBackwardFn(float lo, float hi) : IBinaryFn
    {
        public float Invoke(float x, float g) => x >= lo && x <= hi ? g : 0f;

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g) =>
            Vector256.GreaterThanOrEqual(x, Vector256.Create(lo)) & Vector256.LessThanOrEqual(x, Vector256.Create(hi)) & g;

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g) =>
            Vector512.GreaterThanOrEqual(x, Vector512.Create(lo)) & Vector512.LessThanOrEqual(x, Vector512.Create(hi)) & g;
    }
}
