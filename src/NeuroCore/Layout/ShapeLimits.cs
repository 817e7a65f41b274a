namespace NeuroCore.Layout;

/// <summary>
/// The largest shapes a tensor can have, checked by readers before they trust a shape a file claims.
/// </summary>
internal static class ShapeLimits
{
    /// <summary>
    /// True when a tensor of <paramref name="shape"/> can exist: every dimension is non-negative and the product
    /// of the dimensions, counting a 0 as 1, is at most <see cref="Array.MaxLength"/>.
    /// </summary>
    /// <remarks>
    /// Counting zeros as ones matters: <c>[65536, 65536, 0]</c> has no elements, but its outer stride
    /// (65536·65536) overflows an <see cref="int"/>, so the tensor constructor rejects it. A reader that only
    /// checked the element count would accept the file and fail later, far from the file's name.
    /// </remarks>
    public static bool FitsInTensor(ReadOnlySpan<int> shape)
    {
        long product = 1;
        foreach (int d in shape)
        {
            if (d < 0) return false;
            product *= Math.Max(d, 1);
            if (product > Array.MaxLength) return false;
        }
        return true;
    }
}
