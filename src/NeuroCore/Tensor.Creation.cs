using NeuroCore.Layout;

namespace NeuroCore;

public sealed partial class Tensor
{
    /// <summary>A float32 tensor of the given shape filled with zeros.</summary>
    public static Tensor Zeros(params int[] shape) => new(new float[ShapeUtil.Numel(shape)], (int[])shape.Clone());

    /// <summary>A float32 tensor of the given shape filled with ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(shape, 1f);

    /// <summary>A float32 tensor of the given shape filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, float value)
    {
        var data = new float[ShapeUtil.Numel(shape)];
        Array.Fill(data, value);
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>A float32 tensor of zeros with the same shape as <paramref name="other"/>.</summary>
    public static Tensor ZerosLike(Tensor other) => Zeros(other._shape);

    /// <summary>A float32 tensor of ones with the same shape as <paramref name="other"/>.</summary>
    public static Tensor OnesLike(Tensor other) => Ones(other._shape);

    /// <summary>A 0-dimensional (scalar) float32 tensor.</summary>
    public static Tensor Scalar(float value) => new([value], []);

    /// <summary>
    /// Values from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive) in steps of
    /// <paramref name="step"/>, like <c>torch.arange</c>.
    /// </summary>
    public static Tensor Arange(float start, float end, float step = 1f)
    {
        if (step == 0 || float.IsNaN(step)) throw new ArgumentException("Arange: step must be non-zero.", nameof(step));
        if ((end - start) / step < 0) throw new ArgumentException($"Arange: the range {start}..{end} cannot be walked with step {step}.");
        int n = (int)Math.Ceiling((end - (double)start) / step);
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (float)(start + (double)i * step);
        return new Tensor(data, [n]);
    }

    /// <summary>Values 0, 1, …, <paramref name="end"/> − 1.</summary>
    public static Tensor Arange(int end) => Arange(0, end);

    /// <summary>
    /// A float32 tensor over a copy of <paramref name="data"/> with the given shape
    /// (a 1-D tensor when no shape is given).
    /// </summary>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        var s = shape.Length == 0 ? [data.Length] : (int[])shape.Clone();
        if (ShapeUtil.Numel(s) != data.Length)
            throw new ArgumentException($"FromArray: {data.Length} values do not fill shape {ShapeUtil.Format(s)} ({ShapeUtil.Numel(s)} elements).");
        return new Tensor((float[])data.Clone(), s);
    }

    /// <summary>An int64 tensor over a copy of <paramref name="data"/> (class targets, indices).</summary>
    public static Tensor FromArray(long[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        var s = shape.Length == 0 ? [data.Length] : (int[])shape.Clone();
        if (ShapeUtil.Numel(s) != data.Length)
            throw new ArgumentException($"FromArray: {data.Length} values do not fill shape {ShapeUtil.Format(s)} ({ShapeUtil.Numel(s)} elements).");
        return new Tensor((long[])data.Clone(), s);
    }

    /// <summary>A float32 tensor from a rectangular 2-D array.</summary>
    public static Tensor FromArray(float[,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int r = data.GetLength(0), c = data.GetLength(1);
        var flat = new float[r * c];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++) flat[i * c + j] = data[i, j];
        return new Tensor(flat, [r, c]);
    }

    /// <summary>
    /// Wraps <paramref name="data"/>, an array the calling operation has just allocated for its result,
    /// without copying; the tensor then owns it (<see cref="OwnsStorage"/>).
    /// </summary>
    internal static Tensor Wrap(float[] data, params int[] shape) => new(data, shape) { OwnsStorage = true };

    /// <summary>Uniform samples in [0, 1), from <paramref name="generator"/> or the default generator.</summary>
    public static Tensor Rand(int[] shape, Generator? generator = null)
    {
        var g = generator ?? Generator.Default;
        var data = new float[ShapeUtil.Numel(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = g.NextFloat();
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>Uniform samples in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static Tensor Uniform(int[] shape, float low, float high, Generator? generator = null)
    {
        var g = generator ?? Generator.Default;
        var data = new float[ShapeUtil.Numel(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(low + (high - (double)low) * g.NextDouble());
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>Standard normal samples, from <paramref name="generator"/> or the default generator.</summary>
    public static Tensor Randn(int[] shape, Generator? generator = null)
    {
        var g = generator ?? Generator.Default;
        var data = new float[ShapeUtil.Numel(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)g.NextGaussian();
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>Implicit conversion of a float to a scalar tensor, so <c>x * 2f</c> and <c>2f - x</c> read naturally.</summary>
    public static implicit operator Tensor(float value) => Scalar(value);
}
