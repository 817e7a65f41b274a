using System.Numerics;
using System.Runtime.Intrinsics.X86;

namespace NeuroCore.Kernels;

/// <summary>
/// 2-D max and average pooling over planes of H×W values (no padding, floor mode, as torch's defaults):
/// output (y, x) reads the window rows y·stride .. y·stride+k−1 and columns x·stride .. x·stride+k−1.
/// This file dispatches; the tiers are <c>Pool.Avx2.cs</c> (2×2, stride 2), <c>Pool.Vector.cs</c> (portable
/// SIMD max pooling) and <c>Pool.Scalar.cs</c> (references and scatters), as GEMM's are.
/// </summary>
internal static partial class PoolKernels
{
    /// <summary>
    /// Max over each window of each plane; <paramref name="argmax"/> receives the in-plane index of the
    /// maximum, which backward routes the gradient to. As in torch, a position replaces the current best
    /// when its value is strictly greater (so the first maximum in row-major window order wins) or NaN.
    /// </summary>
    /// <remarks>
    /// Vectorized across the output columns of a row: for each window offset (i, j) the strided inputs
    /// are gathered into a contiguous row and compared/selected lane-wise. The scalar form of the same
    /// rule decides by a data-dependent branch that mispredicts about half the time on real activations
    /// (~6x slower on the CNN's 2×2 pools).
    /// </remarks>
    public static void MaxForward(ReadOnlySpan<float> x, int planes, int h, int w, int k, int stride, int oh, int ow,
        Span<float> y, Span<int> argmax)
    {
        if (k == 2 && stride == 2 && Avx2.IsSupported)
        {
            Max2x2(x, planes, h, w, oh, ow, y, argmax);
            return;
        }
        if (!Vector.IsHardwareAccelerated || ow < Vector<float>.Count)
        {
            MaxForwardScalar(x, planes, h, w, k, stride, oh, ow, y, argmax);
            return;
        }
        MaxForwardVector(x, planes, h, w, k, stride, oh, ow, y, argmax);
    }

    /// <summary>
    /// The same as <see cref="MaxBackward(ReadOnlySpan{float}, ReadOnlySpan{int}, int, int, int, Span{float})"/>
    /// given the pool's geometry, which lets the 2×2, stride-2 pool write dx directly (see <see cref="MaxBackward2x2"/>).
    /// </summary>
    public static void MaxBackward(ReadOnlySpan<float> g, ReadOnlySpan<int> argmax, int planes, int h, int w, int k, int stride,
        int oh, int ow, Span<float> dx)
    {
        if (k == 2 && stride == 2 && Avx2.IsSupported) MaxBackward2x2(g, argmax, planes, h, w, oh, ow, dx);
        else MaxBackward(g, argmax, planes, h * w, oh * ow, dx);
    }

    /// <summary>Mean over each window (always divided by k², the full window).</summary>
    public static void AvgForward(ReadOnlySpan<float> x, int planes, int h, int w, int k, int stride, int oh, int ow, Span<float> y)
    {
        if (k == 2 && stride == 2 && ow >= 8 && Avx2.IsSupported)
        {
            Avg2x2(x, planes, h, w, oh, ow, y);
            return;
        }
        AvgForwardScalar(x, planes, h, w, k, stride, oh, ow, y);
    }
}
