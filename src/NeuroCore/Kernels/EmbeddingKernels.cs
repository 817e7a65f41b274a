using System.Numerics.Tensors;

namespace NeuroCore.Kernels;

/// <summary>Row gather and scatter-add for embedding lookups (span in, span out, no allocation).</summary>
internal static class EmbeddingKernels
{
    /// <summary>dst[i, :] = weight[indices[i], :] for rows of length <paramref name="dim"/> (indices already validated).</summary>
    public static void Gather(ReadOnlySpan<float> weight, ReadOnlySpan<long> indices, int dim, Span<float> dst)
    {
        for (int i = 0; i < indices.Length; i++)
            weight.Slice((int)indices[i] * dim, dim).CopyTo(dst.Slice(i * dim, dim));
    }

    /// <summary>
    /// gradWeight[indices[i], :] += gradOutput[i, :]; repeated indices accumulate, which is why this is
    /// an add and not a copy. Uses of row <paramref name="skipIndex"/> (the padding row; −1 for none) are left out.
    /// <paramref name="gradWeight"/> must start zeroed.
    /// </summary>
    public static void ScatterAdd(ReadOnlySpan<float> gradOutput, ReadOnlySpan<long> indices, int dim, long skipIndex, Span<float> gradWeight)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            if (indices[i] == skipIndex) continue;
            var row = gradWeight.Slice((int)indices[i] * dim, dim);
            TensorPrimitives.Add(row, gradOutput.Slice(i * dim, dim), row);
        }
    }
}
