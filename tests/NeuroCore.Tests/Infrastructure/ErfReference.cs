namespace NeuroCore.Tests.Infrastructure;

/// <summary>
/// An independent reference for erf: the Maclaurin series erf(x) = 2/√π Σ (−1)ⁿ x²ⁿ⁺¹ / (n!(2n+1))
/// for |x| ≤ 3 (the largest term is about 170, so about 14 digits survive in double), and the
/// continued fraction for erfc beyond (Abramowitz &amp; Stegun 7.1.14), accurate to double precision there.
/// </summary>
public static class ErfReference
{
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        double ax = Math.Abs(x);
        if (ax <= 3)
        {
            double sum = 0, term = x; // term = (−1)ⁿ x²ⁿ⁺¹ / n!
            for (int n = 0; n < 200; n++)
            {
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
                term *= -x * x / (n + 1);
            }
            return 2 / Math.Sqrt(Math.PI) * sum;
        }
        // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
        double f = ax;
        for (int k = 60; k >= 1; k--) f = ax + k / 2.0 / f;
        double erfc = Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / f;
        return Math.CopySign(1 - erfc, x);
    }
}
