namespace NeuroCore.Layout;

/// <summary>
/// Shape arithmetic for operations along one axis (reductions, softmax, concatenation, max/argmax):
/// viewing a shape as [outer, n, inner] around that axis, and the shape left after reducing it.
/// </summary>
internal static class AxisShape
{
    /// <summary>Splits a shape around <paramref name="dim"/> into (outer, n, inner) element counts.</summary>
    public static (int outer, int n, int inner) Split(int[] shape, int dim)
    {
        if (shape.Length == 0) return (1, 1, 1);
        int outer = 1, inner = 1;
        for (int i = 0; i < dim; i++) outer *= shape[i];
        for (int i = dim + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[dim], inner);
    }

    /// <summary>The shape after reducing <paramref name="dim"/>.</summary>
    public static int[] Reduced(int[] shape, int dim, bool keepDim)
    {
        if (shape.Length == 0) return [];
        if (keepDim)
        {
            var s = (int[])shape.Clone();
            s[dim] = 1;
            return s;
        }
        var r = new int[shape.Length - 1];
        for (int i = 0, j = 0; i < shape.Length; i++)
            if (i != dim) r[j++] = shape[i];
        return r;
    }
}
