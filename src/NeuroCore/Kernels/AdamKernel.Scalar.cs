using System.Runtime.CompilerServices;

namespace NeuroCore.Kernels;

// Scalar tier: the reference every vector tier matches bit for bit, and the tail of the vector paths.
internal static partial class AdamKernel
{
    /// <summary>The scalar reference (and the tail of the vector paths).</summary>
    internal static void StepScalar(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in Hyper h)
    {
        for (int i = 0; i < p.Length; i++)
        {
            float gi = g[i] + p[i] * h.L2;
            float pi = p[i] * h.Decay;
            float mi = m[i] + (gi - m[i]) * (1 - h.Beta1);
            float vi = v[i] * h.Beta2 + gi * gi * (1 - h.Beta2);
            p[i] = pi - mi / (Sqrt(vi) * h.InvBiasCorrection2Sqrt + h.Eps) * h.StepSize;
            m[i] = mi;
            v[i] = vi;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Sqrt(float x) => MathF.Sqrt(x);
}
