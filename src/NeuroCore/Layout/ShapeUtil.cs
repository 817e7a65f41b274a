using System.Text;

namespace NeuroCore.Layout;

/// <summary>
/// Pure arithmetic on shapes and strides: element counts, contiguous strides, NumPy broadcasting,
/// dimension normalization. Nothing here touches tensor data.
/// </summary>
internal static class ShapeUtil
{
    /// <summary>Number of elements of a shape (1 for a scalar, 0 if any dimension is 0).</summary>
    public static int Numel(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape {Format(shape)} has a negative dimension.");
            n *= d;
            if (n > Array.MaxLength) throw new ArgumentException($"Shape {Format(shape)} has more elements than an array can hold.");
        }
        return (int)n;
    }

    /// <summary>Row-major (C order) strides for <paramref name="shape"/>.</summary>
    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Math.Max(shape[i], 1);
        }
        return strides;
    }

    /// <summary>True when <paramref name="strides"/> describe a dense row-major layout of <paramref name="shape"/>.</summary>
    public static bool IsContiguous(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        // A tensor without elements is trivially dense, whatever its strides (a [6, 0] tensor has
        // strides [1, 1]; without this it would never count as contiguous, not even after Contiguous()).
        if (shape.Contains(0)) return true;
        int expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /// <summary>
    /// The broadcast shape of <paramref name="a"/> and <paramref name="b"/> under NumPy rules
    /// (align trailing dimensions; each pair must be equal or contain a 1).
    /// </summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string op)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException(
                    $"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together (dimension {i}: {da} vs {db}).");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>
    /// Strides that read a tensor of <paramref name="shape"/>/<paramref name="strides"/> as if it had
    /// <paramref name="target"/> shape: leading and size-1 dimensions get stride 0.
    /// </summary>
    public static int[] BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, ReadOnlySpan<int> target)
    {
        var result = new int[target.Length];
        int lead = target.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++)
            result[lead + i] = shape[i] == 1 && target[lead + i] != 1 ? 0 : strides[i];
        return result;
    }

    /// <summary>Turns a possibly negative <paramref name="dim"/> into an index in [0, rank).</summary>
    public static int NormalizeDim(int dim, int rank, string op)
    {
        // A scalar accepts dim 0 and -1, as in PyTorch: it is treated as having one dimension.
        int r = Math.Max(rank, 1);
        int d = dim < 0 ? dim + r : dim;
        if (d < 0 || d >= r)
            throw new ArgumentOutOfRangeException(nameof(dim),
                $"{op}: dimension {dim} is out of range for a tensor of rank {rank} (expected {-Math.Max(rank, 1)}..{Math.Max(rank, 1) - 1}).");
        return d;
    }

    /// <summary>Resolves a target shape that may contain one -1 against <paramref name="numel"/> elements.</summary>
    public static int[] InferShape(ReadOnlySpan<int> shape, int numel, ReadOnlySpan<int> from, string op)
    {
        var result = shape.ToArray();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < result.Length; i++)
        {
            if (result[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"{op}: only one dimension can be -1, got {Format(shape)}.");
                infer = i;
            }
            else if (result[i] < 0) throw new ArgumentException($"{op}: invalid dimension {result[i]} in {Format(shape)}.");
            else known *= result[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || numel % known != 0)
                throw new ArgumentException($"{op}: shape {Format(shape)} is invalid for input of shape {Format(from)} ({numel} elements).");
            result[infer] = (int)(numel / known);
        }
        else if (known != numel)
            throw new ArgumentException($"{op}: shape {Format(shape)} is invalid for input of shape {Format(from)} ({numel} elements).");
        return result;
    }

    /// <summary>Formats a shape as PyTorch users read it: <c>[2, 3]</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(shape[i]);
        }
        return sb.Append(']').ToString();
    }

    /// <summary>True when both shapes have the same rank and dimensions.</summary>
    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);
}
